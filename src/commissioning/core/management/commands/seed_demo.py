"""Demo organisations and people for every role in every loaded office. Running it again
duplicates nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from commissioning.accounts.mfa import totp_activate
from commissioning.accounts.models import Role, User
from commissioning.accounts.services import membership_grant
from commissioning.core.jobs import jobs_run_immediately
from commissioning.offices.models import Office
from commissioning.organisations import demo as organisations_demo
from commissioning.organisations.identifiers import org_id_for
from commissioning.organisations.models import ApplicantType, Organisation, OrganisationMember

DEMO_PASSWORD = "Commission-demo-2026"  # noqa: S105 - printed for people trying the demo
# A well-known example secret: add it to any authenticator app, or run `make totp`.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105

STAFF = [
    (Role.COMMISSIONING_OFFICER, "officer", "Commissioning Officer"),
    (Role.PANEL_MEMBER, "panel", "Independent Panel Member"),
    (Role.COMMISSIONER, "commissioner", "Commissioner"),
    (Role.MONITORING_OFFICER, "monitoring", "Monitoring Officer"),
    (Role.CHIEF_FINANCE_OFFICER, "cfo", "Chief Finance Officer"),
    (Role.FINANCE_OFFICER, "finance", "Finance Officer"),
    (Role.OFFICE_ADMIN, "admin", "Office Administrator"),
    (Role.AUDITOR, "auditor", "Internal Auditor"),
    (Role.CHIEF_EXECUTIVE, "chief-executive", "Chief Executive"),
]

FIRST_NAMES = ["Alex", "Sam", "Jo", "Priya", "Morgan", "Chris", "Aisha", "Rhys", "Dana"]
SURNAMES = {
    "cumbria": "Armstrong",
    "cambridgeshire": "Fairbairn",
    "lancashire": "Hargreaves",
    "essex": "Thorne",
    "cleveland": "Dobson",
}

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


def demo_email(prefix: str, office: Office) -> str:
    return f"{prefix}@{office.slug}.example"


class Command(BaseCommand):
    help = "Create demo organisations and users for every role in every office."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print sign-ins")

    # No worker need be running: receipts, screening and letters run here, as they are queued.
    @jobs_run_immediately()
    def handle(self, *args, **options):
        with transaction.atomic():
            rows, offices = self._people()
        self._applications(offices)
        if not options["quiet_logins"]:
            self._print(rows)

    def _people(self):
        """Staff of every office, the system administrator, and the applicant organisations."""
        offices = list(Office.objects.order_by("name"))
        if not offices:
            call_command("load_pack", all=True, verbosity=0)
            offices = list(Office.objects.order_by("name"))
        system_admin = self._user("sysadmin@pcc-commissioning.example", "System Administrator")
        if not system_admin.is_superuser:
            system_admin.is_superuser = system_admin.is_staff = True
            system_admin.save(update_fields=["is_superuser", "is_staff"])
        totp_activate(user=system_admin, secret=DEMO_TOTP_SECRET)
        rows = [("System administrator (all offices)", system_admin.email)]
        for office in offices:
            surname = SURNAMES.get(office.slug, office.short_name.split()[0])
            for index, (role, prefix, title) in enumerate(STAFF):
                user = self._user(
                    demo_email(prefix, office),
                    f"{FIRST_NAMES[index]} {surname}",
                    job_title=f"{title}, {office.short_name}",
                )
                membership_grant(user=user, office=office, role=role)
                totp_activate(user=user, secret=DEMO_TOTP_SECRET)
                rows.append((f"{office.short_name}: {Role(role).label}", user.email))
        for spec in ORGANISATIONS:
            organisation = self._organisation(spec)
            email, name = spec["user"]
            user = self._user(email, name, job_title="Lead contact")
            OrganisationMember.objects.get_or_create(
                organisation=organisation,
                user=user,
                defaults={"role": OrganisationMember.Role.ADMIN},
            )
            rows.append((f"Applicant: {organisation.name}", email))
            rows += organisations_demo.seed_organisation(
                organisation, admin=user, make_user=self._user
            )
        return rows, offices

    def _applications(self, offices) -> None:
        """Open calls, drafts and submitted applications in every office."""
        from commissioning.applications import demo
        from commissioning.assessment import demo as assessment_demo
        from commissioning.awards import demo as awards_demo
        from commissioning.decisions import demo as decisions_demo

        members = (
            OrganisationMember.objects.filter(role=OrganisationMember.Role.ADMIN)
            .select_related("organisation", "user")
            .order_by("organisation__name")
        )
        organisations = [m.organisation for m in members]
        users = {m.organisation_id: m.user for m in members}
        # One transaction a stage, so that what runs after commit (screening on submission,
        # e-mails) has run before the next stage picks the applications up.
        for office in offices:
            officer = User.objects.get(email=demo_email("officer", office))
            with transaction.atomic():
                demo.seed_rounds(office, officer)
                demo.seed_provision(office)
                demo.seed_applications(office, organisations, users)
            with transaction.atomic():
                organisations_demo.seed_due_diligence(office)
                assessment_demo.seed_office(office)
            with transaction.atomic():
                awards_demo.seed_budgets(office)
                decisions_demo.seed_office(office)
                awards_demo.seed_office(office)

    def _user(self, email: str, full_name: str, job_title: str = "") -> User:
        from allauth.account.models import EmailAddress

        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": full_name, "job_title": job_title}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _organisation(self, spec: dict) -> Organisation:
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

    def _print(self, rows):
        width = max(len(label) for label, _ in rows)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-ins"))
        self.stdout.write(f"  Every account's password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"  Staff also need a code: add the key {DEMO_TOTP_SECRET} to an authenticator app,"
        )
        self.stdout.write("  or run: make totp EMAIL=officer@essex.example")
        self.stdout.write(
            "  Endorsers need no account: they confirm through a one-time link in their e-mail."
        )
        self.stdout.write("")
        for label, email in rows:
            self.stdout.write(f"  {label.ljust(width)}  {email}")
        self.stdout.write("")
