"""A contract's returns move to monitoring: each contract gets a monitoring schedule whose
subject is the contract, and its returns become that schedule's returns (figures against the
KPIs in `outputs`, what was done on each standard and right in `items`, the narrative as the
progress). Procurement's own table of returns is then removed."""

from django.db import migrations

from commissioning.procurement.contracts.standards import VFS_STANDARDS, VICTIMS_CODE_RIGHTS

STATUS = {"due": "draft", "submitted": "submitted", "accepted": "accepted"}


def move_returns(apps, schema_editor):
    Contract = apps.get_model("procurement", "Contract")
    ContractReturn = apps.get_model("procurement", "ContractReturn")
    Schedule = apps.get_model("monitoring", "MonitoringSchedule")
    Return = apps.get_model("monitoring", "MonitoringReturn")
    for contract in Contract.objects.select_related("office__policy").order_by("pk"):
        if Schedule.objects.filter(subject_reference=contract.reference).exists():
            continue
        policy = getattr(contract.office, "policy", None)
        schedule = Schedule.objects.create(
            office_id=contract.office_id,
            subject_kind="contract",
            subject_reference=contract.reference,
            organisation_id=contract.provider_id,
            subject_title=contract.title[:300],
            fund_id=contract.fund_id,
            subject_starts_on=contract.starts_on,
            subject_ends_on=contract.ends_on,
            measures=[
                {"code": k.code, "title": k.title, "target": str(k.target), "unit": k.unit}
                for k in contract.kpis.order_by("pk")
            ],
            items=[
                *(
                    {
                        "code": code,
                        "group": "National commissioning standard",
                        "title": str(VFS_STANDARDS.get(code, code)),
                        "how": how,
                    }
                    for code, how in contract.standards.items()
                ),
                *(
                    {
                        "code": code,
                        "group": "Victims' Code right",
                        "title": str(VICTIMS_CODE_RIGHTS.get(code, code)),
                        "how": how,
                    }
                    for code, how in contract.code_rights.items()
                ),
            ],
            rules=["Contract KPI return"],
            returns_every_months=contract.returns_every_months,
            reports=["quarterly"],
            award_form="contract",
            victims_services=contract.victims_service,
            pack_sha256=getattr(policy, "pack_sha256", "") or "",
            officer_id=contract.created_by_id,
            made_at=contract.signed_at,
            created_by_id=contract.created_by_id,
        )
        Return.objects.bulk_create(
            Return(
                office_id=contract.office_id,
                schedule=schedule,
                number=old.number,
                kind=old.kind,
                period_start=old.period_start,
                period_end=old.period_end,
                due_on=old.due_on,
                scheduled_due_on=old.due_on,
                status=STATUS.get(old.status, "draft"),
                progress=old.narrative,
                outputs=dict(old.kpi_values),
                items={**old.standards_report, **old.rights_report},
                submitted_at=old.submitted_at,
                submitted_by_id=old.updated_by_id if old.submitted_at else None,
            )
            for old in ContractReturn.objects.filter(contract=contract).order_by("number")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_exercises_tenders_contracts_pools"),
        ("monitoring", "0003_subjects_other_than_awards"),
    ]

    operations = [
        migrations.RunPython(move_returns, migrations.RunPython.noop),
        migrations.DeleteModel(name="ContractReturn"),
    ]
