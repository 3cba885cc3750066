"""Development on one machine: SQLite by default, mails printed to the console."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DEBUG", True)
# The demo users sign in with their password only (REQUIRE_TWO_FACTOR=1 to try it).
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", False)
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Development: production's database queue, run by a thread of the server once the
# request has answered (labs/background.py), so the same progress page shows.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "labs.background.ThreadedDatabaseBackend")}}
