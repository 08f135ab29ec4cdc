"""Awards as 360Giving grants (TR2): the office's publication settings from its pack, and one
grant per public award, built so that it passes the schema and the quality checks."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.urls import reverse

from commissioning.organisations.identifiers import IdentifierError, org_id_for
from commissioning.transparency.opendata.quality import (
    DIGIT,
    EMAIL,
    PHONE,
    TITLE_LIMIT,
    org_id_problem,
)
from commissioning.transparency.register.selectors import PublicAward

OGL_V3 = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SCHEMA_VERSION = "1.4"
REMOVED = "[removed]"

# The kind of area an ONS code names, by its entity prefix, as 360Giving's geoCodeType.
GEO_CODE_TYPES = {
    "E06": "UA",  # unitary authority
    "W06": "UA",
    "E07": "NMD",  # non-metropolitan district
    "E08": "MD",  # metropolitan district
    "E09": "LONB",  # London borough
    "E10": "CTY",  # county
    "E23": "PFA",  # police force area
    "W15": "PFA",
}
FUND_KINDS_FROM_OPEN_CALL = frozenset({"open_grant", "partnership"})
# The most shared parts of each kind an export keeps at once (see GrantBuilder).
CACHE_LIMIT = 5000


URL_PLACEHOLDER = "AWARD-REFERENCE"
# Award dates are the day in the site's time zone (Europe/London), whatever the request's.
SITE_ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Publisher:
    """What the office's pack says about its 360Giving data."""

    prefix: str
    licence: str
    funder_id: str
    funder_name: str
    office_slug: str
    website: str
    force_area: str
    force_area_code: str

    @classmethod
    def for_office(cls, office) -> "Publisher":
        open_data = office.policy.publication.get("open_data") or {}
        prefix = open_data.get("prefix") or f"360G-{office.code}"
        return cls(
            prefix=prefix,
            licence=open_data.get("licence") or OGL_V3,
            funder_id=office.org_id or prefix,
            funder_name=office.name,
            office_slug=office.slug,
            website=office.website,
            force_area=office.force_area,
            force_area_code=office.force_area_ons_code,
        )

    def award_url(self, reference: str) -> str:
        """The award's public page: reversed once per office, not once per grant, as an
        export of 100,000 grants would otherwise spend most of its time in reverse()."""
        return self._award_url_pattern.replace(URL_PLACEHOLDER, reference)

    @cached_property
    def _award_url_pattern(self) -> str:
        return site_url(reverse("transparency:award", args=[self.office_slug, URL_PLACEHOLDER]))

    def grant_id(self, reference: str) -> str:
        return f"{self.prefix}-{reference}"

    def recipient_id(self, award: PublicAward) -> str:
        """The org-id from a registered number where there is one (GB-CHC, GB-COH, or one the
        organisation gave, such as GB-SC or GB-EDU), else the office's own 360G- identifier."""
        if award.org_id and not org_id_problem(award.org_id):
            return award.org_id
        try:
            registered = org_id_for(
                charity_number=award.charity_number, company_number=award.company_number
            )
        except IdentifierError:
            registered = ""
        return registered or f"{self.prefix}-ORG-{award.organisation_ref}"


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def scrub(text: str) -> str:
    """Text with any e-mail address or telephone number taken out (the patterns run only on
    text that could hold one: an export runs this four times a grant)."""
    text = text or ""
    if "@" in text:
        text = EMAIL.sub(REMOVED, text)
    if DIGIT.search(text):
        text = PHONE.sub(REMOVED, text)
    return " ".join(text.split())


def grant_title(award: PublicAward) -> str:
    title = scrub(award.title)
    if len(title) >= TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 2].rstrip() + "…"
    return title


def grant_description(award: PublicAward, title: str) -> str:
    description = scrub(award.short_description)
    if not description or description.lower() == title.lower():
        description = f"{title}: a grant from the {award.fund_name}."
    return description


def _timestamp(moment: dt.datetime) -> str:
    """'2026-12-01T09:00:00Z': the moment in UTC to the second (as strftime's
    "%Y-%m-%dT%H:%M:%SZ", for any year from 1000, in a third of its time)."""
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    return utc.isoformat() + "Z"


def _location(name: str, code: str) -> dict:
    # No "id": the ONS code is the geoCode, and the spreadsheet layout rolls a location up
    # into the grants sheet without its id.
    location = {"name": name, "countryCode": "GB", "geoCode": code}
    if geo_type := GEO_CODE_TYPES.get(code[:3]):
        location["geoCodeType"] = geo_type
    return location


def _recipient(publisher: Publisher, award: PublicAward) -> dict:
    recipient = {"id": publisher.recipient_id(award), "name": scrub(award.organisation_name)}
    identifier = recipient["id"]
    if identifier.startswith("GB-CHC-"):
        recipient["charityNumber"] = identifier.removeprefix("GB-CHC-")
    if award.company_number and identifier.startswith("GB-COH-"):
        recipient["companyNumber"] = identifier.removeprefix("GB-COH-")
    return recipient


