"""What a commissioning project (cycle) hears about rounds: a round names the project its
funding is for; the project's page links the round, and the round evidences the project's
`procurement_route` step (the route for a grant is a round). Registered in
ApplicationsConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning.applications.models import Round
from commissioning.cycle.hooks import ProjectLink


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
