"""Error pages. A request that fails because the database cannot be reached (a restart,
a network cut) or stays busy (the embedded SQLite, every writer queued for longer than
its timeout) answers 503 "temporarily unavailable" with Retry-After, not 500: the user
learns that trying again in a moment will work, and monitoring can tell an outage from a
bug. Everything else is Django's 500 page (templates/500.html)."""

import sys

from django.contrib.sessions import middleware as sessions
from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30
RETRY_AFTER_BUSY_SECONDS = 5


def is_database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def is_database_busy(error: BaseException) -> bool:
    """SQLite's "database is locked" / "database table is locked": the database works,
    another writer held it for longer than the timeout."""
    return isinstance(error, OperationalError) and "locked" in str(error)


def database_unavailable(error: BaseException) -> HttpResponse:
    busy = is_database_busy(error)
    # Rendered without the request: context processors would query the database.
    page = loader.get_template("503.html").render({"busy": busy})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_BUSY_SECONDS if busy else RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return database_unavailable(error)
    return defaults.server_error(request, template_name)


def _remember_database_error(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and is_database_unavailable(error):
        request.database_error = error


# Sent by Django for every exception it turns into an error page, in any layer.
got_request_exception.connect(_remember_database_error, dispatch_uid="quartieri-db-error")


class DatabaseUnavailableMiddleware:
    """The same 503 with DEBUG on. The development server (make run, config.settings
    .local) would otherwise answer Django's technical 500 page, and a small team sharing
    it would read a crash where there is only a queue. Placed outside the session
    middleware, it also covers the session saved on the way out; the traceback is still
    logged by Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, "database_error", None)
        if error is not None and response.status_code == 500:
            return database_unavailable(error)
        return response


def _database_cause(error: BaseException) -> BaseException | None:
    while error is not None and not is_database_unavailable(error):
        error = error.__context__
    return error


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, except that a session that cannot be saved because the database is
    busy or down answers the 503 page. Django reads any failed update as "the session
    was deleted meanwhile" and answers 400 (SessionInterrupted); with
    SESSION_SAVE_EVERY_REQUEST a page that only reads would then fail with a 400 while
    SQLite is busy."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted as interrupted:
            cause = _database_cause(interrupted)
            if cause is None:
                raise
            return database_unavailable(cause)
