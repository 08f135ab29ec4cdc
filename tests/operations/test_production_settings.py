"""The production settings as a deployment gets them from its environment (issue 14, items 1
and 7): secure cookies, HTTPS and HSTS, the proxy header, JSON logs, and uploaded files in a
private S3 bucket with signed, short-lived addresses. Each reads the settings afresh in a
child process; nothing here touches the network."""

import json
import os
import subprocess  # noqa: S404 - runs this product's own settings, no shell
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "COMMISSIONING_ENV": "production",
    "SECRET_KEY": "k" * 20 + "production-settings-test-" + "x" * 20,
    "BANK_DETAILS_KEY": "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXQ=",
    "ALLOWED_HOSTS": "funding.example-pcc.gov.uk",
    "CSRF_TRUSTED_ORIGINS": "https://funding.example-pcc.gov.uk",
    "BEHIND_PROXY": "1",
}
S3 = {
    "STORAGE_BUCKET": "pcc-files",
    "STORAGE_REGION": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "AKIATESTTESTTESTTEST",
    "AWS_SECRET_ACCESS_KEY": "test-secret-not-real",
}

READ = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
out = {name: getattr(settings, name, None) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER", "SESSION_ENGINE", "LOG_FORMAT", "SECURE_REDIRECT_EXEMPT")}
out["LOGGING_FORMATTER"] = settings.LOGGING["handlers"]["console"]["formatter"]
storage = storages["default"]
out["storage"] = type(storage).__module__ + "." + type(storage).__name__
if out["storage"].endswith("S3Storage"):
    out["acl"] = storage.default_acl
    out["querystring_auth"] = storage.querystring_auth
    out["expire"] = storage.querystring_expire
    out["overwrite"] = storage.file_overwrite
    out["url"] = storage.url("attachments/abc/quote.pdf")
print(json.dumps(out))
"""


def read_settings(extra: dict) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "STORAGE_", "SECURE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "commissioning.settings", "PYTHONPATH": str(ROOT / "src")},
        **extra,
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_is_https_only_with_secure_cookies_and_json_logs():
    s = read_settings(PRODUCTION)
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and s["SECURE_HSTS_PRELOAD"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SECURE_REDIRECT_EXEMPT"] == ["^healthz$", "^readyz$"]
    # Sessions live in the database, so every app server knows every sign-in.
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert s["LOGGING_FORMATTER"] == "json"
    assert s["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_a_trial_keeps_plain_http_and_readable_logs():
    s = read_settings({})
    assert s["SECURE_SSL_REDIRECT"] is False and s["SECURE_HSTS_SECONDS"] == 0
    assert s["SESSION_COOKIE_SECURE"] is False and s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["LOGGING_FORMATTER"] == "text"


def test_files_go_to_a_private_bucket_with_signed_addresses_that_last_five_minutes():
    pytest.importorskip("storages.backends.s3")
    s = read_settings({**PRODUCTION, **S3})
    assert s["storage"] == "storages.backends.s3.S3Storage"
    assert s["acl"] == "private" and s["querystring_auth"] is True
    assert s["expire"] == 300 and s["overwrite"] is False
    url = s["url"]
    assert url.startswith("https://pcc-files.s3.")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    assert "X-Amz-Credential=AKIATESTTESTTESTTEST" in url


def test_the_deploy_check_is_clean_with_the_documented_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    env.update(PRODUCTION, PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
