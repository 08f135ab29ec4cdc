import datetime as dt
import uuid

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from commissioning.organisations.models import (
    ApplicantType,
    Invitation,
    Organisation,
    OrganisationDocument,
    OrganisationMember,
    PolicyDocument,
)
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes


def today() -> dt.date:
    return timezone.localdate()


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An unincorporated community group: no charity or company number."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Group {n}")
    legal_form = Organisation.LegalForm.UNINCORPORATED
    applicant_type = ApplicantType.COMMUNITY_GROUP
    address = "1 High Street\nChelmsford"
    postcode = "CM1 1QH"
    email = factory.Sequence(lambda n: f"group{n}@example.org")


class CharityFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Youth Charity {n}")
    legal_form = Organisation.LegalForm.CIO
    applicant_type = ApplicantType.CHARITY
    charity_number = factory.Sequence(lambda n: str(1100000 + n))
    org_id = factory.LazyAttribute(lambda o: f"GB-CHC-{o.charity_number}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMember

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMember.Role.MEMBER


class AdminMemberFactory(MemberFactory):
    role = OrganisationMember.Role.ADMIN


def _stored_pdf(folder: str) -> str:
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.pdf", ContentFile(pdf_bytes()))


class PolicyDocumentFactory(factory.django.DjangoModelFactory):
    """A safeguarding policy in force: adopted a month ago, review in eleven months."""

    class Meta:
        model = PolicyDocument

    organisation = factory.SubFactory(OrganisationFactory)
    kind = PolicyDocument.Kind.SAFEGUARDING
    adopted_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=30))
    review_due_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=335))
    file_path = factory.LazyFunction(lambda: _stored_pdf("organisations/policies"))
    filename = "safeguarding-policy.pdf"
    content_type = "application/pdf"
    size = factory.LazyFunction(lambda: len(pdf_bytes()))


class PolicyOverdueFactory(PolicyDocumentFactory):
    """A policy whose review date passed ten days ago."""

    adopted_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=3 * 365))
    review_due_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=10))


class AccountsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDocument

    organisation = factory.SubFactory(OrganisationFactory)
    kind = OrganisationDocument.Kind.ANNUAL_ACCOUNTS
    period_end = dt.date(2025, 3, 31)
    file_path = factory.LazyFunction(lambda: _stored_pdf("organisations/documents"))
    filename = "annual-accounts.pdf"
    content_type = "application/pdf"
    size = factory.LazyFunction(lambda: len(pdf_bytes()))


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation to join as a member, sent today."""

    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = OrganisationMember.Role.MEMBER
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    created_by = factory.SubFactory(UserFactory)
