"""What a commissioning project (cycle) hears about rounds: a round names the project its
funding is for; the project's page links the round, and the round evidences the project's
`procurement_route` step (the route for a grant is a round). Registered in
ApplicationsConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning.applications.models import Round
from commissioning.cycle.hooks import ProjectLink, SurveyOccasion


def project_rounds(project) -> list[ProjectLink]:
    """The project's rounds, one query."""
    rounds = Round.objects.filter(office_id=project.office_id, project=project).order_by("slug")
    return [
        ProjectLink(
            label=_("Round: %(title)s") % {"title": r.title},
            url=reverse("rounds:detail", args=[project.office.slug, r.slug]),
            done=r.stage() == "closed",
            kind="round",
        )
        for r in rounds
    ]


def project_has_round(project) -> bool:
    return Round.objects.filter(office_id=project.office_id, project=project).exists()


def rounds_closed_since(since, now) -> list[SurveyOccasion]:
    """Rounds whose deadline passed (or that closed early) between `since` and `now`: an
    occasion to ask the applicants how the process went (cycle opens the survey). Two
    queries."""
    from django.db.models import Prefetch, Q

    from commissioning.applications.models import Application, RoundStatus, Status

    rounds = (
        Round.objects.exclude(status=RoundStatus.DRAFT)
        .filter(
            Q(closes_at__gt=since, closes_at__lte=now)
            | Q(status=RoundStatus.CLOSED, closed_at__gt=since, closed_at__lte=now)
        )
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.exclude(status=Status.DRAFT).only(
                    "pk", "round_id", "organisation_id"
                ),
            )
        )
        .order_by("pk")
    )
    return [
        SurveyOccasion(
            office_id=r.office_id,
            key=f"round:{r.pk}",
            title=_("The round %(title)s") % {"title": r.title},
            organisation_ids=tuple(sorted({a.organisation_id for a in r.applications.all()})),
            project_id=r.project_id,
        )
        for r in rounds
    ]
