"""The content of an award's grant agreement (AG1), gathered from the award, its application
and the office's pack, as plain display text. The same content renders the page and the PDF
(one template, awards/agreements/_document.html); it is frozen on the agreement when sent."""

import hashlib

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from commissioning.awards.agreements.rules import (
    clauses_filled,
    monitoring_terms,
    period_terms,
    pilot_terms,
)
from commissioning.awards.payments.selectors import payment_schedule_rows, payment_schedule_summary
from commissioning.core.dates import govuk_date
from commissioning.core.errors import DomainError
from commissioning.core.money import format_pounds
from commissioning.offices.rules import agreement_template_for, monitoring_requirement


def agreement_template(award) -> dict:
    """The template the pack names for the award's fund; refused plainly if there is none."""
    template = agreement_template_for(award.fund.code, award.office.policy.agreements or {})
    if template is None:
        raise DomainError(
            _(
                "The policy pack of %(office)s names no grant agreement template for the "
                "%(fund)s, so no agreement can be drawn up."
            )
            % {"office": award.office.short_name, "fund": award.fund.name}
        )
    return template


def _victims_services(fund) -> bool:
    return any(s.kind == "moj_victims" for s in fund.funding_sources.all())


def agreement_payment_schedule(award) -> list[str]:
    """The payment schedule the agreement states, in words: the fund's arrangement from the
    pack, then each instalment as the payments part plans it, so that the agreement and the
    payments say the same."""
    lines = [_("No payment is made before this agreement has been signed by both parties.")]
    summary = payment_schedule_summary(award)
    if summary:
        lines.append(summary)
    for row in payment_schedule_rows(award):
        lines.append(
            _("%(label)s: %(amount)s, due from %(date)s, once %(condition)s.")
            % {
                "label": row.label,
                "amount": format_pounds(row.amount),
                "date": govuk_date(row.due_on),
                "condition": row.condition,
            }
        )
    lines.append(
        _("Payments are made by BACS to the organisation's bank account once it is verified.")
    )
    return lines


def agreement_content(award, *, version: int, template: dict | None = None) -> dict:
    """Everything the agreement says, as display text."""
    template = template or agreement_template(award)
    office, organisation, application, fund = (
        award.office,
        award.organisation,
        award.application,
        award.fund,
    )
    policy = office.policy
    pilot = pilot_terms(
        is_pilot=application.is_pilot,
        starts_on=award.starts_on,
        ends_on=award.ends_on,
        max_months=fund.pilot_max_months,
        evaluation_required=fund.pilot_evaluation_required,
        evaluation_plan=application.evaluation,
    )
    requirement = monitoring_requirement(
        value=award.amount,
        award_form="grant",
        victims_services=_victims_services(fund),
        fund_code=fund.code,
        monitoring=policy.monitoring,
    )
    records_years = (policy.retention or {}).get("years_after_funding_end", 6)
    values = {
        "office": office.name,
        "office_short": office.short_name,
        "organisation": organisation.name,
        "fund": fund.name,
        "reference": award.reference,
        "amount": format_pounds(award.amount),
        "starts_on": govuk_date(award.starts_on),
        "ends_on": govuk_date(award.ends_on),
        "records_years": str(records_years),
        "pilot_months": str(fund.pilot_max_months or ""),
    }
    return {
        "title": template["title"],
        "version": version,
        "template": {"code": template["code"], "version": template["version"]},
        "reference": award.reference,
        "decision": award.decision.number,
        "office": {
            "name": office.name,
            "address": office.address,
            "email": office.email,
            "org_id": office.org_id,
        },
        "organisation": {
            "name": organisation.name,
            "org_id": organisation.org_id,
            "address": organisation.address,
            "postcode": organisation.postcode,
            "charity_number": organisation.charity_number,
            "company_number": organisation.company_number,
        },
        "addressed_to": {
            "name": award.contact_name,
            "role": award.contact_role,
            "email": award.contact_email,
        },
        "project": {
            "title": award.title,
            "summary": application.short_description,
            "activities": application.activities,
        },
        "fund": fund.name,
        "amount": format_pounds(award.amount),
        "period": period_terms(
            starts_on=award.starts_on,
            ends_on=award.ends_on,
            default_months=fund.default_award_months,
        ),
        "pilot": pilot,
        "outcomes": [
            {
                "description": o.description,
                "indicator": o.indicator,
                "baseline": o.baseline,
                "target": o.target,
                "by": govuk_date(o.target_date),
            }
            for o in application.outcomes.all()
        ],
        "outputs": [
            {
                "description": o.description,
                "quantity": o.quantity,
                "by": govuk_date(o.target_date) if o.target_date else "",
            }
            for o in application.outputs.all()
        ],
        "monitoring": monitoring_terms(requirement, pilot=pilot),
        "payments": agreement_payment_schedule(award),
        "records_years": records_years,
        "records_to_keep": list((policy.retention or {}).get("recipient_must_keep") or []),
        "clauses": clauses_filled(template["clauses"], values),
    }


def agreement_html(content: dict) -> str:
    """The whole document as the HTML WeasyPrint prints."""
    return render_to_string("awards/agreements/pdf.html", {"doc": content})


def agreement_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
