"""Logs: Quartieri's own loggers at INFO, third-party ones (WeasyPrint, fontTools, Django)
at WARNING, both set from the environment (config/logging.py)."""

import io
import logging

from django.core.management import call_command

from config.logging import OWN_LOGGERS, json_logging, log_levels, plain_logging

NOISY = ("weasyprint", "fontTools")


def test_levels_come_from_the_environment():
    assert log_levels({}) == ("INFO", "WARNING")
    assert log_levels({"QUARTIERI_LOG_LEVEL": "debug", "LOG_LEVEL_THIRD_PARTY": "error"}) == (
        "DEBUG",
        "ERROR",
    )
    assert log_levels({"LOG_LEVEL": "WARNING"}) == ("WARNING", "WARNING")  # the older name
    for config in (plain_logging("DEBUG", "ERROR"), json_logging("DEBUG", "ERROR")):
        assert config["root"]["level"] == "ERROR"
        assert {config["loggers"][name]["level"] for name in OWN_LOGGERS} == {"DEBUG"}


def test_own_loggers_say_info_and_the_others_only_warnings():
    for name in ("reporting.pdf", "beneficiaries.imports.engine", "labs", "config"):
        assert logging.getLogger(name).getEffectiveLevel() == logging.INFO, name
    for name in ("weasyprint.progress", "fontTools.subset", "matplotlib.font_manager", "axes"):
        assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING, name


def test_progress_report_prints_no_weasyprint_or_fonttools_lines(world, tmp_path, caplog):
    from labs.models import ReportingPeriod

    ReportingPeriod.objects.create(
        project=world.a, name="I semestre 2019", start_date="2019-01-01", end_date="2019-06-30"
    )
    output = tmp_path / "relazione.pdf"
    stdout = io.StringIO()
    call_command(
        "progress_report", "valle", "--period", "2019-01-01:2019-06-30", "--format", "pdf",
        "--output", str(output), stdout=stdout,
    )  # fmt: skip
    assert output.read_bytes().startswith(b"%PDF-")
    noise = [r for r in caplog.records if r.name.startswith(NOISY)]
    assert not noise, [f"{r.name}: {r.getMessage()}" for r in noise[:5]]
