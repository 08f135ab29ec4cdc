"""Helpers that set up panels through the services, as the pages would."""

import datetime as dt

from commissioning.accounts.models import Role
from commissioning.assessment import rules
from commissioning.assessment.models import Standing
from commissioning.assessment.panels.services import (
    conflict_declare,
    panel_application_add,
    panel_create,
    panel_member_add,
)
from commissioning.assessment.scoring.services import score_sheet_save, score_sheet_submit
from tests.accounts.factories import staff_user
from tests.applications.factories import ApplicationSubmittedFactory, RoundFactory


def eligible_application(round_, **kwargs):
    return ApplicationSubmittedFactory(round=round_, status="eligible", **kwargs)


def panel_with(office, *, members=(Standing.INDEPENDENT, Standing.VOLUNTARY_SECTOR), apps=2):
    """A panel of an office's first fund's round, with members and applications before it.
    Returns (panel, officer, [members], [applications])."""
    fund = office.funds.filter(open_to_applications=True).order_by("code").first()
    round_ = RoundFactory(fund=fund)
    officer = staff_user(office, Role.COMMISSIONING_OFFICER, full_name="Olive Officer")
    panel = panel_create(
        round=round_,
        name="Spring panel",
        meeting_date=dt.date.today(),  # noqa: DTZ011
        actor=officer,
    )
    seated = []
    for index, standing in enumerate(members):
        user = staff_user(office, Role.PANEL_MEMBER, full_name=f"Member {index}")
        seated.append(panel_member_add(panel=panel, user=user, standing=standing, actor=officer))
    applications = []
    for _index in range(apps):
        application = eligible_application(round_)
        panel_application_add(panel=panel, application=application, actor=officer)
        applications.append(application)
    return panel, officer, seated, applications


def score(member, application, values, *, submit=True, recommendation="fund", comment=""):
    """Declare no conflict (if not yet declared) and score every criterion in order."""
    from commissioning.assessment.models import ConflictDeclaration

    if not ConflictDeclaration.objects.filter(member=member, application=application).exists():
        conflict_declare(
            member=member,
            application=application,
            has_conflict=False,
            interest="",
            actor=member.user,
        )
    rubric = rules.rubric_for(application.fund.code, application.office.policy.assessment)
    sheet = score_sheet_save(
        member=member,
        application=application,
        scores={c.code: (values[i % len(values)], "") for i, c in enumerate(rubric)},
        recommendation=recommendation,
        comment=comment,
        actor=member.user,
    )
    if submit:
        score_sheet_submit(sheet=sheet, actor=member.user)
    return sheet
