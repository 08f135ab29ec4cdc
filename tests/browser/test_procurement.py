"""Issue 13 in Chromium, for Cambridgeshire only: an officer starts a tender, seats the
evaluation panel with an independent member, advertises it, records two bids with their
documents, closes it, scores the bids as an evaluator and proposes the award; the last
signatory signs the award decision and the contract is in place. axe checks each page."""

import re

import pytest
from playwright.sync_api import expect

from commissioning.core.registry import DemoRun
from commissioning.decisions.models import DecisionRecord
from commissioning.decisions.services import decision_sign
from commissioning.offices.packs import load_pack
from commissioning.procurement.exercises.models import ProcurementExercise
from commissioning.procurement.tenders.services import bid_conflict_declare, bid_score
from tests.applications.factories import OrganisationFactory
from tests.browser.axe import check_page
from tests.browser.test_decision_flow import staff_sign_in
from tests.conftest import ROOT
from tests.core.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cambridgeshire(settings, tmp_path):
    from commissioning.accounts import demo as accounts_demo

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    office = load_pack(ROOT / "packs" / "cambridgeshire.yaml").office
    accounts_demo.seed(DemoRun())
    return office


def _user(email):
    from commissioning.accounts.models import User

    return User.objects.get(email=email)


def test_a_tender_from_advert_to_signed_contract(
    live_server, page, artifacts, cambridgeshire, tmp_path
):
    base, slug = live_server.url, cambridgeshire.slug
    local = OrganisationFactory(
        name="Cambridgeshire Rape Crisis Partnership", applicant_type="charity"
    )
    national = OrganisationFactory(name="Survivors First", applicant_type="charity")
    bid_file = tmp_path / "bid.pdf"
    bid_file.write_bytes(pdf_bytes("Our bid"))

    staff_sign_in(page, base, f"officer@{slug}.example")
    page.goto(f"{base}/staff/{slug}/procurement/exercises/")
    check_page(page, artifacts, "procurement-exercises")
    page.get_by_role("link", name="Start a procurement exercise").click()
    page.get_by_role("button", name="Start the exercise").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "procurement-start-errors")
    page.fill("#id_title", "Independent Sexual Violence Advisers service")
    page.fill("#id_description", "An ISVA service across the county.")
    page.select_option("#id_fund", label="Victims' Services")
    page.fill("#id_estimated_value", "120,000")
    for name, (d, m, y) in (
        ("contract_starts_on", ("1", "4", "2025")),
        ("contract_ends_on", ("31", "3", "2027")),
    ):
        page.fill(f"#id_{name}_0", d)
        page.fill(f"#id_{name}_1", m)
        page.fill(f"#id_{name}_2", y)
    page.check("#id_single_tender_1")
    page.get_by_role("button", name="Start the exercise").click()
    assert "Competitive tender" in page.content()
    exercise = ProcurementExercise.objects.get(office=cambridgeshire)
    check_page(page, artifacts, "procurement-exercise-planning")

    seats = [("panel", "independent"), ("chief-executive", "office"), ("officer", "office")]
    for prefix, standing in seats:
        page.select_option("#id_user", value=str(_user(f"{prefix}@{slug}.example").pk))
        page.select_option("#id_standing", value=standing)
        page.get_by_role("button", name="Add to the panel").click()
        assert "The evaluator is on the panel." in page.content()
    for name, value in (("advertised_on", ("6", "1", "2025")), ("closes_on", ("7", "2", "2025"))):
        for i, part in enumerate(value):
            page.fill(f"#id_{name}_{i}", part)
    page.get_by_role("button", name="Open the exercise").click()
    assert "The exercise is open." in page.content()

    for organisation, price in ((local, "110,000"), (national, "95,000")):
        page.fill("#id_supplier_ref", organisation.ref)
        page.fill("#id_price", price)
        for i, part in enumerate(("5", "2", "2025")):
            page.fill(f"#id_received_on_{i}", part)
        page.set_input_files("#id_document", str(bid_file))
        page.get_by_role("button", name="Record it").click()
        assert "The quote or bid is recorded." in page.content()
    check_page(page, artifacts, "procurement-exercise-open")
    page.get_by_role("button", name="Close and evaluate").click()
    assert "the evaluation has begun" in page.content()

    # The officer scores as an evaluator on the page; the other two evaluators by service.
    page.get_by_role("link", name="Declare interests and score the bids").click()
    check_page(page, artifacts, "procurement-evaluate")
    for organisation, score in ((local, "5"), (national, "2")):
        prefix = organisation.ref
        page.check(f"#id_d{prefix}-has_conflict_1")
        page.get_by_role("button", name=f"Declare {organisation.name}").click()
        for criterion in exercise.criteria:
            page.fill(f"#id_s{prefix}-score_{criterion['code']}", score)
        page.get_by_role("button", name=f"Save the scores {organisation.name}").click()
        assert "Your scores are saved." in page.content()
    check_page(page, artifacts, "procurement-evaluate-scored")
    exercise.refresh_from_db()
    for evaluator in exercise.evaluators.exclude(user__email=f"officer@{slug}.example"):
        for bid, score in (
            (exercise.bids.get(supplier=local), 4),
            (exercise.bids.get(supplier=national), 3),
        ):
            bid_conflict_declare(
                evaluator=evaluator, bid=bid, has_conflict=False, interest="", actor=evaluator.user
            )
            bid_score(
                evaluator=evaluator,
                bid=bid,
                scores={c["code"]: score for c in exercise.criteria},
                actor=evaluator.user,
            )

    page.goto(f"{base}/staff/{slug}/procurement/exercises/{exercise.reference}/")
    page.get_by_text("Set the contract's terms").click()
    page.fill("#id_extension_months", "12")
    page.fill("#id_extension_value", "55,000")
    page.fill("#id_kpi_1_title", "Referrals contacted within two working days")
    page.fill("#id_kpi_1_target", "95")
    page.fill("#id_standard_victims_at_centre", "Survivors sit on the service's steering group.")
    page.fill("#id_right_right_4", "Every referral contacted within two working days.")
    page.get_by_role("button", name="Save the terms").click()
    assert "The contract's terms are saved." in page.content()
    page.select_option("#id_bid", label="Cambridgeshire Rape Crisis Partnership (£110,000.00)")
    page.get_by_role("button", name="Send the award for sign-off").click()
    assert "is with its signatories" in page.content()
    check_page(page, artifacts, "procurement-award-proposed")

    exercise.refresh_from_db()
    decision = DecisionRecord.objects.get(pk=exercise.award_decision_id)
    roles = list(decision.required_roles)
    prefixes = {
        "commissioner": "commissioner",
        "chief_finance_officer": "cfo",
        "monitoring_officer": "monitoring",
    }
    for role in roles[:-1]:
        decision_sign(
            decision=decision,
            signatory=_user(f"{prefixes[role]}@{slug}.example"),
            mfa_verified=True,
        )
    staff_sign_in(page, base, f"{prefixes[roles[-1]]}@{slug}.example")
    page.goto(f"{base}/staff/{slug}/decisions/{decision.slug}/")
    page.get_by_role("button", name="Sign this decision").click()
    assert "You have signed" in page.content()

    staff_sign_in(page, base, f"officer@{slug}.example")
    page.goto(f"{base}/staff/{slug}/procurement/exercises/{exercise.reference}/")
    assert "Awarded" in page.content()
    page.get_by_role("link", name=re.compile(r"CAM-CON-")).click()
    content = page.locator("main").inner_text()
    assert "Cambridgeshire Rape Crisis Partnership" in content and "£110,000" in content
    assert "Survivors sit on the service's steering group." in content
    check_page(page, artifacts, "procurement-contract")
    page.goto(f"{base}/{slug}/open-data/ocds.json")
    assert '"contract"' in page.content()


