"""Writes to needs assessments and the service map of existing provision. Each checks that the
areas, priorities and project belong to the office, runs in one transaction and is audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.cycle.needs.models import ExistingProvision, NeedLevel, NeedsAssessment

NEED_FIELDS = ("title", "evidence", "source", "assessed_on", "level", "project")
PROVISION_FIELDS = (
    "name",
    "provider",
    "description",
    "funder",
    "annual_funding",
    "starts_on",
    "ends_on",
)


def _check_links(office, *, areas, priorities, project=None) -> None:
    if any(a.office_id != office.pk for a in areas):
        raise DomainError(_("Choose areas of the office"), field="areas")
    if any(p.plan.office_id != office.pk for p in priorities):
        raise DomainError(_("Choose priorities from the office's plan"), field="priorities")
    if project is not None and project.office_id != office.pk:
        raise DomainError(_("Choose one of the office's projects"), field="project")


def _check_need(values: dict) -> None:
    for name, message in (
        ("title", _("Enter the need")),
        ("evidence", _("Enter the evidence of the need")),
        ("source", _("Enter where the evidence comes from")),
    ):
        if not str(values.get(name) or "").strip():
            raise DomainError(message, field=name)
    if values.get("assessed_on") is None:
        raise DomainError(_("Enter the date of the evidence"), field="assessed_on")
    if values.get("level") not in NeedLevel.values:
        raise DomainError(_("Choose the level of need"), field="level")


def _save(record, values: dict, names, actor, *, areas, priorities, verb: str, office):
    created = record.pk is None
    for name in names:
        value = values.get(name)
        if value is None and not record._meta.get_field(name).null:
            value = ""
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    if created:
        record.created_by = actor if getattr(actor, "pk", None) else None
    record.updated_by = actor if getattr(actor, "pk", None) else None
    record.save()
    record.areas.set(areas)
    record.priorities.set(priorities)
    audit_event_record(
        actor=actor,
        verb=f"{verb}.{'created' if created else 'updated'}",
        target=record,
        office=office,
        data={
            "areas": sorted(a.pk for a in areas),
            "priorities": sorted(p.pk for p in priorities),
        },
    )
    return record


def needs_assessment_save(
    *, office, actor, values: dict, areas=(), priorities=(), assessment=None
) -> NeedsAssessment:
    """Record a needs assessment, or change one (pass `assessment`)."""
    areas, priorities = list(areas), list(priorities)
    _check_need(values)
    _check_links(office, areas=areas, priorities=priorities, project=values.get("project"))
    with transaction.atomic():
        if assessment is None:
            record = NeedsAssessment(office=office)
        else:
            record = NeedsAssessment.objects.select_for_update().get(pk=assessment.pk)
            if record.office_id != office.pk:
                raise DomainError(_("That needs assessment is not this office's."))
        return _save(
            record,
            values,
            NEED_FIELDS,
            actor,
            areas=areas,
            priorities=priorities,
            verb="needs_assessment",
            office=office,
        )


def provision_save(
    *, office, actor, values: dict, areas=(), priorities=(), provision=None
) -> ExistingProvision:
    """Add a service to the map of existing provision, or change one (pass `provision`)."""
    areas, priorities = list(areas), list(priorities)
    for name, message in (
        ("name", _("Enter the name of the service")),
        ("provider", _("Enter who provides the service")),
        ("description", _("Say what the service does")),
    ):
        if not str(values.get(name) or "").strip():
            raise DomainError(message, field=name)
    funding = values.get("annual_funding")
    if funding is not None and funding < 0:
        raise DomainError(_("The funding cannot be less than £0"), field="annual_funding")
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        raise DomainError(_("The funding must end after it starts"), field="ends_on")
    _check_links(office, areas=areas, priorities=priorities)
    with transaction.atomic():
        if provision is None:
            record = ExistingProvision(office=office)
        else:
            record = ExistingProvision.objects.select_for_update().get(pk=provision.pk)
            if record.office_id != office.pk:
                raise DomainError(_("That service is not this office's."))
        return _save(
            record,
            values,
            PROVISION_FIELDS,
            actor,
            areas=areas,
            priorities=priorities,
            verb="existing_provision",
            office=office,
        )
