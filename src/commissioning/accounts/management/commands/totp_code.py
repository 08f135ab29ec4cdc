from django.core.management.base import BaseCommand, CommandError

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import User


class Command(BaseCommand):
    help = "Print the current sign-in code of a demo user's authenticator (demo and tests only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        from django.conf import settings

        if not settings.DEMO_MODE and not settings.DEBUG:
            raise CommandError("Only available in the demo (COMMISSIONING_DEMO=1).")
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        try:
            self.stdout.write(totp_current_code(user))
        except Exception as exc:
            raise CommandError(f"{email} has no authenticator set up.") from exc
