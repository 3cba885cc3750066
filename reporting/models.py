import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from labs.models import Project, ReportingPeriod


class SubmittedReportError(Exception):
    """A submitted report was about to change."""


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from labs import access

        full = access.project_ids_for(user, "reports.view")
        submitted = access.project_ids_for(user, "reports.view_submitted")
        return self.filter(Q(project_id__in=full) | Q(project_id__in=submitted, status="submitted"))


class ProgressReport(models.Model):
    """The report of a project for a period. A submitted version never changes:
    regenerating makes a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        QUEUED = "queued", _("In preparazione")
        FAILED = "failed", _("Non riuscita")
        GENERATED = "generated", _("Generato")
        SUBMITTED = "submitted", _("Trasmesso")

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("progetto"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("periodo"),
    )
    version = models.PositiveSmallIntegerField(_("versione"))
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    language = models.CharField(_("lingua"), max_length=5, default="it")
    narrative = models.JSONField(_("sezioni descrittive"), default=dict, blank=True)
    snapshot = models.JSONField(_("dati congelati"), default=dict, blank=True)
    snapshot_sha256 = models.CharField(_("impronta SHA-256 dei dati"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="private/reports/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("impronta SHA-256 del PDF"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("generato il"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("generato da"),
    )
    submitted_at = models.DateTimeField(_("trasmesso il"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trasmesso da"),
    )

    # Background generation: how far it got (0-100) and, if it failed, why.
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    task_id = models.CharField(_("identificativo dell'attività"), max_length=64, blank=True)
    error = models.CharField(_("errore"), max_length=500, blank=True)
    # Optimistic lock of the narrative form (``version`` is the report's version number).
    revision = models.PositiveIntegerField(_("revisione"), default=0)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("relazione di avanzamento")
        verbose_name_plural = _("relazioni di avanzamento")
        ordering = ["project", "period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="report_version_unique"),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | (Q(submitted_at__isnull=False) & ~Q(pdf_sha256="")),
                name="submitted_report_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.period.name} v{self.version}"

    def save(self, *args, **kwargs):
        """A submitted report never changes: saving it again is refused."""
        if self.pk and ProgressReport.objects.filter(pk=self.pk, status="submitted").exists():
            raise SubmittedReportError(
                _("La relazione è stata trasmessa: non può più essere modificata.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if ProgressReport.objects.filter(pk=self.pk, status="submitted").exists():
            raise SubmittedReportError(
                _("La relazione è stata trasmessa: non può essere eliminata.")
            )
        return super().delete(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.QUEUED

    @staticmethod
    def sha256(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


class ProjectFigures(models.Model):
    """A project's running totals for the Region's programme view, computed by the
    database and stored, so that the view reads one row per project instead of summing
    100,000 people at every request (issue #20; docs/performance.md).

    Never stale when read: the triggers of migration 0004 write a ``FiguresChange`` row
    whenever a row these figures count changes, however it is written (form, import,
    admin, ``update()``, raw SQL), and ``reporting.programmes.figures`` recomputes the
    projects with a change before answering. ``rules`` names the catalogue and the
    version of the rules the figures were computed with; a different one recomputes them.
    """

    project = models.OneToOneField(
        Project,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figures",
        verbose_name=_("progetto"),
    )
    rules = models.CharField(_("regole di calcolo"), max_length=80, blank=True)
    households = models.PositiveIntegerField(_("nuclei"), default=0)
    people = models.PositiveIntegerField(_("persone"), default=0)
    participants = models.PositiveIntegerField(_("partecipanti FSE"), default=0)
    held_minutes = models.PositiveIntegerField(_("minuti di attività svolti"), default=0)
    spent = models.DecimalField(_("spesa"), max_digits=14, decimal_places=2, default=0)
    # The ESF output indicators of every participant who ever entered: {code: {column: n}}.
    esf_outputs = models.JSONField(_("indicatori FSE di output"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("calcolati il"), null=True, blank=True)

    class Meta:
        verbose_name = _("cifre del progetto (vista del programma)")
        verbose_name_plural = _("cifre dei progetti (vista del programma)")

    def __str__(self) -> str:
        return str(self.project_id)


class FiguresChange(models.Model):
    """A row counted by ``ProjectFigures`` changed in this project: written by database
    triggers only, deleted once the project's figures are recomputed. An append-only
    log, so writers never wait for one another or for the programme view."""

    project_id = models.BigIntegerField(_("progetto"), db_index=True)
    claimed = models.BooleanField(_("in ricalcolo"), default=False, db_default=False)

    class Meta:
        verbose_name = _("modifica da ricalcolare")
        verbose_name_plural = _("modifiche da ricalcolare")

    def __str__(self) -> str:
        return f"{self.project_id}"
