"""What a commissioning project (cycle) hears about procurement, registered in
ProcurementConfig.ready(): the exercises that name the project, and the contracts they led to,
are linked on its page (one query), and they evidence the steps of the stage model that
procurement proves:

- `procurement_route`: an exercise for the project has asked for its quotes or advertised its
  tender (its route is the pack's for the value, fixed when it began);
- `award_decision`: the award decision on such an exercise is signed;
- `funding_route_chosen`: such an exercise has chosen its award form (contract, contribution
  or paid invoice), and is not cancelled;
- `co_commissioning_considered`: such an exercise draws on a pooled budget with partners;
- `vfs_standards`: a victims' service contract from such an exercise records the national
  commissioning standards it meets (a victims' contract cannot be made without them).

A contract's project is its exercise's: it is shown, never set, on the contract."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning.cycle.hooks import ProjectLink, SurveyOccasion
from commissioning.decisions.models import DecisionStatus
from commissioning.procurement.contracts.models import Contract, ContractStatus
from commissioning.procurement.exercises.models import ExerciseStatus, ProcurementExercise

ROUTE_FOLLOWED = (
    ExerciseStatus.OPEN,
    ExerciseStatus.EVALUATION,
    ExerciseStatus.AWARD_PROPOSED,
    ExerciseStatus.AWARDED,
)
SIGNED = (DecisionStatus.SIGNED, DecisionStatus.PUBLISHED)


def _exercises(project):
    return ProcurementExercise.objects.filter(office_id=project.office_id, project=project)


def project_procurement(project) -> list[ProjectLink]:
    """The project's exercises and their contracts, one query."""
    links = []
    slug = project.office.slug
    exercises = _exercises(project).select_related("contract__provider").order_by("reference")
    for exercise in exercises:
        links.append(
            ProjectLink(
                label=_("Procurement %(ref)s: %(title)s (%(route)s, %(status)s)")
                % {
                    "ref": exercise.reference,
                    "title": exercise.title,
                    "route": exercise.route_label,
                    "status": exercise.get_status_display(),
                },
                url=reverse("procurement:exercise", args=[slug, exercise.reference]),
                done=exercise.status == ExerciseStatus.AWARDED,
                kind="procurement",
            )
        )
        contract = getattr(exercise, "contract", None)
        if contract is not None:
            links.append(
                ProjectLink(
                    label=_("Contract %(ref)s with %(provider)s")
                    % {"ref": contract.reference, "provider": contract.provider.name},
                    url=reverse("procurement:contract", args=[slug, contract.reference]),
                    done=contract.status != ContractStatus.ACTIVE,
                    kind="contract",
                )
            )
    return links


def route_followed(project) -> bool:
    return _exercises(project).filter(status__in=ROUTE_FOLLOWED).exists()


def award_signed(project) -> bool:
    return _exercises(project).filter(award_decision__status__in=SIGNED).exists()


def award_form_chosen(project) -> bool:
    return _exercises(project).exclude(status=ExerciseStatus.CANCELLED).exists()


def pooled_with_partners(project) -> bool:
    return (
        _exercises(project)
        .exclude(status=ExerciseStatus.CANCELLED)
        .filter(pooled_budget__isnull=False)
        .exists()
    )


def standards_recorded(project) -> bool:
    return Contract.objects.filter(
        office_id=project.office_id, exercise__project=project, victims_service=True
    ).exists()


STEP_EVIDENCE = {
    "procurement_route": route_followed,
    "award_decision": award_signed,
    "funding_route_chosen": award_form_chosen,
    "co_commissioning_considered": pooled_with_partners,
    "vfs_standards": standards_recorded,
}


def awards_signed_since(since, now) -> list[SurveyOccasion]:
    """Exercises whose award was signed between `since` and `now`: an occasion to ask the
    bidders how the process went (cycle opens the survey). Two queries."""
    exercises = (
        ProcurementExercise.objects.filter(
            status=ExerciseStatus.AWARDED,
            status_changes__new=ExerciseStatus.AWARDED,
            status_changes__at__gt=since,
            status_changes__at__lte=now,
        )
        .prefetch_related("bids")
        .distinct()
        .order_by("pk")
    )
    return [
        SurveyOccasion(
            office_id=e.office_id,
            key=f"procurement:{e.reference}",
            title=_("The %(route)s for %(title)s (%(ref)s)")
            % {"route": e.route_label, "title": e.title, "ref": e.reference},
            organisation_ids=tuple(sorted({b.supplier_id for b in e.bids.all()})),
            project_id=e.project_id,
        )
        for e in exercises
    ]