def test_setting_up_a_pooled_budget(live_server, page, artifacts, cambridgeshire):
    """AS7 co-commissioning: the set-up page passes axe with and without its errors, and a
    pool set up there shows the office's share and the partners'."""
    base, slug = live_server.url, cambridgeshire.slug
    staff_sign_in(page, base, f"officer@{slug}.example")
    page.goto(f"{base}/staff/{slug}/procurement/pooled-budgets/")
    page.get_by_role("link", name="Set up a pooled budget").click()
    check_page(page, artifacts, "pool-create")
    page.get_by_label("Service the pool pays for").fill("Domestic abuse outreach")
    page.get_by_label("Yes").check()
    page.get_by_label("Partner 1: name").fill("County Council")
    page.get_by_label("Partner 1: financial year").select_option("2025")
    page.get_by_label("Partner 1: amount").fill("-10")
    page.get_by_role("button", name="Set up the pooled budget").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, artifacts, "pool-create-errors")
    page.get_by_label("Office's share 1: fund").select_option(label="Victims' Services")
    page.get_by_label("Office's share 1: financial year").select_option("2025")
    page.get_by_label("Office's share 1: amount").fill("10000")
    page.get_by_label("Partner 1: amount").fill("5000")
    page.get_by_role("button", name="Set up the pooled budget").click()
    page.wait_for_url(re.compile(r".*/pooled-budgets/CAM-POOL-.*"))
    assert "£15,000" in page.content() and "County Council" in page.content()
    check_page(page, artifacts, "pool-detail")
