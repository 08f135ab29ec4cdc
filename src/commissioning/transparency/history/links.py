"""The link from a record's staff page to its history, for those who may read it: by its
reference for the records in SUBJECTS, by its kind and id for any other record of an office."""

from django.urls import reverse

from commissioning.offices.models import Office
from commissioning.transparency.history.permissions import is_history_reader
from commissioning.transparency.history.subjects import BY_MODEL, SUBJECTS


def _office_id_of(record) -> int | None:
    """The id of the record's office: its own, or its award's (a grant agreement)."""
    if hasattr(record, "office_id"):
        return record.office_id
    if getattr(record, "award_id", None):
        return record.award.office_id
    return None


def history_link(user, record, office=None) -> str | None:
    """The address of the record's history if `user` may read it. `office` is the page's: a
    record of another office gets no link."""
    office_id = _office_id_of(record)
    if office_id is None or record.pk is None or (office and office.pk != office_id):
        return None
    office = office or Office.objects.filter(pk=office_id).first()
    if office is None or not is_history_reader(user, office):
        return None
    label = record._meta.label_lower
    kind = BY_MODEL.get(label)
    if kind is not None:
        reference = SUBJECTS[kind].reference(record)
        return reverse("history:record", args=[office.slug, kind, reference])
    return reverse("history:record_by_id", args=[office.slug, label, str(record.pk)])
