import itertools
import time
from decimal import Decimal

import pytest

from commissioning.accounts.models import Role
from commissioning.decisions.services import (
    DecisionLine,
    decision_create,
    decision_sign,
    decision_submit_for_signature,
)
from tests.accounts.factories import staff_user
from tests.applications.factories import (
    ApplicationSubmittedFactory,
    OrganisationFactory,
    RoundFactory,
    member_of,
)

# Personal data that must never appear in public pages, PDFs or the public API.
CONTACT_SURNAME = "Quinlan-Smythe"
CONTACT_DOMAIN = "lead-contact.example"
_contacts = itertools.count(1)

RECORD = {
    "title": "Community Fund awards, spring panel",
    "summary": "Awards recommended by the spring panel.",
    "rationale": "The projects meet the plan's priorities and the fund's criteria.",
    "options_considered": "Fund all; fund none.",
    "financial_implications": "Met from the Community Fund budget.",
    "legal_implications": "Advice from the solicitor: CONFIDENTIAL-LEGAL-ADVICE.",
    "equality_implications": "No adverse impact.",
    "exempt_parts": ["legal_implications"],
    "exemption_reason": "Legal professional privilege.",
}


@pytest.fixture(autouse=True)
def _letters_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


def login_with_mfa(client, user, *, mfa: bool = True) -> None:
    """Sign in as the user; with mfa=True, as allauth records a completed code check."""
    client.force_login(user)
    if mfa:
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time()},
            {"method": "mfa", "type": "totp", "at": time.time()},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()


@pytest.fixture
def round_(office):
    return RoundFactory(fund=office.funds.get(code="CF"), slug="spring")


def recommended(round_, *, amount="2000", status="recommended", **kwargs):
    """A submitted application the panel has concluded on, with a named lead contact."""
    n = next(_contacts)
    email = f"pat{n}@{CONTACT_DOMAIN}"
    organisation = kwargs.pop("organisation", None) or OrganisationFactory(
        applicant_type="charity", email=email
    )
    return ApplicationSubmittedFactory(
        round=round_,
        organisation=organisation,
        status=status,
        amount_requested=Decimal(amount),
        submitted_by=member_of(organisation, email=email, full_name=f"Pat {CONTACT_SURNAME}"),
        **kwargs,
    )


@pytest.fixture
def officer(office):
    return staff_user(office, Role.COMMISSIONING_OFFICER)


@pytest.fixture
def signatories(office):
    return {
        role: staff_user(office, role)
        for role in (Role.COMMISSIONER, Role.MONITORING_OFFICER, Role.CHIEF_FINANCE_OFFICER)
    }


def draft(office, officer, lines, **fields):
    return decision_create(office=office, actor=officer, fields={**RECORD, **fields}, lines=lines)


def approve(application, amount=None, reason=""):
    return DecisionLine(
        application=application,
        outcome="approve",
        amount=Decimal(amount) if amount else application.amount_requested,
        reason=reason,
    )


def decline(application, reason="Scored below the funding line."):
    return DecisionLine(application=application, outcome="decline", reason=reason)


def sign_all(decision, signatories):
    for role in decision.required_roles:
        decision_sign(decision=decision, signatory=signatories[role], mfa_verified=True)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def signed_decision(office, officer, round_, signatories, django_capture_on_commit_callbacks):
    """A fully signed record: one award over the top tier's threshold and one decline."""
    award = recommended(round_, amount="2500")
    refused = recommended(round_, amount="1500", status="not_recommended")
    decision = draft(office, officer, [approve(award), decline(refused)])
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_submit_for_signature(decision=decision, actor=officer)
        decision = sign_all(decision, signatories)
    return decision
