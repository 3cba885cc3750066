#!/usr/bin/env bash
# Load test against gunicorn on loopback (issue #9). Usage:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5433/quartieri_scale bench/loadtest.sh
# Options (environment): USERS=50 DURATION=3m PORT=8010
#   RESTART_PG="pg_ctl command prefix" RESTART_AT=60 DOWN_FOR=10 : stop PostgreSQL at
#   RESTART_AT seconds for DOWN_FOR seconds (only on a PostgreSQL you own!), to show that
#   errors happen only while it is down and the portal recovers by itself.
# Output in bench/results/<run>/: locust CSV, health probe log, writes check.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL (a scale database, never the real one)}"
USERS=${USERS:-50}; DURATION=${DURATION:-3m}; PORT=${PORT:-8010}
RUN=${RUN:-run-$(date -u +%Y%m%dT%H%M%S)}
OUT=bench/results/$RUN; mkdir -p "$OUT"
export DJANGO_SETTINGS_MODULE=config.settings.production
export SECRET_KEY=${SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')}
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false
export SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false LOG_LEVEL=WARNING
# Each run's case notes carry a marker of their own, so that a run repeated under the same
# name does not count the notes of the one before.
MARK=$RUN-$(date -u +%Y%m%dT%H%M%S)
export LOADTEST_RUN=$MARK LOADTEST_WRITES=$OUT/writes.log
: > "$OUT/writes.log"
.venv/bin/python manage.py collectstatic --noinput -v0
BIND=127.0.0.1:$PORT .venv/bin/gunicorn -c config/gunicorn.py config.wsgi \
  > "$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true; kill ${PROBE:-} 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null && break; sleep 1; done

# Health probe, once a second, for the whole run.
( while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 "http://127.0.0.1:$PORT/health/" || true)
    echo "$(date -u +%H:%M:%S) $code"; sleep 1
  done ) > "$OUT/health.log" &
PROBE=$!

if [ -n "${RESTART_PG:-}" ]; then
  ( sleep "${RESTART_AT:-60}"; echo "$(date -u +%H:%M:%S) stopping PostgreSQL" >> "$OUT/events.log"
    $RESTART_PG stop -m fast >> "$OUT/events.log" 2>&1
    sleep "${DOWN_FOR:-10}"
    echo "$(date -u +%H:%M:%S) starting PostgreSQL" >> "$OUT/events.log"
    $RESTART_PG start >> "$OUT/events.log" 2>&1
    echo "$(date -u +%H:%M:%S) PostgreSQL started" >> "$OUT/events.log" ) &
fi

.venv/bin/locust -f bench/locustfile.py --headless -u "$USERS" -r 10 -t "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --only-summary \
  > "$OUT/locust.log" 2>&1 || true
sleep 2
written=$(wc -l < "$OUT/writes.log")
found=$(.venv/bin/python manage.py shell -c "
from beneficiaries.models import CaseNote
print(CaseNote.objects.filter(text__startswith='$MARK-').count())" | tail -1)
missing=$(.venv/bin/python manage.py shell -c "
from beneficiaries.models import CaseNote
sent = set(open('$OUT/writes.log').read().split())
have = set(CaseNote.objects.filter(text__startswith='$MARK-').values_list('text', flat=True))
print(len(sent - have))" | tail -1)
echo "writes acknowledged: $written, rows found: $found, acknowledged but missing: $missing" \
  | tee "$OUT/writes-check.txt"
.venv/bin/python bench/log_summary.py "$OUT/gunicorn.log" | tee "$OUT/log-summary.txt"
gzip -f "$OUT/gunicorn.log"
tail -n 40 "$OUT/locust.log"
