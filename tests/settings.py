"""Settings for the test run: the product's own, with a fast password hasher, and background
tasks run at once in the process that queues them.

Test users need no strong hashing; the production hasher takes half a second per password.
"""

from commissioning.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303

TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}

# Bank details in tests are encrypted with the key derived from SECRET_KEY.
BANK_DETAILS_DEVELOPMENT_KEY = True
