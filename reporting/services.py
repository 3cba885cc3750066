"""The lifecycle of a progress report: generate (in the background), edit the narrative,
submit. A submitted version is frozen: its snapshot, its PDF and their SHA-256 never
change; regenerating makes version n+1."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from labs.concurrency import ConcurrentEditError, claim_version
from labs.models import ReportingPeriod

from .models import ProgressReport, SubmittedReportError

Status = ProgressReport.Status

__all__ = [
    "ConcurrentEditError",
    "ReportError",
    "report_build",
    "report_generate",
    "report_narrative_update",
    "report_submit",
]


class ReportError(Exception):
    """A report action refused, with a message for the user."""


def _enqueue(report: ProgressReport) -> ProgressReport:
    """Queue the generation (reporting/tasks.py): the request answers at once and the
    progress page polls the report's row while a worker builds it."""
    from .tasks import generate_report

    result = generate_report.enqueue(report.pk)
    ProgressReport.objects.filter(pk=report.pk).exclude(status=Status.SUBMITTED).update(
        task_id=str(result.id)[:64]
    )
    report.refresh_from_db()
    return report


def report_generate(*, period: ReportingPeriod, actor, language: str = "it") -> ProgressReport:
    """A new version of the period's report (the newest + 1), queued for generation. The
    narrative carries over from the newest version."""
    with transaction.atomic():
        # The lock on the period serialises version numbers (the unique index backs it).
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        latest = ProgressReport.objects.filter(period=period).order_by("-version").first()
        if latest is not None and latest.is_running:
            raise ReportError(
                _("La versione %(v)d è ancora in preparazione: attendi che sia pronta.")
                % {"v": latest.version}
            )
        report = ProgressReport.objects.create(
            project_id=period.project_id,
            period=period,
            version=latest.version + 1 if latest else 1,
            status=Status.QUEUED,
            language=language,
            narrative=dict(latest.narrative) if latest else {},
            generated_by=actor,
        )
    return _enqueue(report)


def _set_progress(report_id: int, revision: int, progress: int) -> None:
    ProgressReport.objects.filter(pk=report_id, revision=revision, status=Status.QUEUED).update(
        progress=progress
    )


def report_build(*, report_id: int) -> str:
    """The work of the background task: gather the figures, freeze them, render the PDF
    and store both with their checksums. The result is kept only if the narrative did not
    change meanwhile (a newer task is then queued for it)."""
    from .pdf import render_report_pdf
    from .report_data import build_report_data, snapshot_sha256

    report = (
        ProgressReport.objects.select_related(
            "project__programme", "project__lead_organisation", "period"
        )
        .filter(pk=report_id, status=Status.QUEUED)
        .first()
    )
    if report is None:
        return "skipped"
    revision = report.revision
    _set_progress(report.pk, revision, 10)
    try:
        data = build_report_data(report.project, report.period, narrative=report.narrative)
        _set_progress(report.pk, revision, 50)
        pdf = render_report_pdf(data, language=report.language)
        _set_progress(report.pk, revision, 90)
    except Exception as error:
        ProgressReport.objects.filter(pk=report.pk, revision=revision, status=Status.QUEUED).update(
            status=Status.FAILED, progress=0, error=str(error)[:500]
        )
        raise
    field = ProgressReport._meta.get_field("pdf")
    name = field.generate_filename(
        report,
        f"relazione-{report.project.slug}-{report.period.start_date:%Y%m}-v{report.version}.pdf",
    )
    stored = field.storage.save(name, ContentFile(pdf))
    updated = ProgressReport.objects.filter(
        pk=report.pk, revision=revision, status=Status.QUEUED
    ).update(
        snapshot=data,
        snapshot_sha256=snapshot_sha256(data),
        pdf=stored,
        pdf_sha256=ProgressReport.sha256(pdf),
        generated_at=timezone.now(),
        status=Status.GENERATED,
        progress=100,
        error="",
    )
    if not updated:  # the narrative changed while this ran: the newer task wins
        field.storage.delete(stored)
        return "superseded"
    if report.pdf and report.pdf.name != stored:  # the PDF of an earlier rendering
        field.storage.delete(report.pdf.name)
    return "generated"


def _clean_narrative(narrative: dict) -> dict:
    from .report_data import NARRATIVE_SECTIONS

    return {key: str(narrative.get(key) or "").strip() for key, _title in NARRATIVE_SECTIONS}


def report_narrative_update(
    *, report: ProgressReport, actor, narrative: dict, revision: int
) -> ProgressReport:
    """Save the narrative sections written by the project lead and render the version
    again. Refused if someone saved it since the form was opened (``revision``), or if
    the version was submitted."""
    with transaction.atomic():
        try:
            claim_version(
                ProgressReport.objects.exclude(status=Status.SUBMITTED),
                pk=report.pk,
                expected=revision,
                field="revision",
                narrative=_clean_narrative(narrative),
                status=Status.QUEUED,
                progress=0,
                error="",
                generated_by=actor,
            )
        except ConcurrentEditError:
            if ProgressReport.objects.filter(pk=report.pk, status=Status.SUBMITTED).exists():
                raise ReportError(
                    _("La relazione è stata trasmessa: non può più cambiare.")
                ) from None
            raise
    return _enqueue(report)


def report_submit(*, report: ProgressReport, actor, revision: int) -> ProgressReport:
    """Submit a generated version of a closed period: from now on it never changes."""
    with transaction.atomic():
        report = (
            ProgressReport.objects.select_for_update().select_related("period").get(pk=report.pk)
        )
        period = report.period
        if report.is_submitted:
            raise ReportError(_("Questa versione è già stata trasmessa."))
        if report.revision != revision:
            raise ConcurrentEditError
        if not period.is_closed:
            raise ReportError(_("Chiudi il periodo prima di trasmettere la relazione."))
        if report.status != Status.GENERATED or not report.pdf:
            raise ReportError(_("La relazione non è pronta: attendi la fine della generazione."))
        if report.generated_at < period.closed_at:
            raise ReportError(
                _(
                    "Questa versione è stata generata prima della chiusura del periodo: "
                    "genera una nuova versione e trasmetti quella."
                )
            )
        from .report_data import snapshot_sha256

        with report.pdf.open("rb") as handle:
            pdf_ok = hashlib.sha256(handle.read()).hexdigest() == report.pdf_sha256
        if not pdf_ok or snapshot_sha256(report.snapshot) != report.snapshot_sha256:
            raise ReportError(
                _("Il PDF o i dati non corrispondono alle impronte: genera una nuova versione.")
            )
        report.status = Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = actor
        try:
            report.save()
        except SubmittedReportError as error:  # pragma: no cover - guarded above
            raise ReportError(str(error)) from error
    return report
