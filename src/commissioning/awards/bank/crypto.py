"""Bank details encrypted at rest with Fernet (the `cryptography` package).

The keys come from settings.BANK_DETAILS_KEY (the BANK_DETAILS_KEY environment variable): one
Fernet key, or several separated by commas while keys are rotated; the first encrypts and any
of them decrypts. Production refuses to start without it (settings.py). Only where
settings.BANK_DETAILS_DEVELOPMENT_KEY allows it (a debug run, the demo, the tests) is a key
derived from SECRET_KEY used instead; anywhere else, encrypting or decrypting without a key
stops with a plain message rather than keeping bank details unprotected.

Nothing here logs or returns a clear value except `decrypt`, which services call only to write
a payment file (and audit it).
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _development_key() -> bytes:
    digest = hashlib.sha256(f"bank-details:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _fernet(keys: str, development: bool, secret: str) -> MultiFernet:
    if keys:
        try:
            return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                "BANK_DETAILS_KEY must be Fernet keys (32 url-safe base64-encoded bytes each), "
                "separated by commas."
            ) from exc
    if development:
        return MultiFernet([Fernet(_development_key())])
    raise ImproperlyConfigured(
        "Set BANK_DETAILS_KEY in the environment before bank details are entered "
        "(see docs/deployment.md)."
    )


def fernet() -> MultiFernet:
    return _fernet(
        getattr(settings, "BANK_DETAILS_KEY", ""),
        bool(getattr(settings, "BANK_DETAILS_DEVELOPMENT_KEY", False)),
        settings.SECRET_KEY,
    )


def encrypt(value: str) -> str:
    """The value encrypted, as text to store; an empty value stays empty."""
    if not value:
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Bank details cannot be read with the BANK_DETAILS_KEY given: keep the old key "
            "after the new one until every record has been encrypted again."
        ) from exc


def new_key() -> str:
    """A fresh key for BANK_DETAILS_KEY."""
    return Fernet.generate_key().decode()
