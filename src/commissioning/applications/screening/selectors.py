"""Reads of screening results, shared by the staff pages and the API."""

from commissioning.applications.models import ScreeningResult


def current_screening_results(application) -> list[ScreeningResult]:
    """The latest run's results in the order the rules ran, with who overrode them (one
    query)."""
    return list(
        ScreeningResult.objects.filter(application=application, is_current=True)
        .select_related("run_by", "overridden_by")
        .order_by("id")
    )


def current_screening_result(application, rule: str) -> ScreeningResult | None:
    return (
        ScreeningResult.objects.filter(application=application, is_current=True, rule=rule)
        .select_related("overridden_by")
        .first()
    )
