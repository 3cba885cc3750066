"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.logging import log_levels, plain_logging

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY", "insecure-development-key-change-me-0123456789abcdefghijklmnop")
# Key of the pseudonyms in the participant export for the Region (reporting.exports);
# empty: a key derived from SECRET_KEY. Changing it changes every pseudonym.
REPORT_PSEUDONYM_SECRET = env("REPORT_PSEUDONYM_SECRET", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_countries",  # ISO 3166 countries with their Italian names (citizenship)
    # SPID and CIE login (config/spid.py): the federation entity and its relying party.
    "spid_cie_oidc.entity",
    "spid_cie_oidc.relying_party",
    "partners",
    "labs",
    "beneficiaries",
    "reporting",
]

# Background tasks (report generation): the database queue, run by `manage.py db_worker`.
# TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them in the request.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A request failing on the database (busy or down) answers 503, also with DEBUG on
    # and when it is the session that cannot be saved (config/errors.py).
    "config.errors.DatabaseUnavailableMiddleware",
    "config.errors.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Leads and administrators give a second factor before any page (config/two_factor).
    "config.two_factor.policy.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "labs.context_processors.portal",
            ],
            # Django's date, time and floatformat filters, remembered per value, format
            # and language (the same text, for a fraction of the work on the lists).
            "builtins": ["labs.templatetags.remembered_formats"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}


def tune_postgresql(database: dict) -> dict:
    """Planner settings for each PostgreSQL connection. random_page_cost 1.1 instead of
    the default 4 (which models spinning disks): the portal's data fits in memory or sits
    on SSD, and at the reference size (docs/performance.md) the default makes PostgreSQL
    read the whole household-member table (20 ms) instead of 400 index lookups (0.8 ms)
    to find a project's people. PG_RANDOM_PAGE_COST="" leaves the server's value."""
    cost = env("PG_RANDOM_PAGE_COST", "1.1")
    if database["ENGINE"] == "django.db.backends.postgresql" and cost:
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"-c random_page_cost={float(cost)}"
    return database


tune_postgresql(DATABASES["default"])


