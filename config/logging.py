"""Structured logs: one JSON object per line on stderr, ready for journald or a collector."""

import datetime as dt
import json
import logging
import os
from collections.abc import Mapping

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        for key, value in vars(record).items():
            if key not in _STANDARD and key != "request" and not key.startswith("_"):
                try:
                    json.dumps(value)
                except (TypeError, ValueError):
                    value = repr(value)
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# Quartieri's own loggers (its apps, by module name); every other logger (Django,
# WeasyPrint, fontTools, matplotlib, axes...) is third-party and says only warnings.
OWN_LOGGERS = ("config", "partners", "labs", "beneficiaries", "reporting", "quartieri")


def log_levels(environ: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """The levels of Quartieri's loggers and of the others, from the environment:
    QUARTIERI_LOG_LEVEL (LOG_LEVEL, its older name; default INFO) and
    LOG_LEVEL_THIRD_PARTY (default WARNING)."""
    own = environ.get("QUARTIERI_LOG_LEVEL") or environ.get("LOG_LEVEL") or "INFO"
    third_party = environ.get("LOG_LEVEL_THIRD_PARTY") or "WARNING"
    return own.upper(), third_party.upper()


def console_logging(name: str, formatter: dict, own: str, third_party: str) -> dict:
    """Everything to stderr; the root logger at the third-party level."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {name: formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": name}},
        "root": {"handlers": ["console"], "level": third_party},
        "loggers": {logger: {"level": own} for logger in OWN_LOGGERS},
    }


def plain_logging(own: str = "INFO", third_party: str = "WARNING") -> dict:
    plain = {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    return console_logging("plain", plain, own, third_party)


def json_logging(own: str = "INFO", third_party: str = "WARNING") -> dict:
    config = console_logging("json", {"()": "config.logging.JsonFormatter"}, own, third_party)
    # Request errors (500s) are at WARNING and above; gunicorn's own messages (workers
    # started, timeouts) at Quartieri's level.
    config["loggers"]["django.request"] = {"level": "WARNING"}
    config["loggers"]["gunicorn.error"] = {"level": own}
    return config
