"""Settings for the app servers the operations tests start with gunicorn: the test run's own
(fast password hashing, the packs' test offices in the test database), with background work
queued in the database as in production, so the servers do not run it in the request."""

import os

from tests.settings import *  # noqa: F403

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["COMMISSIONING_VAR_DIR"] + "/media"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
