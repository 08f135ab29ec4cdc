"""Awards with agreements in each state, made the way the product makes them."""

import datetime as dt

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import Role
from commissioning.awards.agreements.services import (
    agreement_countersign,
    agreement_issue,
    agreement_send,
    agreement_sign_by_provider,
)
from commissioning.organisations.models import OrganisationMember
from tests.accounts.factories import staff_user
from tests.awards.factories import award_by_decision

YEAR_2026 = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2027, 3, 31)}


def one_award(office, officer, round_, signatories, amount="1500", **kwargs):
    return award_by_decision(
        office, officer, round_, signatories, amounts=(amount,), **{**YEAR_2026, **kwargs}
    )[0]


def signer_of(award):
    """The organisation's administrator (its authorised signatory)."""
    return (
        OrganisationMember.objects.filter(
            organisation=award.organisation, role=OrganisationMember.Role.ADMIN
        )
        .select_related("user")
        .first()
        .user
    )


def countersigner(office):
    return staff_user(office, Role.COMMISSIONER)


def sent(award, officer):
    agreement = agreement_issue(award=award, actor=officer, reason="The award")
    return agreement_send(agreement=agreement, actor=officer)


def provider_signed(award, officer):
    agreement = sent(award, officer)
    user = signer_of(award)
    return agreement_sign_by_provider(
        agreement=agreement,
        signatory=user,
        name="Pat Signer",
        role="Chair of trustees",
        signature="Pat Signer",
        confirmed=True,
        document_sha256=agreement.document_sha256,
    )


def countersigned(award, officer, commissioner):
    agreement = provider_signed(award, officer)
    return agreement_countersign(
        agreement=agreement,
        signatory=commissioner,
        mfa_verified=True,
        code=totp_current_code(commissioner),
        document_sha256=agreement.document_sha256,
    )