class GrantBuilder:
    """Builds the grants of one export. What many grants share (the funder, the recipient of
    each organisation, the programme of each fund, the locations of each set of areas, the
    classifications of each set of priorities, the planned dates of each period) is made once
    and the same object given to every grant that has it: the grants are for reading and
    encoding, never for changing. Everything else is made for each grant."""

    def __init__(self, publisher: Publisher, *, one_location: bool = False):
        self.publisher = publisher
        self.one_location = one_location
        self.funding = [{"id": publisher.funder_id, "name": publisher.funder_name}]
        self.force_area = [_location(publisher.force_area, publisher.force_area_code)]
        self.programme_url = site_url(f"/{publisher.office_slug}/")
        self.vocabulary = f"{publisher.prefix}-plan-priority"
        self._grant_prefix = f"{publisher.prefix}-"
        self._recipients: dict[tuple, list[dict]] = {}
        self._programmes: dict[tuple, list[dict]] = {}
        self._locations: dict[tuple, list[dict]] = {}
        self._classifications: dict[tuple, list[dict]] = {}
        self._planned: dict[tuple, list[dict]] = {}

    @staticmethod
    def _keep(cache: dict, key, value):
        """Remember a shared part; a cache that has grown past CACHE_LIMIT starts again, so an
        export of any size holds a bounded number of them."""
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        cache[key] = value
        return value

    def _recipient(self, award: PublicAward) -> list[dict]:
        key = (
            award.organisation_ref,
            award.organisation_name,
            award.charity_number,
            award.company_number,
            award.org_id,
        )
        if (recipient := self._recipients.get(key)) is None:
            recipient = self._keep(self._recipients, key, [_recipient(self.publisher, award)])
        return recipient

    def _programme(self, award: PublicAward) -> list[dict]:
        key = (award.fund_code, award.fund_name)
        if (programme := self._programmes.get(key)) is None:
            programme = self._keep(
                self._programmes,
                key,
                [{"code": award.fund_code, "title": award.fund_name, "url": self.programme_url}],
            )
        return programme

    def _beneficiaries(self, award: PublicAward) -> list[dict]:
        if not award.areas or (self.one_location and len(award.areas) > 1):
            return self.force_area
        key = tuple((a.name, a.ons_code) for a in award.areas)
        if (locations := self._locations.get(key)) is None:
            locations = self._keep(
                self._locations, key, [_location(name, code) for name, code in key]
            )
        return locations

    def _classification(self, award: PublicAward) -> list[dict]:
        key = tuple((p.code, p.title) for p in award.priorities)
        if (classifications := self._classifications.get(key)) is None:
            classifications = self._keep(
                self._classifications,
                key,
                [
                    {"vocabulary": self.vocabulary, "code": code, "title": scrub(title)}
                    for code, title in key
                ],
            )
        return classifications

    def _planned_dates(self, award: PublicAward) -> list[dict]:
        key = (award.starts_on, award.ends_on)
        if (planned := self._planned.get(key)) is None:
            planned = self._keep(
                self._planned,
                key,
                [
                    {
                        "startDate": award.starts_on.isoformat(),
                        "endDate": award.ends_on.isoformat(),
                        "duration": _months(award.starts_on, award.ends_on),
                    }
                ],
            )
        return planned

    def grant(self, award: PublicAward) -> dict:
        """One award as a 360Giving grant (see award_grant)."""
        title = grant_title(award)
        page = self.publisher.award_url(award.reference)
        updated, published = award.updated_at, award.published_at
        modified = published if published is not None and published > updated else updated
        amount = award.amount
        grant = {
            "id": self._grant_prefix + award.reference,
            "title": title,
            "description": grant_description(award, title),
            "currency": "GBP",
            "amountAwarded": float(amount) if amount % 1 else int(amount),
            "awardDate": award.made_at.astimezone(SITE_ZONE).date().isoformat(),
            "plannedDates": self._planned_dates(award),
            "recipientOrganization": self._recipient(award),
            "fundingOrganization": self.funding,
            "grantProgramme": self._programme(award),
            "fromOpenCall": "Yes" if award.fund_kind in FUND_KINDS_FROM_OPEN_CALL else "No",
            "beneficiaryLocation": self._beneficiaries(award),
            "url": page,
            "dateModified": _timestamp(modified),
            "dataSource": page,
        }
        if award.priorities:
            grant["classifications"] = self._classification(award)
        return grant


def award_grant(publisher: Publisher, award: PublicAward, *, one_location: bool = False) -> dict:
    """One award as a 360Giving grant. Nothing personal: no contact, no address, no names of
    people, no bank details, nothing of the decision beyond its number and public page.

    A grant names each of its areas as a beneficiary location, or the police force area when
    it names none; with `one_location` (the one-row-a-grant CSV), a grant for several areas
    gives the police force area that holds them."""
    return GrantBuilder(publisher, one_location=one_location).grant(award)


def _months(start: dt.date, end: dt.date) -> int:
    """Whole months from the start to the end (1 April to 31 March is 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day >= start.day - 1:
        months += 1
    return max(1, months)


def package_identifier(publisher: Publisher, when: dt.datetime) -> str:
    """The package's identifier: the prefix and the day it was issued."""
    return f"{publisher.prefix}-{when.date().isoformat()}"
