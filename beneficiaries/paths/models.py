"""Individual paths (percorsi) with the ESF entry profile, exit and follow-up."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries import querysets as qs
from beneficiaries.models import Answer, Person
from labs.models import Axis, Project

# The six-month follow-up (docs/indicators.md, "Six months after leaving"): due six
# calendar months after the exit (Reg. (EU) 1304/2013 and 2021/1057, Annex I: "six months
# after leaving"), taken from that day up to FOLLOWUP_WINDOW_DAYS later.
FOLLOWUP_MONTHS = 6
FOLLOWUP_WINDOW_DAYS = 28

# The ESF entry profile of a path, in the order of the entry form: the situation at entry,
# then the optional questions on special categories of data (art. 9 GDPR).
ENTRY_PROFILE_FIELDS = (
    "labour_status",
    "unemployment_months",
    "education_level",
    "jobless_household",
    "dependent_children",
    "single_adult_household",
    "homeless_or_housing_exclusion",
    "rural_area",
)
ENTRY_SENSITIVE_FIELDS = (
    "foreign_background",
    "third_country_national",
    "minority",
    "disability",
    "other_disadvantage",
)


def followup_window(exit_date: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(first day, last day) on which the six-month follow-up of a path that left on
    ``exit_date`` may be taken; (None, None) while the path is open."""
    if exit_date is None:
        return None, None
    due = exit_date + relativedelta(months=FOLLOWUP_MONTHS)
    return due, due + dt.timedelta(days=FOLLOWUP_WINDOW_DAYS)


