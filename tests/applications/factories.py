"""Factories for rounds and applications, one per state (draft, complete draft, submitted)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from commissioning.applications.models import Application, BudgetLine, Outcome, Output, Round
from commissioning.applications.services import new_public_id
from commissioning.organisations.models import ApplicantType, Organisation, OrganisationMember
from tests.accounts.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Group {n}")
    legal_form = Organisation.LegalForm.UNINCORPORATED
    applicant_type = ApplicantType.COMMUNITY_GROUP


def member_of(organisation, **kwargs):
    """A user who belongs to the organisation."""
    user = UserFactory(**kwargs)
    OrganisationMember.objects.create(
        organisation=organisation, user=user, role=OrganisationMember.Role.ADMIN
    )
    return user


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    fund = None  # give a fund: RoundFactory(fund=office.funds.first())
    office = factory.LazyAttribute(lambda o: o.fund.office)
    slug = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: f"Open call {n}")
    summary = "Grants for local projects that make communities safer."
    criteria = "Projects must address at least one plan priority."
    status = "published"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A blank draft."""

    class Meta:
        model = Application

    round = None  # give a round
    office = factory.LazyAttribute(lambda o: o.round.office)
    fund = factory.LazyAttribute(lambda o: o.round.fund)
    organisation = factory.SubFactory(OrganisationFactory)
    public_id = factory.LazyFunction(new_public_id)


class CompleteDraftFactory(ApplicationFactory):
    """A draft with every part a small grant needs, ready to submit."""

    class Meta:
        skip_postgeneration_save = True

    title = "Safer Parks after dark"
    short_description = "Volunteer patrols and lighting surveys in three parks."
    need_and_evidence = "Reports of antisocial behaviour in the parks doubled last year."
    activities = "Weekly evening patrols with the neighbourhood team; two surveys."
    amount_requested = Decimal("2000.00")
    starts_on = dt.date(2027, 4, 1)
    ends_on = dt.date(2028, 3, 31)
    is_pilot = False
    is_continuation = False
    beneficiaries_count = 300
    beneficiaries_description = "Residents and park users."
    involves_children_or_vulnerable_adults = False
    sustainability = "Volunteers continue the patrols."
    risks = "Volunteer numbers: recruited in advance."
    evaluation = "Surveys before and after."
    partnership = "The neighbourhood policing team."
    declarations_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def parts(self, create, extracted, **kwargs):
        if not create:
            return
        office = self.office
        from commissioning.offices.models import Area, Priority

        self.priorities.set(
            Priority.objects.filter(plan__office=office, selectable=True).order_by("position")[:1]
        )
        self.areas.set(Area.objects.filter(office=office)[:1])
        Outcome.objects.create(
            application=self,
            description="Fewer reports of ASB",
            indicator="Police reports",
            baseline="40 a month",
            target="25 a month",
            target_date=dt.date(2028, 3, 31),
        )
        Output.objects.create(application=self, description="Patrols", quantity=50)
        BudgetLine.objects.create(
            application=self,
            category="equipment",
            description="Torches and hi-vis",
            amount=self.amount_requested,
        )
        for required in self.fund.required_endorsements:
            self.endorsements.create(
                kind=required["kind"],
                endorser_name="PC Jo Bell",
                endorser_email="jo.bell@police.example",
                endorser_role="Neighbourhood team",
            )


class ApplicationSubmittedFactory(CompleteDraftFactory):
    """A complete application as it stands just after submission, before screening. Its
    endorsements are confirmed unless `endorsements_confirmed=False` is given."""

    status = "submitted"
    # Numbered from 5001 so they never meet the references the submit service hands out.
    reference = factory.LazyAttributeSequence(
        lambda o, n: f"{o.office.code}-{o.fund.code}-{timezone.now().year}-{5001 + n:04d}"
    )
    submitted_at = factory.LazyFunction(timezone.now)
    submitted_by = factory.LazyAttribute(lambda o: member_of(o.organisation))

    @factory.post_generation
    def endorsements_confirmed(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.endorsements.update(state="confirmed")


class ExistingProvisionFactory(factory.django.DjangoModelFactory):
    """A service on the office's register of existing provision (CY2)."""

    class Meta:
        model = "cycle.ExistingProvision"

    office = None  # give an office
    provider = factory.Sequence(lambda n: f"Provider {n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Support for people in the area."


class SafeguardingPolicyFactory(factory.django.DjangoModelFactory):
    """A safeguarding policy on file, in force from a year ago for two years."""

    class Meta:
        model = "organisations.PolicyDocument"

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "safeguarding"
    title = "Safeguarding children and adults at risk"
    adopted_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    review_due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    file_path = factory.Sequence(lambda n: f"policies/safeguarding-{n}.pdf")
    filename = "safeguarding.pdf"
    content_type = "application/pdf"
    size = 1024
