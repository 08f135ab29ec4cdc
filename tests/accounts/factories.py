import factory

from commissioning.accounts.mfa import totp_activate
from commissioning.accounts.models import OfficeMembership, Role, User

PASSWORD = "Correct-horse-battery-1"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        from allauth.account.models import EmailAddress

        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeMembership

    user = factory.SubFactory(UserFactory)
    role = Role.COMMISSIONING_OFFICER


def staff_user(office, role=Role.COMMISSIONING_OFFICER, *, mfa=True, **kwargs) -> User:
    """A user holding a role in an office, with an authenticator unless mfa=False."""
    from commissioning.accounts.services import membership_grant

    user = UserFactory(**kwargs)
    membership_grant(user=user, office=office, role=role)
    if mfa:
        totp_activate(user=user, secret=TOTP_SECRET)
    return user


def sign_in(client, user, *, mfa: bool = True) -> None:
    """Sign the test client in as the user. With mfa=True the session records a completed
    authenticator code, as allauth does at sign-in; without it the session is password-only,
    which staff pages refuse."""
    import time

    client.force_login(user)
    if mfa:
        session = client.session
        now = time.time()
        session["account_authentication_methods"] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
