"""Error pages. A request that fails because the database cannot be reached (a restart,
a network cut) answers 503 "temporarily unavailable" with Retry-After, not 500: the
user learns that trying again in a minute will work, and monitoring can tell an outage
from a bug. Everything else is Django's 500 page (templates/500.html)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        # Rendered without the request: context processors would query the database.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request, template_name)
