"""Issue 7 item 4: the whole API, fuzzed from its own OpenAPI document with schemathesis, gives no
server error and no answer that breaks the document, anonymously and with staff and panel
tokens. A few examples per operation, derandomised, so the run is bounded and repeatable; about
a third of the cases use the demo's real records in the path, so they reach the handlers."""

import pytest
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings

from commissioning.accounts.models import User
from commissioning.accounts.services import api_token_create
from commissioning.assessment import demo
from commissioning.assessment.models import AllocationRun, ConflictDeclaration, Panel
from commissioning.decisions.models import DecisionRecord
from commissioning.offices.models import Fund, Office
from tests.conftest import ROOT

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES = 3  # per operation, identity and kind of data (twice that with real records)
PANEL_MEMBER = "panel@essex.example"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _real_path_parameters(office) -> dict:
    """Path values that name the demo's records, so cases get past the 404s."""
    panel = Panel.objects.get(office=office, name=demo.SCORING)
    # An application the demo panel member has declared no conflict in, so scoring is open.
    application = (
        ConflictDeclaration.objects.filter(
            member__panel=panel, member__user__email=PANEL_MEMBER, has_conflict=False
        )
        .select_related("application")
        .first()
        .application
    )
    run = AllocationRun.objects.filter(panel__office=office).first()
    decision = DecisionRecord.objects.filter(office=office).first()
    values = {
        "slug": office.slug,
        "panel_id": panel.pk,
        "run_id": run.pk if run else None,
        "reference": application.reference,
        "public_id": application.public_id,
        "ref": application.organisation.ref,
        "decision": decision.slug if decision else None,
        "code": Fund.objects.filter(office=office).values_list("code", flat=True).first(),
    }
    return {k: v for k, v in values.items() if v is not None}


def _token(email: str) -> dict:
    _token, raw = api_token_create(user=User.objects.get(email=email), name="Schema checks")
    return {"Authorization": f"Bearer {raw}"}


def _checker(strategy, headers, examples):
    @given(case=strategy)
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        with transaction.atomic():  # each case starts from the demo as seeded
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS, headers=headers)

    return check


@pytest.fixture
def connection_kept_open():
    """As Django's test client does: the WSGI calls must not close the test's connection at the
    end of each request (on PostgreSQL that would end the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_gives_no_server_error_and_keeps_to_its_schema(connection_kept_open):
    call_command("load_pack", str(ROOT / "packs" / "essex.yaml"), verbosity=0)
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    office = Office.objects.get(slug="essex")
    real = _real_path_parameters(office)
    identities = {
        "anonymous": {},
        "officer": _token("officer@essex.example"),
        "panel member": _token(PANEL_MEMBER),
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        strategies = [(operation.as_strategy(schemathesis.GenerationMode.POSITIVE), EXAMPLES)]
        if (
            operation.query
            or operation.body
            or any(
                p.definition.get("schema", {}).get("type") != "string"
                for p in operation.path_parameters
            )
        ):
            # Only where some input can be invalid: any text is a valid slug.
            strategies.append(
                (operation.as_strategy(schemathesis.GenerationMode.NEGATIVE), EXAMPLES)
            )
        if names and names <= real.keys():
            path_parameters = {n: real[n] for n in names}
            strategies.append(
                (
                    operation.as_strategy(
                        schemathesis.GenerationMode.POSITIVE, path_parameters=path_parameters
                    ),
                    2 * EXAMPLES,
                )
            )
        for who, headers in identities.items():
            for strategy, examples in strategies:
                try:
                    _checker(strategy, headers, examples)()
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - gather them all
                    failures.append(f"{operation.label} ({who}): {exc}")
    assert not failures, "\n\n".join(failures)
