"""Production: everything secret or site-specific comes from the environment, no defaults.

Required: SECRET_KEY (50+ characters), ALLOWED_HOSTS (comma-separated), DATABASE_URL
(postgres://user:password@host:port/name). Optional: EMAIL_HOST, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL, SERVER_EMAIL,
MEDIA_ROOT, QUARTIERI_LOG_LEVEL, LOG_LEVEL_THIRD_PARTY, CONN_MAX_AGE, SECURE_SSL_REDIRECT.
See docs/operations.md.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.logging import json_logging, log_levels

from .base import *  # noqa: F403
from .base import env, env_bool, tune_postgresql

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment (50+ characters).")
ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS") or "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment.")

DATABASE_URL = env("DATABASE_URL") or ""
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...).")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # Persistent connections, checked before reuse: after a PostgreSQL restart the
        # first request of each worker opens a new connection instead of failing.
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
tune_postgresql(DATABASES["default"])

# Leads and administrators always give a second factor in production.
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", True)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The health endpoint is probed over plain HTTP on loopback by the supervisor.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The TLS proxy in front of gunicorn (same host by default, like FORWARDED_ALLOW_IPS): its
# X-Forwarded-For names the browser, whose address login throttling counts.
TRUSTED_PROXY_IPS = [
    ip.strip() for ip in (env("TRUSTED_PROXY_IPS") or "127.0.0.1").split(",") if ip.strip()
]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*"]

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Quartieri <noreply@quartieri.example>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = json_logging(*log_levels())
