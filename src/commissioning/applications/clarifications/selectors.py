from commissioning.applications.models import Application, Clarification


def clarification_thread(application: Application) -> list[Clarification]:
    """The questions and answers of an application, oldest first, each numbered from 1."""
    thread = list(
        Clarification.objects.filter(application=application)
        .select_related("asked_by", "answered_by")
        .order_by("asked_at", "id")
    )
    for number, clarification in enumerate(thread, start=1):
        clarification.number = number
    return thread


def clarification_by_number(application: Application, number: int) -> Clarification | None:
    if number < 1:
        return None
    found = list(
        Clarification.objects.filter(application=application)
        .select_related("asked_by", "answered_by")
        .order_by("asked_at", "id")[number - 1 : number]
    )
    if not found:
        return None
    found[0].number = number
    return found[0]
