"""Demo people for every role in every loaded office, and the system administrator (seed_demo).
Running it again duplicates nothing."""

import functools

from django.contrib.auth.hashers import make_password
from django.db import transaction

from commissioning.accounts.mfa import totp_activate
from commissioning.accounts.models import Role, User
from commissioning.accounts.services import membership_grant
from commissioning.offices.models import Office

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


def demo_email(prefix: str, office: Office) -> str:
    return f"{prefix}@{office.slug}.example"


@functools.cache
def _demo_password_hash() -> str:
    """The demo password hashed once: every demo account shares it, and hashing it for each of
    them with the production hasher is most of the time `make run` takes to seed."""
    return make_password(DEMO_PASSWORD)


def demo_user(email: str, full_name: str, job_title: str = "") -> User:
    """A demo account with the demo password and a verified address."""
    from allauth.account.models import EmailAddress

    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "job_title": job_title}
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(run) -> None:
    """The system administrator and one person for each role in every office."""
    run.notes += [
        f"Every account's password: {DEMO_PASSWORD}",
        f"Staff also need a code: add the key {DEMO_TOTP_SECRET} to an authenticator app,",
        "or run: make totp EMAIL=officer@essex.example",
    ]
    with transaction.atomic():
        system_admin = demo_user("sysadmin@pcc-commissioning.example", "System Administrator")
        if not system_admin.is_superuser:
            system_admin.is_superuser = system_admin.is_staff = True
            system_admin.save(update_fields=["is_superuser", "is_staff"])
        totp_activate(user=system_admin, secret=DEMO_TOTP_SECRET)
        run.sign_ins.append(("System administrator (all offices)", system_admin.email))
        for office in Office.objects.order_by("name"):
            surname = SURNAMES.get(office.slug, office.short_name.split()[0])
            for index, (role, prefix, title) in enumerate(STAFF):
                user = demo_user(
                    demo_email(prefix, office),
                    f"{FIRST_NAMES[index]} {surname}",
                    job_title=f"{title}, {office.short_name}",
                )
                membership_grant(user=user, office=office, role=role)
                totp_activate(user=user, secret=DEMO_TOTP_SECRET)
                run.sign_ins.append((f"{office.short_name}: {Role(role).label}", user.email))
