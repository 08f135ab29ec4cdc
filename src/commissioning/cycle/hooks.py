"""Where higher apps tell a commissioning project about the things that hang off it.

The cycle app sits low in the layers (below applications, decisions, awards, monitoring and
procurement), so it never imports them. A higher app registers here, in its
`AppConfig.ready()`, two kinds of thing:

Links shown on a project's page::

    from commissioning.cycle.hooks import ProjectLink, project_link_provider

    def tenders_for(project) -> list[ProjectLink]:
        return [
            ProjectLink(
                label=f"Tender {t.reference}: {t.title}",
                url=reverse("procurement:staff_detail", args=[project.office.slug, t.reference]),
                done=t.status == "awarded",
                kind="procurement",
            )
            for t in project.procurement_exercises.all()
        ]

    project_link_provider(tenders_for)

A provider is called once per project page, as `provider(project)`, and returns a list of
`ProjectLink`. It must cost a constant number of queries (one, usually), must not write, and
must return only the project's own office's records. `kind` groups the links on the page:
"needs", "engagement", "round", "procurement", "contract", "award", "review" or "other".

Evidence that completes a step of the stage model::

    from commissioning.cycle.hooks import step_evidence_register

    step_evidence_register("procurement_route", lambda project: project.procurement_exercises
                           .filter(status="awarded").exists())

A step's code is the one the policy pack gives it (`policy.stage_model[].steps[].code`, e.g.
`needs_assessment`, `market_engagement`, `procurement_route`, `award_decision`,
`project_review`). A check is called as `check(project) -> bool` when the project's page is
shown or the project is asked to leave a stage; several apps may register checks for one code
and the step counts as evidenced when any of them answers True. An officer can still record a
step as done by hand, with a note of where the evidence is (a paper quote, a meeting outside
the product): evidence makes a step done, its absence does not forbid recording it.

Codes the apps evidence today: `needs_assessment` (a needs assessment names the project),
`market_engagement` and `provider_forum` (an engagement event of that kind names it),
`process_feedback` (a feedback survey on it has a response), `project_review` (a review is
recorded) - all in this app; `procurement_route` (a round names the project: applications);
`award_decision` (an award was made to an application in such a round: awards); and from
procurement, `procurement_route` (an exercise naming the project has asked for quotes or
advertised), `award_decision` (its award decision is signed), `funding_route_chosen` (it has
chosen its award form), `co_commissioning_considered` (it draws on a pooled budget) and
`vfs_standards` (its victims' contract records the national standards). The applications,
awards and procurement apps also register link providers for the project's rounds, awards,
exercises and contracts.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectLink:
    """A record that belongs to a commissioning project, as its page lists it."""

    label: str
    url: str
    done: bool = False
    kind: str = "other"


_link_providers: list[Callable] = []
_step_checks: dict[str, list[Callable]] = {}


def project_link_provider(provider: Callable) -> Callable:
    """Register provider(project) -> list[ProjectLink]; registering it again changes nothing."""
    if provider not in _link_providers:
        _link_providers.append(provider)
    return provider


def project_link_providers() -> tuple[Callable, ...]:
    return tuple(_link_providers)


def project_links(project) -> list[ProjectLink]:
    """Every registered provider's links for the project, in registration order."""
    links: list[ProjectLink] = []
    for provider in _link_providers:
        links.extend(provider(project))
    return links


def step_evidence_register(step_code: str, check: Callable) -> Callable:
    """Register check(project) -> bool as evidence for the step with this code."""
    checks = _step_checks.setdefault(step_code, [])
    if check not in checks:
        checks.append(check)
    return check


def step_evidence(step_code: str) -> Callable | None:
    """The evidence for a step as one callable(project) -> bool, or None if no app evidences
    steps of this code (then only an officer's record completes it)."""
    checks = tuple(_step_checks.get(step_code, ()))
    if not checks:
        return None
    return lambda project: any(check(project) for check in checks)


def evidenced_codes() -> frozenset[str]:
    return frozenset(code for code, checks in _step_checks.items() if checks)


# Occasions for a feedback survey ---------------------------------------------------------------
#
# A round whose deadline has passed (applications) or an exercise whose award is signed
# (procurement) is an occasion to ask the organisations involved how the process went. The app
# that knows of the occasion registers a provider in its AppConfig.ready():
#
#     survey_occasion_provider(lambda since, now: [SurveyOccasion(...), ...])
#
# `python manage.py open_feedback_surveys` asks every provider for the occasions that arose
# between `since` and `now` and opens one survey for each it has not opened before (the key
# says which), inviting the organisations named. A provider costs a constant number of queries
# and must not write.


@dataclass(frozen=True)
class SurveyOccasion:
    office_id: int
    key: str  # unique within the office and stable: "round:42", "procurement:CAM-PRC-2026-0001"
    title: str  # what the survey is about, as the office and the invited read it
    organisation_ids: tuple[int, ...] = ()
    project_id: int | None = None


_occasion_providers: list[Callable] = []


def survey_occasion_provider(provider: Callable) -> Callable:
    """Register provider(since, now) -> list[SurveyOccasion]; again changes nothing."""
    if provider not in _occasion_providers:
        _occasion_providers.append(provider)
    return provider


def survey_occasions(since: dt.datetime, now: dt.datetime) -> list[SurveyOccasion]:
    occasions: list[SurveyOccasion] = []
    for provider in _occasion_providers:
        occasions.extend(provider(since, now))
    return occasions
