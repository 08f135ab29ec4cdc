"""The office's procurement as an OCDS 1.1 release package (TR3): for each contracting process
a planning release, a tender release once it opens, an award release once the award is signed
and a contract release once the contract is in place. Each process's ocid is the office's
registered prefix (policy pack, procurement.ocid_prefix) and the exercise's reference.

Only what the office publishes goes out: names of organisations, amounts, dates, the route and
the evaluation split, never the evaluators or their scores."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from commissioning.procurement.contracts.models import Contract
from commissioning.procurement.exercises.models import ExerciseStatus, ProcurementExercise, Route
from commissioning.procurement.rules import ocid as make_ocid

METHODS = {
    Route.DIRECT_AWARD: "direct",
    Route.ONE_QUOTE: "limited",
    Route.THREE_QUOTES: "limited",
    Route.COMPETITIVE_TENDER: "open",
}
TENDER_STATUS = {
    ExerciseStatus.PLANNING: "planning",
    ExerciseStatus.OPEN: "active",
    ExerciseStatus.EVALUATION: "active",
    ExerciseStatus.AWARD_PROPOSED: "active",
    ExerciseStatus.AWARDED: "complete",
    ExerciseStatus.CANCELLED: "cancelled",
}


def _when(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def _value(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": "GBP"}


def _party_id(prefix: str, organisation) -> str:
    return organisation.org_id or f"{prefix}-{organisation.ref}"


def _party(prefix, organisation, roles) -> dict:
    party = {"id": _party_id(prefix, organisation), "name": organisation.name, "roles": roles}
    if organisation.org_id and "-" in organisation.org_id:
        scheme, _sep, ident = organisation.org_id.rpartition("-")
        party["identifier"] = {"scheme": scheme, "id": ident, "legalName": organisation.name}
    return party


def _buyer(office, prefix) -> dict:
    return {"id": office.org_id or f"{prefix}-{office.code}", "name": office.name}


def _base(ocid: str, stage: str, date, buyer: dict, parties: list) -> dict:
    return {
        "ocid": ocid,
        "id": f"{ocid}-{stage}",
        "date": _when(date),
        "tag": [stage],
        "initiationType": "tender",
        "language": "en",
        "buyer": buyer,
        "parties": parties,
    }


def _award_block(ocid, contract_or_bid_price, supplier, prefix, date) -> dict:
    return {
        "id": f"{ocid}-award",
        "status": "active",
        "date": _when(date),
        "value": _value(contract_or_bid_price),
        "suppliers": [{"id": _party_id(prefix, supplier), "name": supplier.name}],
    }


def _contract_block(ocid, contract: Contract) -> dict:
    block = {
        "id": contract.reference,
        "awardID": f"{ocid}-award",
        "title": contract.title,
        "status": "active" if contract.status == "active" else "terminated",
        "period": {"startDate": _when(contract.starts_on), "endDate": _when(contract.ends_on)},
        "value": _value(contract.value),
        "dateSigned": _when(contract.signed_at),
    }
    return block


def exercise_releases(exercise: ProcurementExercise, prefix: str) -> list[dict]:
    office = exercise.office
    ocid = make_ocid(prefix, exercise.reference)
    buyer = _buyer(office, prefix)
    buyer_party = {**buyer, "roles": ["buyer", "procuringEntity"]}
    releases = [
        {
            **_base(ocid, "planning", exercise.started_at, buyer, [buyer_party]),
            "planning": {
                "rationale": exercise.description,
                "budget": {
                    "description": exercise.fund.name,
                    "amount": _value(exercise.estimated_value),
                },
            },
        }
    ]
    if exercise.status == ExerciseStatus.PLANNING:
        return releases
    bids = list(exercise.bids.all())
    tenderers = [_party(prefix, b.supplier, ["tenderer"]) for b in bids]
    tender = {
        "id": f"{ocid}-tender",
        "title": exercise.title,
        "description": exercise.description,
        "status": TENDER_STATUS[exercise.status],
        "procuringEntity": buyer,
        "value": _value(exercise.estimated_value),
        "procurementMethod": "direct" if exercise.single_tender else METHODS[exercise.route],
        "procurementMethodDetails": exercise.route_label,
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria" if exercise.is_tender else "priceOnly",
        "numberOfTenderers": len(bids),
        "tenderers": [{"id": t["id"], "name": t["name"]} for t in tenderers],
    }
    if exercise.single_tender:
        tender["procurementMethodRationale"] = exercise.single_tender_reason
    if exercise.is_tender:
        criteria = "; ".join(f"{c['title']} {c['weight']}%" for c in exercise.criteria)
        tender["awardCriteriaDetails"] = (
            f"Quality {exercise.quality_weight}%, cost {exercise.cost_weight}%. "
            f"Quality criteria: {criteria}."
        )
    if exercise.advertised_on:
        period = {"startDate": _when(exercise.advertised_on)}
        if exercise.closes_on:
            period["endDate"] = _when(exercise.closes_on)
        tender["tenderPeriod"] = period
    opened = exercise.advertised_on or exercise.started_at
    releases.append(
        {**_base(ocid, "tender", opened, buyer, [buyer_party, *tenderers]), "tender": tender}
    )
    contract = getattr(exercise, "contract", None)
    if exercise.status == ExerciseStatus.AWARDED and contract is not None:
        supplier = _party(prefix, contract.provider, ["supplier"])
        award = _award_block(ocid, contract.value, contract.provider, prefix, contract.signed_at)
        releases.append(
            {
                **_base(ocid, "award", contract.signed_at, buyer, [buyer_party, supplier]),
                "awards": [award],
            }
        )
        releases.append(
            {
                **_base(ocid, "contract", contract.signed_at, buyer, [buyer_party, supplier]),
                "contracts": [_contract_block(ocid, contract)],
            }
        )
    return releases


def contract_releases(contract: Contract, prefix: str) -> list[dict]:
    """A contract let without an exercise here (a pooled or continuing contract)."""
    ocid = make_ocid(prefix, contract.reference)
    buyer = _buyer(contract.office, prefix)
    parties = [
        {**buyer, "roles": ["buyer"]},
        _party(prefix, contract.provider, ["supplier"]),
    ]
    award = _award_block(ocid, contract.value, contract.provider, prefix, contract.signed_at)
    return [
        {**_base(ocid, "award", contract.signed_at, buyer, parties), "awards": [award]},
        {
            **_base(ocid, "contract", contract.signed_at, buyer, parties),
            "contracts": [_contract_block(ocid, contract)],
        },
    ]


def release_package(office, *, now=None) -> dict:
    """The package for the office: a fixed number of queries whatever its size."""
    now = now or timezone.now()
    prefix = office.policy.procurement.get("ocid_prefix") or f"ocds-{office.code.lower()}"
    exercises = (
        ProcurementExercise.objects.filter(office=office)
        .select_related("office", "fund", "contract__provider")
        .prefetch_related("bids__supplier")
        .order_by("started_at", "id")
    )
    contracts = (
        Contract.objects.filter(office=office, exercise__isnull=True)
        .select_related("office", "provider")
        .order_by("signed_at", "id")
    )
    releases = []
    for exercise in exercises:
        releases.extend(exercise_releases(exercise, prefix))
    for contract in contracts:
        releases.extend(contract_releases(contract, prefix))
    uri = settings.SITE_URL + reverse("procurement:ocds", kwargs={"office_slug": office.slug})
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _when(now),
        "publisher": {"name": office.name},
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "publicationPolicy": office.website or uri,
        "releases": releases,
    }
