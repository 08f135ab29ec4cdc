"""Demo organisations with their policies, accounts and members (seed_demo). Each organisation
shows a different situation: all in order, a policy missing, a policy overdue for review, a
review due soon. Running it again adds nothing."""

import datetime as dt
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.demo import demo_user
from commissioning.core.uploads import validate_upload
from commissioning.organisations.identifiers import org_id_for
from commissioning.organisations.models import (
    ApplicantType,
    Organisation,
    OrganisationDocument,
    OrganisationMember,
    PolicyDocument,
)
from commissioning.organisations.services import (
    organisation_document_add,
    organisation_update,
    policy_document_add,
)

Kind = PolicyDocument.Kind

# Demo groups. Numbers are made up in the right format; they are not real registrations.
ORGANISATIONS = [
    {
        "name": "Eden Valley Neighbourhood Watch",
        "legal_form": Organisation.LegalForm.UNINCORPORATED,
        "applicant_type": ApplicantType.WATCH_SCHEME,
        "postcode": "CA11 7QF",
        "user": ("watch@eden-valley.example", "Margaret Hind"),
    },
    {
        "name": "Safer Streets Youth Trust",
        "legal_form": Organisation.LegalForm.CIO,
        "applicant_type": ApplicantType.CHARITY,
        "charity_number": "1999901",
        "postcode": "CM8 3AB",
        "user": ("director@safer-streets-youth.example", "Daniel Okafor"),
    },
    {
        "name": "Riverside Women's Aid",
        "legal_form": Organisation.LegalForm.CHARITABLE_COMPANY,
        "applicant_type": ApplicantType.CHARITY,
        "charity_number": "1999902",
        "company_number": "9990002",
        "postcode": "TS1 2AA",
        "user": ("manager@riverside-womens-aid.example", "Helen Marsh"),
    },
    {
        "name": "Fenland Community Transport CIC",
        "legal_form": Organisation.LegalForm.CIC,
        "applicant_type": ApplicantType.CIC,
        "company_number": "9990003",
        "postcode": "PE15 8AA",
        "user": ("hello@fenland-transport.example", "Tom Gill"),
    },
    {
        "name": "Brockhall Parish Council",
        "legal_form": Organisation.LegalForm.PARISH_COUNCIL,
        "applicant_type": ApplicantType.PARISH_COUNCIL,
        "postcode": "BB6 8AA",
        "user": ("clerk@brockhall-parish.example", "Susan Clegg"),
    },
    {
        "name": "Fenland Community Safety Partnership",
        "legal_form": Organisation.LegalForm.PUBLIC_BODY,
        "applicant_type": ApplicantType.CSP,
        "postcode": "PE15 8NQ",
        "user": ("csp@fenland-csp.example", "Rachel Moore"),
    },
]

# Per organisation: address, website, policies as (kind, days since adoption, days until review;
# negative means the review date has passed), documents, and other members.
DEMO = {
    "Eden Valley Neighbourhood Watch": {
        "address": "c/o The Old School Room\nMain Street\nPenrith",
        "website": "",
        "policies": [(Kind.DATA_PROTECTION, 200, 530), (Kind.EQUALITY, 200, 530)],
        "documents": [OrganisationDocument.Kind.ANNUAL_ACCOUNTS],
        "members": [],
    },
    "Safer Streets Youth Trust": {
        "address": "Unit 4, Crittall Road\nWitham\nEssex",
        "website": "https://safer-streets-youth.example",
        "policies": [
            (Kind.SAFEGUARDING, 120, 245),
            (Kind.DATA_PROTECTION, 300, 430),
            (Kind.EQUALITY, 90, 640),
            (Kind.HEALTH_AND_SAFETY, 400, 330),
        ],
        "documents": [
            OrganisationDocument.Kind.ANNUAL_ACCOUNTS,
            OrganisationDocument.Kind.GOVERNING_DOCUMENT,
        ],
        "members": [("finance@safer-streets-youth.example", "Grace Adeyemi", "Treasurer")],
    },
    "Riverside Women's Aid": {
        "address": "The Riverside Centre\n12 Albert Road\nMiddlesbrough",
        "website": "https://riverside-womens-aid.example",
        "policies": [
            (Kind.SAFEGUARDING, 60, 670),
            (Kind.DATA_PROTECTION, 150, 580),
            (Kind.EQUALITY, 1155, -60),
        ],
        "documents": [OrganisationDocument.Kind.ANNUAL_ACCOUNTS],
        "members": [("trustee@riverside-womens-aid.example", "Ruth Stainsby", "Chair of trustees")],
    },
    "Fenland Community Transport CIC": {
        "address": "The Depot, Station Road\nMarch\nCambridgeshire",
        "website": "https://fenland-transport.example",
        "policies": [
            (Kind.SAFEGUARDING, 700, 30),
            (Kind.DATA_PROTECTION, 100, 630),
            (Kind.EQUALITY, 100, 630),
        ],
        "documents": [OrganisationDocument.Kind.ANNUAL_ACCOUNTS],
        "members": [],
    },
    "Fenland Community Safety Partnership": {
        "address": "Fenland Hall, County Road\nMarch\nCambridgeshire",
        "website": "",
        "policies": [
            (Kind.SAFEGUARDING, 180, 550),
            (Kind.DATA_PROTECTION, 180, 550),
            (Kind.EQUALITY, 180, 550),
        ],
        "documents": [OrganisationDocument.Kind.GOVERNING_DOCUMENT],
        "members": [],
    },
    "Brockhall Parish Council": {
        "address": "Parish Office, Village Hall\nBrockhall\nLancashire",
        "website": "https://brockhall-parish.example",
        "policies": [
            (Kind.SAFEGUARDING, 250, 480),
            (Kind.DATA_PROTECTION, 250, 480),
            (Kind.EQUALITY, 250, 480),
        ],
        "documents": [OrganisationDocument.Kind.ANNUAL_ACCOUNTS],
        "members": [],
    },
}


