import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.it import codicefiscale

from labs.models import Activity, Axis, HousingUnit, Project, Session
from partners.validators import normalise_code, validate_person_tax_code

from . import querysets as qs

OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")


class Sex(models.TextChoices):
    FEMALE = "F", _("Donna")
    MALE = "M", _("Uomo")
    NON_BINARY = "X", _("Non binario")


class Answer(models.TextChoices):
    """An answer to a sensitive ESF question: the person may decline."""

    YES = "yes", _("Sì")
    NO = "no", _("No")
    DECLINED = "declined", _("Preferisce non rispondere")


class Person(models.Model):
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    # NULL, not "", for people without a code, so that the unique constraint lets many in.
    tax_code = models.CharField(  # noqa: DJ001
        _("codice fiscale"),
        max_length=16,
        null=True,
        blank=True,
        validators=[validate_person_tax_code],
        help_text=_("Facoltativo per chi non ne ha uno (es. persone appena arrivate in Italia)."),
    )
    birth_date = models.DateField(_("data di nascita"))
    sex = models.CharField(_("sesso"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("luogo di nascita"), max_length=100, blank=True)
    citizenship = models.CharField(
        _("cittadinanza"), max_length=2, default="IT", help_text=_("Codice ISO a 2 lettere.")
    )
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("registrata il"), auto_now_add=True)
    # Optimistic lock: a save from a form opened on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = qs.PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        ordering = ["last_name", "first_name", "birth_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                name="person_tax_code_unique",
                violation_error_message=_("Esiste già una persona con questo codice fiscale."),
            ),
            models.CheckConstraint(
                condition=Q(birth_date__gte=dt.date(1900, 1, 1)), name="person_birth_plausible"
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    def save(self, *args, **kwargs):
        self.tax_code = normalise_code(self.tax_code) or None
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Normalise first, so that length, format and uniqueness see the stored form.
        self.tax_code = normalise_code(self.tax_code) or None
        super().clean_fields(exclude)

    def validate_constraints(self, exclude=None):
        """The duplicate codice fiscale is reported on its field, next to what was typed."""
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            unique_code = next(
                c for c in self._meta.constraints if c.name == "person_tax_code_unique"
            )
            duplicate = str(unique_code.violation_error_message)
            general = errors.pop(NON_FIELD_ERRORS, [])
            on_code = [e for e in general if duplicate in ValidationError(e).messages]
            if on_code:
                errors.setdefault("tax_code", []).extend(on_code)
            others = [e for e in general if e not in on_code]
            if others:
                errors[NON_FIELD_ERRORS] = others
            raise ValidationError(errors) from None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        code = normalise_code(self.tax_code or "")
        if not code or len(code) != 16:
            return
        # The code has a two-digit year: read its century from the birth date typed in.
        minyear = self.birth_date.year - 99 if self.birth_date else 1920
        try:
            born = codicefiscale.get_birth_date(code, minyear=minyear)
        except Exception:  # the field validator reports the malformed code
            return
        # Omocodia may replace the day digits with letters: decode them before reading sex.
        day = int(code[9:11].translate(OMOCODIA))
        sex = "F" if day > 40 else "M"
        errors = {}
        if self.birth_date and born != self.birth_date:
            errors["tax_code"] = _(
                "Il codice fiscale indica la nascita il %(d)s, diversa dalla data inserita."
            ) % {"d": born.strftime("%d/%m/%Y")}
        if self.sex in ("M", "F") and sex != self.sex:
            errors.setdefault("tax_code", _("Il codice fiscale non corrisponde al sesso indicato."))
        if errors:
            raise ValidationError(errors)


class Consent(models.Model):
    class Purpose(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("Informativa privacy consegnata e firmata")
        SENSITIVE_DATA = "sensitive_data", _("Trattamento di dati particolari (art. 9 GDPR)")
        ESF_MONITORING = "esf_monitoring", _("Monitoraggio FSE e comunicazione alla Regione")
        PHOTOS = "photos", _("Foto e riprese")
        CONTACT = "contact", _("Essere ricontattati")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("persona")
    )
    purpose = models.CharField(_("finalità"), max_length=30, choices=Purpose.choices)
    signed_on = models.DateField(_("firmato il"))
    expires_on = models.DateField(_("scade il"), null=True, blank=True)
    withdrawn_on = models.DateField(_("revocato il"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrato da"),
    )
    notes = models.CharField(_("note"), max_length=250, blank=True)
    history = HistoricalRecords()

    objects = qs.ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consenso")
        verbose_name_plural = _("consensi")
        ordering = ["person", "purpose", "-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("signed_on")),
                name="consent_expiry_after_signature",
                violation_error_message=_("La scadenza non può precedere la firma."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("signed_on")),
                name="consent_withdrawal_after_signature",
                violation_error_message=_("La revoca non può precedere la firma."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_purpose_display()}"

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.signed_on <= day
            and (self.expires_on is None or self.expires_on >= day)
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )


class Household(models.Model):
    class IseeBand(models.TextChoices):
        UP_TO_6K = "0-6000", _("fino a € 6.000")
        UP_TO_9K = "6000-9360", _("€ 6.000,01 – 9.360")
        UP_TO_16K = "9360-16000", _("€ 9.360,01 – 16.000")
        UP_TO_26K = "16000-26000", _("€ 16.000,01 – 26.000")
        OVER_26K = "26000+", _("oltre € 26.000")
        UNKNOWN = "", _("non dichiarato")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="households", verbose_name=_("progetto")
    )
    code = models.CharField(_("codice nucleo"), max_length=30)
    isee_band = models.CharField(
        _("fascia ISEE"), max_length=20, choices=IseeBand.choices, blank=True
    )
    isee_year = models.PositiveSmallIntegerField(_("anno della DSU"), null=True, blank=True)
    notes = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = qs.HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("nucleo familiare")
        verbose_name_plural = _("nuclei familiari")
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="household_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class HouseholdMember(models.Model):
    class Relation(models.TextChoices):
        REFERENCE = "reference", _("Intestatario / persona di riferimento")
        PARTNER = "partner", _("Coniuge / convivente")
        CHILD = "child", _("Figlio/a")
        PARENT = "parent", _("Genitore")
        SIBLING = "sibling", _("Fratello / sorella")
        GRANDCHILD = "grandchild", _("Nipote")
        OTHER_RELATIVE = "other_relative", _("Altro parente")
        OTHER = "other", _("Altro convivente")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("nucleo")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="household_memberships",
        verbose_name=_("persona"),
    )
    relation = models.CharField(_("relazione"), max_length=20, choices=Relation.choices)
    start_date = models.DateField(_("dal"))
    end_date = models.DateField(_("al"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("componente del nucleo")
        verbose_name_plural = _("componenti del nucleo")
        ordering = ["household", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="person_in_one_household_at_a_time",
                violation_error_message=_("La persona fa già parte di un altro nucleo."),
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_date__isnull=True) & Q(relation="reference"),
                name="one_reference_person_per_household",
                violation_error_message=_("Il nucleo ha già una persona di riferimento."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="member_end_not_before_start",
                violation_error_message=_("L'uscita non può precedere l'ingresso nel nucleo."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"


class Tenancy(models.Model):
    """A household lives in a unit from move-in to move-out."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="tenancies", verbose_name=_("nucleo")
    )
    unit = models.ForeignKey(
        HousingUnit,
        on_delete=models.PROTECT,
        related_name="tenancies",
        verbose_name=_("alloggio"),
    )
    moved_in = models.DateField(_("ingresso"))
    moved_out = models.DateField(_("uscita"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("occupazione dell'alloggio")
        verbose_name_plural = _("occupazioni degli alloggi")
        ordering = ["household", "-moved_in"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(moved_out__isnull=True),
                name="household_in_one_unit_at_a_time",
                violation_error_message=_("Il nucleo risulta già in un altro alloggio."),
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(moved_out__isnull=True),
                name="unit_has_one_current_household",
                violation_error_message=_("L'alloggio è già occupato da un altro nucleo."),
            ),
            models.CheckConstraint(
                condition=Q(moved_out__isnull=True) | Q(moved_out__gte=F("moved_in")),
                name="tenancy_out_not_before_in",
                violation_error_message=_("L'uscita non può precedere l'ingresso."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} – {self.unit}"


class ArrearsRecord(models.Model):
    """The household's rent arrears (morosità) as known on a date."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="arrears", verbose_name=_("nucleo")
    )
    recorded_on = models.DateField(_("alla data"))
    amount = models.DecimalField(_("debito (€)"), max_digits=10, decimal_places=2)
    blameless = models.BooleanField(
        _("morosità incolpevole"),
        default=False,
        help_text=_("Dovuta a perdita o forte calo del reddito (lavoro, malattia, lutto...)."),
    )
    repayment_plan = models.BooleanField(_("piano di rientro attivo"), default=False)
    plan_monthly_amount = models.DecimalField(
        _("rata mensile del piano (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    community_work_hours = models.DecimalField(
        _("ore di restituzione in attività comunitarie"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    notes = models.CharField(_("note"), max_length=250, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("situazione di morosità")
        verbose_name_plural = _("situazioni di morosità")
        ordering = ["household", "-recorded_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "recorded_on"], name="arrears_one_record_per_day"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="arrears_not_negative"),
            models.CheckConstraint(
                condition=Q(plan_monthly_amount__isnull=True) | Q(plan_monthly_amount__gt=0),
                name="arrears_plan_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.recorded_on:%d/%m/%Y}: € {self.amount}"


class Registration(models.Model):
    """A person known to a project (iscrizione): the pool attendance registers pick from."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("progetto"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("persona")
    )
    registered_on = models.DateField(_("iscritta il"))

    class Meta:
        verbose_name = _("iscrizione al progetto")
        verbose_name_plural = _("iscrizioni ai progetti")
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="registration_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.project}"


class ActivityEnrolment(models.Model):
    """A person usually takes part in an activity; a partner operator sees only these."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("attività"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="activity_enrolments",
        verbose_name=_("persona"),
    )
    since = models.DateField(_("dal"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("iscrizione all'attività")
        verbose_name_plural = _("iscrizioni alle attività")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.activity}"


class Attendance(models.Model):
    """A line of a session's register. The database refuses hours above the session's
    length (trigger in migration 0002)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("incontro")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("persona")
    )
    hours = models.DecimalField(_("ore di presenza"), max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presenza")
        verbose_name_plural = _("presenze")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="attendance_once_per_session",
                violation_error_message=_("La persona è già nel registro di questo incontro."),
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="attendance_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.session}"

    def clean(self):
        if self.session_id and self.hours is not None:
            if self.hours * 60 > self.session.duration_minutes:
                raise ValidationError(
                    {
                        "hours": _("Le ore di presenza superano la durata dell'incontro (%(h)s).")
                        % {"h": self.session.hours}
                    }
                )


class RegisterSubmission(models.Model):
    """The one-time token of a register form. A second POST of the same form (double
    click, resent request) finds its token here and saves nothing more."""

    token = models.UUIDField(_("codice del modulo"), unique=True)
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="register_submissions",
        verbose_name=_("incontro"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inviato da"),
    )
    submitted_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("invio del registro")
        verbose_name_plural = _("invii dei registri")

    def __str__(self) -> str:
        return f"{self.session} ({self.submitted_at:%d/%m/%Y %H:%M})"


class RegisterCorrection(models.Model):
    """A change to a validated register: who, when, why, and the register before and
    after (head count and hours per person id)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="register_corrections",
        verbose_name=_("incontro"),
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("corretto da"),
    )
    corrected_at = models.DateTimeField(_("corretto il"), auto_now_add=True)
    reason = models.TextField(_("motivo della correzione"))
    before = models.JSONField(_("registro prima"))
    after = models.JSONField(_("registro dopo"))

    class Meta:
        verbose_name = _("correzione del registro")
        verbose_name_plural = _("correzioni dei registri")
        ordering = ["session", "-corrected_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="register_correction_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.session} ({self.corrected_at:%d/%m/%Y %H:%M})"


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
        if errors:
            raise ValidationError(errors)


class CaseNote(models.Model):
    """The diario sociale: visible only to social workers and project leads."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="case_notes", verbose_name=_("progetto")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_notes",
        verbose_name=_("persona"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_notes",
        verbose_name=_("nucleo"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("autore"),
    )
    date = models.DateField(_("data"))
    text = models.TextField(_("nota"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nota del diario sociale")
        verbose_name_plural = _("diario sociale")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(household__isnull=False),
                name="case_note_has_subject",
                violation_error_message=_("La nota riguarda una persona o un nucleo."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.person or self.household}"


class PersonLink(models.Model):
    """Two records found to be the same person: linked, never merged, and reversible."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="links_from", verbose_name=_("persona")
    )
    same_as = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="links_to",
        verbose_name=_("stessa persona di"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collegato da"),
    )
    linked_at = models.DateTimeField(_("collegato il"), auto_now_add=True)
    unlinked_at = models.DateTimeField(_("scollegato il"), null=True, blank=True)
    note = models.CharField(_("motivazione"), max_length=250, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collegamento tra schede duplicate")
        verbose_name_plural = _("collegamenti tra schede duplicate")
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=F("same_as")), name="person_link_not_to_itself"
            ),
            models.UniqueConstraint(
                fields=["person", "same_as"],
                condition=Q(unlinked_at__isnull=True),
                name="person_link_unique_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} = {self.same_as}"


class SensitiveAccess(models.Model):
    """Who opened a person's sensitive data, when and what (GDPR art. 9 access log)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utente"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="sensitive_accesses",
        verbose_name=_("persona"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("progetto")
    )
    accessed_at = models.DateTimeField(_("quando"), auto_now_add=True)
    what = models.CharField(_("che cosa"), max_length=100)

    class Meta:
        verbose_name = _("accesso a dati sensibili")
        verbose_name_plural = _("accessi a dati sensibili")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.person} ({self.accessed_at:%d/%m/%Y %H:%M})"

    def what_display(self) -> str:
        """``what`` in the reader's language. The labels are stored in Italian (marked
        with gettext_noop where they are written); a household code may follow."""
        from django.utils.translation import gettext

        if gettext(self.what) != self.what:
            return gettext(self.what)
        label, _space, code = self.what.rpartition(" ")
        return f"{gettext(label)} {code}" if label else self.what


from .allowance_models import AllowancePayment  # noqa: E402,F401
