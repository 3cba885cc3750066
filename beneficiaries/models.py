import datetime as dt

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from stdnum.it import codicefiscale

from labs.models import Activity, HousingUnit, Project
from partners.validators import normalise_code, validate_person_tax_code

from . import querysets as qs

OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")

# Nobody we register is older than this: an earlier birth date is a typing error.
OLDEST_AGE_YEARS = 120


def earliest_birth_date(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - OLDEST_AGE_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - OLDEST_AGE_YEARS, day=28)


def validate_birth_date(value: dt.date) -> None:
    """A birth date is neither in the future nor more than 120 years back."""
    if value > timezone.localdate():
        raise ValidationError(_("La data di nascita non può essere nel futuro."), code="future")
    if value < earliest_birth_date():
        raise ValidationError(
            _("La data di nascita è di più di %(n)d anni fa: controllarla."),
            code="too_old",
            params={"n": OLDEST_AGE_YEARS},
        )


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
    birth_date = models.DateField(_("data di nascita"), validators=[validate_birth_date])
    sex = models.CharField(_("sesso"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("luogo di nascita"), max_length=100, blank=True)
    # Stored as the ISO 3166 code, shown as the country's name; empty: not known.
    citizenship = CountryField(
        _("cittadinanza"), default="IT", blank=True, blank_label=_("(non indicata)")
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
            models.UniqueConstraint(
                fields=["project", "code"],
                name="household_code_unique",
                violation_error_message=_("Il codice è già usato da un altro nucleo del progetto."),
            )
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
                fields=["household", "recorded_on"],
                name="arrears_one_record_per_day",
                violation_error_message=_(
                    "Per questa data c'è già una situazione di morosità del nucleo."
                ),
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


from beneficiaries.allowances.models import AllowancePayment  # noqa: E402,F401
from beneficiaries.followups.models import FollowupContact  # noqa: E402,F401
from beneficiaries.paths.models import Path  # noqa: E402,F401
from beneficiaries.placements.models import (  # noqa: E402,F401
    Placement,
    PlacementMonth,
    PlacementPayment,
)
from beneficiaries.registers.models import (  # noqa: E402,F401
    Attendance,
    OfflineConflict,
    RegisterCorrection,
    RegisterSubmission,
)
from beneficiaries.repayments.models import (  # noqa: E402,F401
    RepaymentInstalment,
    RepaymentPayment,
    RepaymentPlan,
)
from beneficiaries.reviews.models import CaseReview  # noqa: E402,F401
