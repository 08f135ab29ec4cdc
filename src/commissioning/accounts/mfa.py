"""Multi-factor sign-in helpers around django-allauth's TOTP authenticators."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core.cache import cache

# A fresh code asked for at the moment of an act (countersigning) can be wrong this many times
# in this many seconds; after that the act is refused until the window has passed, so nobody
# can try codes until one fits.
FRESH_CODE_ATTEMPTS = 5
FRESH_CODE_WINDOW = 15 * 60


def has_totp(user) -> bool:
    cached = getattr(user, "_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._has_totp = cached
    return cached


def totp_activate(*, user, secret: str) -> None:
    """Give a user a TOTP authenticator with a known secret (demo data and tests)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


def totp_current_code(user, *, periods_ahead: int = 0) -> str:
    """The user's authenticator code now, or one period ahead (accepted for clock drift): the
    demo signs twice within one period, and a code is accepted only once."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2 + periods_ahead]))


def totp_code_verify(user, code: str) -> bool:
    """Whether `code` is a current code of the user's authenticator app, not used before: for
    an act that asks for a fresh code at the moment it is done (countersigning an agreement)."""
    code = "".join((code or "").split())
    if not code.isdigit():
        return False
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authenticator is not None and TOTP(authenticator).validate_code(code)


def _failures_key(user) -> str:
    return f"fresh-code-failures:{user.pk}"


def fresh_code_locked_out(user) -> bool:
    """Whether the user has entered too many wrong fresh codes lately."""
    return (cache.get(_failures_key(user)) or 0) >= FRESH_CODE_ATTEMPTS


def fresh_code_failure_record(user) -> None:
    """Count a wrong fresh code. Call it outside the transaction the act ran in: the cache
    lives in the database, and a rolled-back transaction would forget the failure."""
    key = _failures_key(user)
    if not cache.add(key, 1, FRESH_CODE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, FRESH_CODE_WINDOW)


def session_passed_mfa(request) -> bool:
    """Whether this session's sign-in, by this user, included an authenticator code (or
    recovery code). Having an authenticator is not enough: a session made another way (the
    Django admin's own form, a password alone) has not passed it."""
    from allauth.account.authentication import get_authentication_records

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def record_mfa_on_activation(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up an authenticator checks a code from it, so the session has passed MFA."""
    from allauth.account.internal.flows.login import record_authentication

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
