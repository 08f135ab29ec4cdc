"""Writes to the evidence library. Monitoring's evaluations save their findings through
`evidence_item_save`; officers add findings from outside research the same way."""

from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.cycle.evidence.models import EvidenceItem, EvidenceRating


def _text(value, field: str, message: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field)
    if len(text) > limit:
        raise DomainError(
            _("Keep this to %(n)s characters or fewer.") % {"n": f"{limit:,}"}, field=field
        )
    return text


def evidence_item_save(
    *,
    office,
    actor,
    intervention: str,
    evidence: str,
    rating: str,
    source: str,
    source_reference: str = "",
) -> EvidenceItem:
    """Add a finding to the office's evidence library (CY5)."""
    intervention = _text(intervention, "intervention", _("Name the intervention."), 200)
    evidence = _text(evidence, "evidence", _("Say what the evidence shows."), 20000)
    source = _text(source, "source", _("Say where the evidence comes from."), 300)
    if rating not in EvidenceRating.values:
        raise DomainError(_("Choose a rating from the list."), field="rating")
    with transaction.atomic():
        item = EvidenceItem.objects.create(
            office=office,
            intervention=intervention,
            evidence=evidence,
            rating=rating,
            source=source,
            source_reference=(source_reference or "")[:60],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_event_record(
            actor=actor,
            verb="evidence_item.saved",
            target=item,
            office=office,
            data={"rating": rating, "from": item.source_reference},
        )
    return item
