"""Settings for pcc-commissioning.

Everything that differs between a laptop trial and production is read from the environment:
DATABASE_URL, SECRET_KEY, BANK_DETAILS_KEY, DEBUG, ALLOWED_HOSTS, EMAIL_BACKEND,
COMMISSIONING_DEMO, and the deployment's own (docs/deployment.md, docs/operations.md).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("COMMISSIONING_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# COMMISSIONING_ENV=production turns on the settings a public deployment needs and refuses to
# start without a SECRET_KEY; anything else is a local trial or a test run.
PRODUCTION = os.environ.get("COMMISSIONING_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("COMMISSIONING_DEMO", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY in the environment (see docs/deployment.md).")
    SECRET_KEY = "insecure-key-for-local-trial-only"  # noqa: S105

# Bank details are encrypted at rest (commissioning.awards.bank.crypto) with Fernet keys from
# BANK_DETAILS_KEY: one key, or several separated by commas to rotate (the first encrypts, any
# decrypts). Production refuses to start without it; a local trial, the demo or a debug run
# (and the test run) use a key derived from SECRET_KEY instead, which is no secret at all.
BANK_DETAILS_KEY = os.environ.get("BANK_DETAILS_KEY", "").strip()
BANK_DETAILS_DEVELOPMENT_KEY = not PRODUCTION and (DEBUG or DEMO_MODE)
if PRODUCTION and not BANK_DETAILS_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Set BANK_DETAILS_KEY in the environment: bank details are kept encrypted with it "
        "(see docs/deployment.md)."
    )

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "ninja",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # The apps by layer, lowest first: a lower app never imports a higher one, and what the
    # higher ones register with it (core.registry) is read in this order.
    "commissioning.core",
    "commissioning.audit",
    "commissioning.offices",
    "commissioning.accounts",
    "commissioning.organisations",
    "commissioning.cycle",
    "commissioning.applications",
    "commissioning.assessment",
    "commissioning.decisions",
    "commissioning.awards",
    "commissioning.monitoring",
    "commissioning.procurement",
    "commissioning.transparency",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id.
    "commissioning.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "commissioning.accounts.middleware.StaffMfaRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    "commissioning.core.middleware.SecurityHeadersMiddleware",
    "commissioning.core.middleware.NulInPathMiddleware",
]

ROOT_URLCONF = "commissioning.urls"
# Widgets render from the project's templates too (GOV.UK date input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "commissioning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commissioning.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'commissioning.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "commissioning_cache",
    }
}

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in: e-mail and password, verified e-mail, TOTP for staff, throttled.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins are counted per account (the e-mail address tried) and, more loosely, per
    # address, so one person's wrong passwords do not lock out an office behind one gateway.
    # The account's limit is checked first, so attempts on a locked account do not use up the
    # address's allowance.
    "login_failed": "5/5m/key,30/5m/ip",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "commissioning.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "pcc-commissioning"
# Accept the code of the 30-second period before or after, for clocks that drift (RFC 6238).
MFA_TOTP_TOLERANCE = 1
LOGIN_REDIRECT_URL = "accounts:staff_home"
LOGOUT_REDIRECT_URL = "offices:home"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", PROJECT_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
# Uploaded files and generated PDFs go through Django's storage API: on this machine's disk
# (COMMISSIONING_VAR_DIR/media) unless STORAGE_BUCKET names an S3-compatible bucket, which
# several app servers need (django-storages, the "s3" extra; docs/operations.md). Objects are
# private; downloads stream through the product's permission-checked views, and any address
# the storage hands out is signed and lasts STORAGE_URL_EXPIRY_SECONDS (5 minutes).
STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "")
if STORAGE_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "region_name": os.environ.get("STORAGE_REGION") or None,
            "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL") or None,
            "location": os.environ.get("STORAGE_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("STORAGE_URL_EXPIRY_SECONDS", "300")),
            "file_overwrite": False,
            "custom_domain": None,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Uploads: files are refused as they arrive once a request's files pass
# COMMISSIONING_MAX_UPLOAD_BYTES (10 MB unless set), and never get a name on disk; the other
# fields of a request may hold at most DATA_UPLOAD_MAX_MEMORY_SIZE. docs/deployment.md gives
# the matching body-size limit for the proxy in front.
FILE_UPLOAD_HANDLERS = ["commissioning.core.uploads.LimitedUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Clarification questions are e-mailed to the applicant's members, so an officer may ask at most
# "per_officer" of them, and one application be asked at most "per_application", in any
# "period_seconds" (AP8).
COMMISSIONING_CLARIFICATION_LIMITS = {
    "per_officer": 30,
    "per_application": 10,
    "period_seconds": 3600,
}

# E-mail: console by default; the demo keeps every message in the database outbox.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "commissioning.core.mail.OutboxEmailBackend"
    if DEMO_MODE
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@commissioning.invalid")

# Security headers. In production the cookies are secure, every plain-HTTP request is
# redirected to HTTPS and HSTS is sent for a year, subdomains included; each can be turned off
# from the environment (docs/deployment.md). The health checks answer on plain HTTP too, for a
# load balancer that probes the app server directly.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 60 * 60 * 8
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a TLS-terminating proxy or load balancer (docs/deployment.md): the proxy must set
# X-Forwarded-Proto itself, overwriting whatever the client sent.
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

# Content security policy (django-csp): scripts, styles, fonts and images from this site only,
# no inline script or style anywhere. The API reference page loads its viewer from its own
# template and is left to set its own policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Logs: one JSON object a line on standard error, each with the id of the request (or the
# background task) it belongs to, and never a person's name, e-mail or bank details
# (commissioning.core.observability). LOG_FORMAT=text gives plain lines for a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "commissioning.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "commissioning.core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# /readyz answers 503 when the oldest task waiting to run has waited longer than this.
COMMISSIONING_READY_QUEUE_MAX_AGE = int(os.environ.get("READY_QUEUE_MAX_AGE_SECONDS", "300"))

# Background work (commissioning.core.jobs): queued in the database, run by `manage.py db_worker`
# (docs/deployment.md). "immediate" runs a task in the calling process (demo seeding, tests).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}

COMMISSIONING_PACKS_DIR = PROJECT_DIR / "packs"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
