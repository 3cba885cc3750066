"""Summarise a load test's gunicorn log (JSON lines, config/logging.py): responses by
status with the first and last time of each, and the application's errors, so that a
run's failures can be placed on its timeline (events.log, health.log).

    python bench/log_summary.py bench/results/<run>/gunicorn.log
"""

import collections
import datetime as dt
import json
import sys


def access_time(value: str) -> str:
    # gunicorn's "[23/Nov/2026:06:13:55 +0100]", shown in UTC like the other logs.
    moment = dt.datetime.strptime(value.strip("[]"), "%d/%b/%Y:%H:%M:%S %z")
    return moment.astimezone(dt.UTC).strftime("%H:%M:%S")


def main(path: str) -> None:
    statuses = collections.Counter()
    first, last = {}, {}
    errors = collections.Counter()
    for line in open(path, encoding="utf-8"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("logger") == "gunicorn.access":
            key = f"HTTP {record['status']}"
            when = access_time(record["time"])
            statuses[key] += 1
        elif record.get("level") in ("ERROR", "CRITICAL"):
            key = f"{record['level']} {record.get('logger')}"
            when = record["time"][11:19]
            errors[key] += 1
        else:
            continue
        first.setdefault(key, when)
        last[key] = when
    print("Responses by status (UTC):")
    for key, count in sorted(statuses.items()):
        print(f"  {key}: {count:6d}   first {first[key]}   last {last[key]}")
    print("Application errors logged (UTC):")
    for key, count in sorted(errors.items()):
        print(f"  {key}: {count:6d}   first {first[key]}   last {last[key]}")
    if not errors:
        print("  none")


if __name__ == "__main__":
    main(sys.argv[1])
