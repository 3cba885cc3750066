"""Health endpoint for the load balancer and the process supervisor: it answers 200 only
when the database answers a query. No login, no session, nothing cached."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure (down, refused, timed out) means "not healthy"
        # Drop the broken connection so that the next request opens a fresh one.
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
