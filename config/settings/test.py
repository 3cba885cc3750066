"""Tests: fast hasher, mails in memory, plain static storage; DATABASE_URL picks the DB."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijkl"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LANGUAGE_CODE = "it"
# Off for the suite's force_login of leads; tests/portal/test_two_factor.py turns it on.
REQUIRE_TWO_FACTOR = False

# Static files come from the finders in tests; whitenoise would want a collected STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# Tests queue tasks in the database as production does: a request that generates a report
# answers at once with the progress page, and a test that wants the result runs the queue
# with the `run_tasks` fixture (tests/conftest.py: `db_worker --batch`, production's worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# SPID/CIE tests (tests/portal/spid_federation.py): spid-cie-oidc's own trust anchors and
# OpenID providers, SPID's and CIE's, run next to the relying party, in a live server.
# Their pages extend a template of the design-django-theme package, replaced by a plain
# one under tests/.
INSTALLED_APPS = [*INSTALLED_APPS, "spid_cie_oidc.authority", "spid_cie_oidc.provider"]  # noqa: F405
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "portal" / "templates"]  # noqa: F405
# The library's trust anchor and provider apps are installed in tests only, and their own
# migrations cannot be applied next to the entity app's (a foreign key to a model that
# those migrations create later): one migration per app made from their models
# (tests/spid_migrations/). The relying party's apps, the ones production installs, keep
# the library's migrations, so tests/portal/test_migrations.py replays what production does.
MIGRATION_MODULES = {
    f"spid_cie_oidc_{app}": f"tests.spid_migrations.{app}" for app in ("authority", "provider")
}