class Path(models.Model):
    """A person's individual path (presa in carico) in a project: an ESF participant.

    The entry profile is frozen at entry; re-entry in the same project keeps it.
    """

    class LabourStatus(models.TextChoices):
        EMPLOYED = "employed", _("Occupato/a (anche autonomo/a)")
        UNEMPLOYED = "unemployed", _("Disoccupato/a (con DID)")
        INACTIVE_STUDYING = "inactive_studying", _("Inattivo/a, in istruzione o formazione")
        INACTIVE_OTHER = "inactive_other", _("Inattivo/a, non in istruzione né formazione")

    class Isced(models.IntegerChoices):
        ISCED_0 = 0, _("Nessun titolo / educazione prescolare (ISCED 0)")
        ISCED_1 = 1, _("Licenza elementare (ISCED 1)")
        ISCED_2 = 2, _("Licenza media (ISCED 2)")
        ISCED_3 = 3, _("Diploma o qualifica professionale (ISCED 3)")
        ISCED_4 = 4, _("Post-diploma non terziario, IFTS (ISCED 4)")
        ISCED_5 = 5, _("ITS, terziario di ciclo breve (ISCED 5)")
        ISCED_6 = 6, _("Laurea triennale (ISCED 6)")
        ISCED_7 = 7, _("Laurea magistrale (ISCED 7)")
        ISCED_8 = 8, _("Dottorato (ISCED 8)")

    class ExitReason(models.TextChoices):
        COMPLETED = "completed", _("Percorso completato")
        EARLY_JOB = "early_job", _("Interrotto per lavoro")
        DROPPED_OUT = "dropped_out", _("Ritirato/a")
        OTHER = "other", _("Altro")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="paths", verbose_name=_("persona")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="paths", verbose_name=_("progetto")
    )
    axis = models.ForeignKey(
        Axis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paths",
        verbose_name=_("sub-progetto / asse"),
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tutored_paths",
        verbose_name=_("tutor"),
    )
    entry_date = models.DateField(_("data di ingresso"))
    planned_hours = models.DecimalField(
        _("ore previste"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    allowance_eligible = models.BooleanField(_("ha diritto all'indennità"), default=False)

    # ESF entry profile (non-sensitive)
    labour_status = models.CharField(
        _("condizione occupazionale all'ingresso"),
        max_length=20,
        choices=LabourStatus.choices,
        blank=True,
    )
    unemployment_months = models.PositiveSmallIntegerField(
        _("mesi di disoccupazione all'ingresso"), null=True, blank=True
    )
    education_level = models.PositiveSmallIntegerField(
        _("titolo di studio (ISCED)"), choices=Isced.choices, null=True, blank=True
    )
    jobless_household = models.BooleanField(_("nessun occupato nel nucleo"), null=True, blank=True)
    dependent_children = models.BooleanField(_("figli a carico nel nucleo"), null=True, blank=True)
    single_adult_household = models.BooleanField(
        _("unico adulto nel nucleo"), null=True, blank=True
    )
    homeless_or_housing_exclusion = models.BooleanField(
        _("senza dimora o in esclusione abitativa"), null=True, blank=True
    )
    rural_area = models.BooleanField(_("residente in area rurale"), default=False)
    # ESF entry profile (special categories: may be declined)
    foreign_background = models.CharField(
        _("migrante o di origine straniera"), max_length=10, choices=Answer.choices, blank=True
    )
    third_country_national = models.CharField(
        _("cittadino/a di paese terzo"), max_length=10, choices=Answer.choices, blank=True
    )
    minority = models.CharField(
        _("appartenente a una minoranza (anche rom)"),
        max_length=10,
        choices=Answer.choices,
        blank=True,
    )
    disability = models.CharField(
        _("persona con disabilità"), max_length=10, choices=Answer.choices, blank=True
    )
    other_disadvantage = models.CharField(
        _("altro svantaggio"), max_length=10, choices=Answer.choices, blank=True
    )

    # Exit
    exit_date = models.DateField(_("data di uscita"), null=True, blank=True)
    exit_reason = models.CharField(
        _("motivo dell'uscita"), max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_job_searching = models.BooleanField(
        _("in cerca di lavoro all'uscita"), null=True, blank=True
    )
    exit_in_education = models.BooleanField(
        _("in istruzione / formazione all'uscita"), null=True, blank=True
    )
    exit_qualification = models.BooleanField(_("ha ottenuto una qualifica"), null=True, blank=True)
    exit_employed = models.BooleanField(
        _("occupato/a all'uscita (anche autonomo/a)"), null=True, blank=True
    )
    # Six months after exit
    followup_date = models.DateField(_("data della rilevazione a 6 mesi"), null=True, blank=True)
    followup_employed = models.BooleanField(_("occupato/a a 6 mesi"), null=True, blank=True)
    followup_improved = models.BooleanField(
        _("situazione lavorativa migliorata a 6 mesi"), null=True, blank=True
    )
    followup_self_employed = models.BooleanField(
        _("lavoratore/lavoratrice autonomo/a a 6 mesi"), null=True, blank=True
    )
    followup_in_education = models.BooleanField(
        _("in istruzione / formazione a 6 mesi"), null=True, blank=True
    )
    followup_job_searching = models.BooleanField(
        _("in cerca di lavoro a 6 mesi"), null=True, blank=True
    )
    # Set from exit_date on save (followup_window): the follow-up counts only inside it.
    followup_due_date = models.DateField(
        _("rilevazione a 6 mesi: dal"), null=True, blank=True, editable=False
    )
    followup_window_end = models.DateField(
        _("rilevazione a 6 mesi: entro il"), null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = qs.PathQuerySet.as_manager()

    class Meta:
        verbose_name = _("percorso individuale")
        verbose_name_plural = _("percorsi individuali")
        ordering = ["-entry_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "project"],
                name="one_path_per_person_per_project",
                violation_error_message=_(
                    "La persona ha già un percorso in questo progetto: riaprire quello."
                ),
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="path_exit_not_before_entry",
                violation_error_message=_("L'uscita non può precedere l'ingresso."),
            ),
            models.CheckConstraint(
                condition=Q(followup_date__isnull=True)
                | (Q(exit_date__isnull=False) & Q(followup_date__gte=F("exit_date"))),
                name="path_followup_after_exit",
                violation_error_message=_("La rilevazione a 6 mesi segue l'uscita."),
            ),
            models.CheckConstraint(
                condition=Q(unemployment_months__isnull=True) | Q(labour_status="unemployed"),
                name="path_unemployment_months_only_if_unemployed",
                violation_error_message=_(
                    "I mesi di disoccupazione si indicano solo per chi è disoccupato."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.project}"

    def save(self, *args, **kwargs):
        self.set_followup_window()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "exit_date" in update_fields:
            kwargs["update_fields"] = {*update_fields, "followup_due_date", "followup_window_end"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.exit_date and self.entry_date and self.exit_date < self.entry_date:
            errors["exit_date"] = _("L'uscita non può precedere l'ingresso.")
        if self.axis_id and self.project_id and self.axis.project_id != self.project_id:
            errors["axis"] = _("L'asse appartiene a un altro progetto.")
        if self.unemployment_months is not None and self.labour_status != "unemployed":
            errors["unemployment_months"] = _(
                "I mesi di disoccupazione si indicano solo per chi è disoccupato."
            )
        if self.followup_date and (not self.exit_date or self.followup_date < self.exit_date):
            errors["followup_date"] = _("La rilevazione a 6 mesi segue l'uscita.")
        elif self.followup_date and not self.followup_in_window(self.followup_date):
            first, last = followup_window(self.exit_date)
            errors["followup_date"] = _(
                "La rilevazione a 6 mesi si registra dal %(first)s al %(last)s (sei mesi "
                "dopo l'uscita, entro %(days)s giorni): una data fuori da questa finestra "
                "non vale per gli indicatori."
            ) % {
                "first": first.strftime("%d/%m/%Y"),
                "last": last.strftime("%d/%m/%Y"),
                "days": FOLLOWUP_WINDOW_DAYS,
            }
        if errors:
            raise ValidationError(errors)

    def followup_in_window(self, day: dt.date) -> bool:
        first, last = followup_window(self.exit_date)
        return first is not None and first <= day <= last

    def set_followup_window(self) -> None:
        """Copy the window of the exit date onto the row (bulk_create skips save())."""
        self.followup_due_date, self.followup_window_end = followup_window(self.exit_date)