def seed(run) -> None:
    """The demo organisations, each with its lead contact as administrator, filled in."""
    with transaction.atomic():
        for spec in ORGANISATIONS:
            organisation = _organisation(spec)
            email, name = spec["user"]
            user = demo_user(email, name, job_title="Lead contact")
            OrganisationMember.objects.get_or_create(
                organisation=organisation,
                user=user,
                defaults={"role": OrganisationMember.Role.ADMIN},
            )
            run.sign_ins.append((f"Applicant: {organisation.name}", email))
            run.sign_ins.extend(seed_organisation(organisation, admin=user, make_user=demo_user))


def _organisation(spec: dict) -> Organisation:
    org_id = org_id_for(
        charity_number=spec.get("charity_number", ""),
        company_number=spec.get("company_number", ""),
    )
    organisation, _ = Organisation.objects.get_or_create(
        name=spec["name"],
        defaults={
            "legal_form": spec["legal_form"],
            "applicant_type": spec["applicant_type"],
            "charity_number": spec.get("charity_number", ""),
            "company_number": spec.get("company_number", "").zfill(8)
            if spec.get("company_number")
            else "",
            "org_id": org_id,
            "postcode": spec["postcode"],
            "email": spec["user"][0],
        },
    )
    return organisation


def seed_organisation(
    organisation: Organisation,
    *,
    admin,
    make_user: Callable[..., object],
    today: dt.date | None = None,
) -> list[tuple[str, str]]:
    """Fill in one demo organisation. Returns extra sign-ins (label, e-mail) to print."""
    spec = DEMO.get(organisation.name)
    if spec is None:
        return []
    today = today or timezone.localdate()
    if not organisation.address:
        organisation_update(
            organisation=organisation,
            actor=admin,
            address=spec["address"],
            website=spec["website"],
        )
    have = set(
        PolicyDocument.objects.filter(organisation=organisation).values_list("kind", flat=True)
    )
    for kind, adopted_days_ago, review_in_days in spec["policies"]:
        if kind in have:
            continue
        label = str(Kind(kind).label)
        policy_document_add(
            organisation=organisation,
            kind=kind,
            upload=_pdf_upload(
                f"{label} policy",
                organisation.name,
                f"{label.lower().replace(' ', '-').replace(',', '')}-policy.pdf",
            ),
            adopted_on=today - dt.timedelta(days=adopted_days_ago),
            review_due_on=today + dt.timedelta(days=review_in_days),
            actor=admin,
            today=today,
        )
    have_documents = set(
        OrganisationDocument.objects.filter(organisation=organisation).values_list(
            "kind", flat=True
        )
    )
    year_end = _last_year_end(today)
    for kind in spec["documents"]:
        if kind in have_documents:
            continue
        label = str(OrganisationDocument.Kind(kind).label)
        is_accounts = kind in OrganisationDocument.KINDS_WITH_PERIOD
        organisation_document_add(
            organisation=organisation,
            kind=kind,
            period_end=year_end if is_accounts else None,
            upload=_pdf_upload(
                f"{label} {year_end.year - 1}/{str(year_end.year)[2:]}" if is_accounts else label,
                organisation.name,
                f"{label.lower().replace(' ', '-')}.pdf",
            ),
            actor=admin,
            today=today,
        )
    rows = []
    for email, name, job_title in spec["members"]:
        user = make_user(email, name, job_title=job_title)
        OrganisationMember.objects.get_or_create(
            organisation=organisation,
            user=user,
            defaults={"role": OrganisationMember.Role.MEMBER, "created_by": admin},
        )
        rows.append((f"Applicant: {organisation.name} ({job_title.lower()})", email))
    return rows


def _last_year_end(today: dt.date) -> dt.date:
    """The 31 March that ended the last financial year whose accounts are likely filed."""
    cutoff = today - dt.timedelta(days=180)
    year = cutoff.year if (cutoff.month, cutoff.day) >= (3, 31) else cutoff.year - 1
    return dt.date(year, 3, 31)


def _pdf_upload(title: str, organisation_name: str, filename: str):
    content = ContentFile(
        minimal_pdf(
            [
                title,
                organisation_name,
                "A demonstration document with made-up content.",
            ]
        ),
        name=filename,
    )
    return validate_upload(content)


def minimal_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF showing the lines of text (ASCII), the first as a heading."""

    def escape(text: str) -> str:
        text = text.encode("ascii", "replace").decode()
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 20 Tf", "72 760 Td", f"({escape(lines[0])}) Tj", "/F1 12 Tf"]
    for line in lines[1:]:
        commands += ["0 -28 Td", f"({escape(line)}) Tj"]
    commands.append("ET")
    stream = "\n".join(commands).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
