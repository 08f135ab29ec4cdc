from commissioning.organisations.due_diligence.models import DueDiligenceCheck


def due_diligence_checks(*, organisation, office):
    """An office's checks of an organisation, newest first: one query."""
    return (
        DueDiligenceCheck.objects.for_office(organisation, office)
        .select_related("checked_by")
        .latest_first()
    )


def latest_check(*, organisation, office) -> DueDiligenceCheck | None:
    """The check that counts now: the most recent. It is reused for every later application
    of the organisation to the office while it is valid."""
    return DueDiligenceCheck.objects.for_office(organisation, office).latest_first().first()
