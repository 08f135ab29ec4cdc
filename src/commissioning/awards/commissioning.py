"""What a commissioning project (cycle) hears about awards: the awards made to applications
in rounds that name the project are linked on its page, and evidence its `award_decision`
step (an award is made only by a signed decision). Registered in AwardsConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning.awards.models import Award, AwardStatus
from commissioning.cycle.hooks import ProjectLink


def _awards(project):
    return Award.objects.filter(office_id=project.office_id, application__round__project=project)


def project_awards(project) -> list[ProjectLink]:
    """The project's awards, one query."""
    return [
        ProjectLink(
            label=_("Award %(ref)s to %(organisation)s")
            % {
                "ref": award.reference,
                "organisation": award.organisation.name,
            },
            url=reverse("awards:staff_detail", args=[project.office.slug, award.reference]),
            done=award.status in (AwardStatus.ACTIVE, AwardStatus.COMPLETED),
            kind="award",
        )
        for award in _awards(project).select_related("organisation").order_by("reference")
    ]


def project_has_award(project) -> bool:
    return _awards(project).exists()
