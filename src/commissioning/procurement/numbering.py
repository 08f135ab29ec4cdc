"""Public references of procurement records: <office code>-<kind>-<year>-<number>, such as
CAM-PRC-2026-0003, numbered within the office and the calendar year."""

from django.db.models import Max


def next_reference(office, kind: str, model, now) -> str:
    """The next free reference of this kind. Call inside the transaction that creates the
    record; the reference is unique, so a rare race is refused rather than doubled."""
    from commissioning.offices.models import Office

    Office.objects.select_for_update().filter(pk=office.pk).first()
    prefix = f"{office.code}-{kind}-{now.year}-"
    last = model.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"