def tune_sqlite(database: dict) -> dict:
    """The embedded SQLite default (make run, a small team's demo server) under several
    writers at once. WAL: readers never wait for the writer, nor the writer for readers.
    IMMEDIATE: a transaction takes the write lock when it begins, so two transactions
    that read then write queue one after the other instead of one failing at once with
    "database is locked" (a deferred transaction cannot wait for a lock it would need
    to upgrade to). timeout: how long a writer waits in that queue (SQLITE_TIMEOUT
    seconds) before the page answers 503 "busy" (config/errors.py). synchronous=NORMAL
    is safe with WAL (a power cut may lose the last commits, never corrupt the file)."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        options = database.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", int(env("SQLITE_TIMEOUT", "20")))
        options.setdefault(
            "init_command",
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        )
    return database


tune_sqlite(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request, and with the browser.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", "1800"))
# A partner operator's login lasts a working day, also across browser restarts: they fill
# registers offline on a tablet (labs/login_policy.py, docs/offline.md).
PARTNER_SESSION_AGE = int(env("PARTNER_SESSION_AGE", str(10 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes (config/login_throttling.py, docs/access.md): five failed logins within
# 15 minutes from one address (any usernames), or for one username (from any addresses),
# suspend logins from that address, or for that username, for 15 minutes. Failures made
# while suspended do not prolong it, so a stranger cannot keep a real user out by
# trying again now and then.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["ip_address"], ["username"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # only the signed-in username's failures (LoginAttemptsHandler)
AXES_HANDLER = "config.login_throttling.LoginAttemptsHandler"
AXES_CLIENT_IP_CALLABLE = "config.login_throttling.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept, also after a reset (admin)
# Reverse proxies whose X-Forwarded-For names the client (empty: REMOTE_ADDR is the client).
TRUSTED_PROXY_IPS = [ip for ip in env("TRUSTED_PROXY_IPS", "").split(",") if ip]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# SPID and CIE through OpenID Connect Federation (spid-cie-oidc's relying party;
# config/spid.py; docs/operations.md, "Registering the relying party in the SPID/CIE
# federation"). Off until SPID_CIE_RP_ENTITY_ID is set, e.g.
# https://quartieri.comune.example.it/oidc/rp (no trailing slash). Its keys and metadata
# are written to the database by `manage.py spid_relying_party`.
SPID_CIE_RP_ENTITY_ID = env("SPID_CIE_RP_ENTITY_ID", "")
SPID_CIE_RP = {
    "organization_name": env("SPID_CIE_RP_ORGANISATION", "Quartieri"),
    "contacts": [c for c in env("SPID_CIE_RP_CONTACTS", "").split(",") if c],
    "homepage_uri": env("SPID_CIE_RP_HOMEPAGE", ""),
    "policy_uri": env("SPID_CIE_RP_POLICY", ""),
    # Private JWKs as JSON: federation signing key, OIDC core signing and encryption keys.
    "jwk_federation": env("SPID_CIE_RP_JWK_FEDERATION", ""),
    "jwk_core_sig": env("SPID_CIE_RP_JWK_CORE_SIG", ""),
    "jwk_core_enc": env("SPID_CIE_RP_JWK_CORE_ENC", ""),
    # The trust marks the registry issued at onboarding: JSON [{"id": ..., "trust_mark": ...}].
    "trust_marks": env("SPID_CIE_RP_TRUST_MARKS", "[]"),
}
SPID_TRUST_ANCHOR = env("SPID_TRUST_ANCHOR", "https://registry.spid.gov.it")
CIE_TRUST_ANCHOR = env("CIE_TRUST_ANCHOR", "https://oidc.registry.servizicie.interno.gov.it")
OIDCFED_TRUST_ANCHORS = list(dict.fromkeys([SPID_TRUST_ANCHOR, CIE_TRUST_ANCHOR]))
OIDCFED_DEFAULT_TRUST_ANCHOR = SPID_TRUST_ANCHOR
SPID_CIE_RP_AUTHORITY_HINTS = [
    h for h in env("SPID_CIE_RP_AUTHORITY_HINTS", ",".join(OIDCFED_TRUST_ANCHORS)).split(",") if h
]


def identity_providers(value: str) -> dict[str, str]:
    """'Name=https://op.example,https://other.example' -> {url: name or ""}."""
    providers = {}
    for item in filter(None, (i.strip() for i in value.split(","))):
        name, sep, url = item.partition("=")
        if not sep or "://" in name:
            name, url = "", item
        providers[url.strip()] = name.strip()
    return providers


SPID_PROVIDERS = identity_providers(env("SPID_OIDC_PROVIDERS", ""))
CIE_PROVIDERS = identity_providers(env("CIE_OIDC_PROVIDERS", ""))
OIDCFED_IDENTITY_PROVIDERS = {
    "spid": {url: SPID_TRUST_ANCHOR for url in SPID_PROVIDERS},
    "cie": {url: CIE_TRUST_ANCHOR for url in CIE_PROVIDERS},
}
SPID_CIE_PROVIDER_NAMES = {**SPID_PROVIDERS, **CIE_PROVIDERS}
# Level of assurance asked for (SPID L2: password and a second factor) and accepted.
OIDCFED_ACR_PROFILES = "https://www.spid.gov.it/SpidL2"
SPID_CIE_ACCEPTED_ACR = ["https://www.spid.gov.it/SpidL2", "https://www.spid.gov.it/SpidL3"]
RP_USER_CREATE = False  # accounts are found by codice fiscale, never created
HTTPC_TIMEOUT = int(env("SPID_CIE_HTTP_TIMEOUT", "8"))

# Two-factor authentication (config/two_factor, docs/access.md): project leads and
# administrators give a TOTP code (or a recovery code) after the password. On unless
# REQUIRE_TWO_FACTOR says otherwise; development and the demo turn it off.
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", True)
OTP_TOTP_ISSUER = "Quartieri"
# Wrong codes are counted and locked by django-axes with the passwords; django-otp's own
# growing delay between attempts would only add a second, unexplained refusal.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Citizenship lists Italy first, then every country by its name in the user's language.
COUNTRIES_FIRST = ["IT"]
# English keeps Italian dates (dd/mm/yyyy): config/formats/en/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (agreements, sign-in sheets, report PDFs) are never served by the web
# server: views check access and stream them.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# Evidence files of sessions (sign-in sheets, photos): PDF, JPEG or PNG up to this size.
EVIDENCE_MAX_BYTES = int(env("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Imports (XLSX/CSV): largest file and most data rows accepted; the uploaded file waits
# for confirmation in a private directory, never under a served path.
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "50000"))
# An XLSX is a zip: refused before it is parsed if it unpacks to more than this (50,000
# rows of the people template, every column filled, unpack to about 75 MB), or if a part
# over 1 MB expands more than this many times (a real sheet about 20, a zip bomb 1,000+).
IMPORT_MAX_UNPACKED_BYTES = int(env("IMPORT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024)))
IMPORT_MAX_COMPRESSION_RATIO = int(env("IMPORT_MAX_COMPRESSION_RATIO", "100"))
IMPORT_PRIVATE_DIR = Path(env("IMPORT_PRIVATE_DIR", str(MEDIA_ROOT / "private" / "imports")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# No inline script, no asset from another site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],  # Bootstrap Italia embeds one icon font
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Quartieri <noreply@quartieri.example>")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# INFO for Quartieri's own loggers, WARNING for the rest (WeasyPrint's progress and
# fontTools' subsetting say INFO per page and font): QUARTIERI_LOG_LEVEL and
# LOG_LEVEL_THIRD_PARTY change them (config/logging.py).
LOGGING = plain_logging(*log_levels())
