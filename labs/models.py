import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from labs.querysets import (
    ActivityQuerySet,
    ProjectQuerySet,
    ReportingPeriodQuerySet,
    ResidentReportQuerySet,
    SessionQuerySet,
)
from partners.models import Organisation
from partners.validators import normalise_code, validate_cup

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00")}
HOURS = {"max_digits": 7, "decimal_places": 2}


class Programme(models.Model):
    """A funding call (bando / avviso). Its rules are data, so that ESF 2014-2020 and
    ESF+ 2021-2027 projects live side by side."""

    class Fund(models.TextChoices):
        ESF = "FSE", _("FSE 2014-2020")
        ESF_PLUS = "FSE+", _("FSE+ 2021-2027")
        ERDF = "FESR", _("FESR")
        FOUNDATION = "fondazione", _("Fondazione")
        MUNICIPAL = "comunale", _("Fondi comunali")
        OTHER = "altro", _("Altro")

    class IndicatorSet(models.TextChoices):
        ESF_2014 = "esf_2014_2020", _("FSE 2014-2020 (Reg. 1304/2013, All. I)")
        ESF_PLUS_2021 = "esf_plus_2021_2027", _("FSE+ 2021-2027 (Reg. 2021/1057, All. I)")
        NONE = "none", _("Nessun indicatore FSE")

    name = models.CharField(_("nome"), max_length=250)
    code = models.SlugField(_("codice"), max_length=60, unique=True)
    fund = models.CharField(_("fondo"), max_length=20, choices=Fund.choices)
    managing_authority = models.CharField(_("autorità di gestione"), max_length=200, blank=True)
    decree = models.CharField(_("atto di approvazione"), max_length=200, blank=True)
    priority_axis = models.CharField(_("asse prioritario"), max_length=200, blank=True)
    indicator_set = models.CharField(
        _("catalogo degli indicatori"), max_length=30, choices=IndicatorSet.choices
    )
    reporting_period_months = models.PositiveSmallIntegerField(
        _("durata dei periodi di rendicontazione (mesi)"), default=6
    )
    allowance_hourly_amount = models.DecimalField(
        _("indennità di partecipazione oraria (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    allowance_cap = models.DecimalField(
        _("tetto dell'indennità per partecipante (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("anni di conservazione dei documenti"), default=5
    )
    cost_categories = models.JSONField(_("categorie di costo"), default=list, blank=True)
    partnership_rules = models.JSONField(
        _("regole del partenariato"),
        default=dict,
        blank=True,
        help_text=_(
            'Regole del bando sul partenariato, es. {"min_members": 3, "lead_kinds": '
            '["comune", "ente_erp"], "min_accredited": 1}. Vuoto: nessuna regola.'
        ),
    )

    class Meta:
        verbose_name = _("programma / bando")
        verbose_name_plural = _("programmi / bandi")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(allowance_hourly_amount__gte=0) & Q(allowance_cap__gte=0),
                name="programme_allowance_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from labs.governance.partnership_rules import rules_errors

        errors = rules_errors(self.partnership_rules)
        if errors:
            raise ValidationError({"partnership_rules": errors})


class District(models.Model):
    """Ambito territoriale / distretto sociale grouping municipalities."""

    name = models.CharField(_("nome"), max_length=150, unique=True)
    code = models.CharField(_("codice"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("ambito / distretto")
        verbose_name_plural = _("ambiti / distretti")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("nome"), max_length=100)
    istat_code = models.CharField(
        _("codice ISTAT"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Il codice ISTAT di un comune ha 6 cifre."))],
    )
    cadastral_code = models.CharField(
        _("codice catastale"),
        max_length=4,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Z]\d{3}$", _("Il codice catastale è una lettera e tre cifre."))
        ],
    )
    province = models.CharField(
        _("provincia"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Sigla di provincia di due lettere."))],
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("ambito / distretto"),
    )

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.province})"


class Project(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparazione")
        ACTIVE = "active", _("In corso")
        EXTENDED = "extended", _("Prorogato")
        CLOSED = "closed", _("Concluso")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("programma")
    )
    title = models.CharField(_("titolo"), max_length=250)
    short_name = models.CharField(_("nome breve"), max_length=60)
    slug = models.SlugField(_("identificativo"), max_length=60, unique=True)
    cup = models.CharField(
        _("CUP"),
        max_length=15,
        unique=True,
        validators=[validate_cup],
        help_text=_("Codice Unico di Progetto, 15 caratteri."),
    )
    funder_reference = models.CharField(
        _("ID progetto del finanziatore"), max_length=60, blank=True
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("capofila"),
    )
    start_date = models.DateField(_("data di avvio"))
    end_date = models.DateField(_("data di conclusione"))
    budget = models.DecimalField(_("budget complessivo (€)"), **MONEY)
    target_households = models.PositiveIntegerField(_("nuclei da raggiungere"), default=0)
    target_people = models.PositiveIntegerField(_("persone da raggiungere"), default=0)
    target_participants = models.PositiveIntegerField(_("partecipanti FSE attesi"), default=0)
    target_hours = models.PositiveIntegerField(_("ore di attività previste"), default=0)
    description = models.TextField(_("descrizione"), blank=True)
    expected_results = models.TextField(_("risultati attesi"), blank=True)
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="projects", blank=True, verbose_name=_("comuni coinvolti")
    )
    retention_until = models.DateField(
        _("conservare i documenti fino al"),
        null=True,
        blank=True,
        help_text=_("Prima di questa data nessun dato del progetto può essere cancellato."),
    )
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("progetto")
        verbose_name_plural = _("progetti")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="project_end_not_before_start",
                violation_error_message=_("La conclusione non può precedere l'avvio."),
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs):
        self.cup = normalise_code(self.cup)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.cup = normalise_code(self.cup)
        super().clean_fields(exclude)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La conclusione non può precedere l'avvio.")})


class Axis(models.Model):
    """A line of work of a project (sub-progetto / asse), with its own budget and targets."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="axes", verbose_name=_("progetto")
    )
    code = models.CharField(_("codice"), max_length=20)
    name = models.CharField(_("nome"), max_length=200)
    action = models.CharField(
        _("azione del programma"), max_length=20, blank=True, help_text=_("es. 9.4.2 o 9.1.3")
    )
    budget = models.DecimalField(_("budget (€)"), **MONEY)
    target_participants = models.PositiveIntegerField(_("partecipanti attesi"), default=0)
    target_hours = models.PositiveIntegerField(_("ore previste"), default=0)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("sub-progetto / asse")
        verbose_name_plural = _("sub-progetti / assi")
        ordering = ["project", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="axis_code_unique_in_project"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="axis_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Partnership(models.Model):
    class Role(models.TextChoices):
        LEAD = "capofila", _("Capofila")
        PARTNER = "partner", _("Partner")
        NETWORK = "rete", _("Rete / patto territoriale")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("progetto")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("ente"),
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices)
    budget_share = models.DecimalField(_("quota di budget (€)"), **MONEY)
    agreement_date = models.DateField(_("data dell'accordo"), null=True, blank=True)
    agreement_file = models.FileField(
        _("accordo firmato"), upload_to="private/agreements/%Y/", blank=True
    )
    notes = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partenariato")
        verbose_name_plural = _("partenariati")
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="partnership_unique",
                violation_error_message=_("L'ente fa già parte di questo partenariato."),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="capofila"),
                name="one_lead_per_project",
                violation_error_message=_("Il progetto ha già un capofila."),
            ),
            models.CheckConstraint(
                condition=Q(budget_share__gte=0), name="partnership_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectRole(models.Model):
    """What a user may do in one project, on behalf of one organisation."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Responsabile di progetto")
        SOCIAL_WORKER = "social_worker", _("Assistente sociale / operatore comunale")
        PARTNER_OPERATOR = "partner_operator", _("Operatore di ente partner")
        PARTNER_COORDINATOR = "partner_coordinator", _("Coordinatore di ente partner")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="roles", verbose_name=_("progetto")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="project_roles",
        verbose_name=_("utente"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="project_roles",
        verbose_name=_("per conto di"),
    )
    role = models.CharField(_("ruolo"), max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ruolo nel progetto")
        verbose_name_plural = _("ruoli nei progetti")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                name="one_role_per_user_per_project",
                violation_error_message=_("L'utente ha già un ruolo in questo progetto."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.project}: {self.get_role_display()}"

    def clean(self):
        if not (self.project_id and self.organisation_id and self.user_id):
            return
        if not self.project.partnerships.filter(organisation_id=self.organisation_id).exists():
            raise ValidationError(
                {"organisation": _("L'ente non fa parte del partenariato del progetto.")}
            )
        if not self.organisation.memberships.filter(user_id=self.user_id).exists():
            raise ValidationError({"user": _("L'utente non appartiene a questo ente.")})


class ReportingPeriod(models.Model):
    """A period a project reports on. Once closed, its sessions, registers and spending
    are locked until a project lead reopens it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="periods", verbose_name=_("progetto")
    )
    name = models.CharField(_("nome"), max_length=100)
    start_date = models.DateField(_("dal"))
    end_date = models.DateField(_("al"))
    closed_at = models.DateTimeField(_("chiuso il"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chiuso da"),
    )
    reopened_at = models.DateTimeField(_("riaperto il"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("riaperto da"),
    )
    reopen_reason = models.CharField(_("motivo della riapertura"), max_length=250, blank=True)
    history = HistoricalRecords()

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("periodo di rendicontazione")
        verbose_name_plural = _("periodi di rendicontazione")
        ordering = ["project", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["project", "start_date"], name="period_start_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="period_end_not_before_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.name}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Lab(models.Model):
    """The physical lab or community hub of a project."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="labs", verbose_name=_("progetto")
    )
    name = models.CharField(_("nome"), max_length=150)
    address = models.CharField(_("indirizzo"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="labs", verbose_name=_("comune")
    )
    neighbourhood = models.ForeignKey(
        "labs.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="labs",
        verbose_name=_("quartiere"),
    )
    opening_hours = models.TextField(_("orari di apertura"), blank=True)
    phase = models.CharField(
        _("fase"),
        max_length=100,
        blank=True,
        help_text=_("es. aggancio, attivazione, manutenzione"),
    )
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="labs", blank=True, verbose_name=_("operatori")
    )

    class Meta:
        verbose_name = _("laboratorio / hub")
        verbose_name_plural = _("laboratori / hub")
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="lab_name_unique_in_project")
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class Kind(models.TextChoices):
        LISTENING_DESK = "listening_desk", _("Sportello di ascolto")
        MEDIATION = "mediation", _("Mediazione dei conflitti")
        COMMUNITY_EVENT = "community_event", _("Evento di comunità")
        WORKSHOP = "workshop", _("Laboratorio")
        COURSE = "course", _("Corso di formazione")
        TUTORING = "tutoring", _("Tutoraggio individuale")
        WORK_EXPERIENCE = "work_experience", _("Work experience / tirocinio")
        FINANCIAL_EDUCATION = "financial_education", _("Educazione finanziaria")
        HOUSING_DESK = "housing_desk", _("Sportello abitare")
        SELF_MANAGEMENT = "self_management", _("Autogestione")
        NETWORK_MEETING = "network_meeting", _("Incontro di rete / governance")
        OTHER = "other", _("Altro")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="activities", verbose_name=_("progetto")
    )
    axis = models.ForeignKey(
        Axis, on_delete=models.PROTECT, related_name="activities", verbose_name=_("asse")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("ente che la realizza"),
    )
    kind = models.CharField(_("tipo"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("nome"), max_length=200)
    description = models.TextField(_("descrizione"), blank=True)
    planned_hours = models.DecimalField(_("ore previste"), default=Decimal("0"), **HOURS)
    is_open_event = models.BooleanField(
        _("aperta al pubblico"),
        default=False,
        help_text=_("Le presenze possono essere contate senza nome."),
    )
    lab = models.ForeignKey(
        Lab,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("laboratorio / hub"),
    )
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("attività")
        verbose_name_plural = _("attività")
        ordering = ["project", "axis", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_hours__gte=0), name="activity_planned_hours_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.axis_id and self.project_id and self.axis.project_id != self.project_id:
            raise ValidationError({"axis": _("L'asse appartiene a un altro progetto.")})


class Session(models.Model):
    """One dated occurrence of an activity, with its attendance register."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Da registrare")
        HELD = "held", _("Svolto")
        CANCELLED = "cancelled", _("Non svolto")

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("attività")
    )
    lab = models.ForeignKey(
        Lab,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("luogo"),
    )
    date = models.DateField(_("data"))
    start_time = models.TimeField(_("ora di inizio"))
    end_time = models.TimeField(_("ora di fine"))
    # Kept with the times so that the database can check attendance hours against it.
    duration_minutes = models.PositiveIntegerField(_("durata (minuti)"), editable=False)
    place = models.CharField(_("luogo (se non è un laboratorio)"), max_length=200, blank=True)
    state = models.CharField(
        _("stato"), max_length=20, choices=State.choices, default=State.PLANNED
    )
    cancel_reason = models.CharField(
        _("motivo del mancato svolgimento"), max_length=250, blank=True
    )
    head_count = models.PositiveIntegerField(_("presenti senza nome"), default=0)
    notes = models.TextField(_("note"), blank=True)
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="sessions_operated",
        blank=True,
        verbose_name=_("operatori"),
    )
    validated_at = models.DateTimeField(_("registro validato il"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validato da"),
    )
    # Optimistic lock: the session and its register are saved only from the version shown.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "date", "start_time"],
                name="session_unique_start",
                violation_error_message=_(
                    "Esiste già un incontro di questa attività alla stessa ora."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("L'ora di fine deve seguire l'ora di inizio."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="session_duration_positive"
            ),
            models.CheckConstraint(
                condition=~Q(state="cancelled") | ~Q(cancel_reason=""),
                name="cancelled_session_has_reason",
                violation_error_message=_("Indicare perché l'incontro non si è svolto."),
            ),
        ]
        # The home inbox: the oldest sessions to record and registers to validate, read
        # in date order and stopped at the first few, whatever the number of sessions.
        indexes = [
            models.Index(fields=["date"], name="session_date_idx"),
            models.Index(
                fields=["date", "start_time"],
                condition=Q(state="planned"),
                name="session_planned_by_date",
            ),
            models.Index(
                fields=["date", "start_time"],
                condition=Q(state="held", validated_at__isnull=True),
                name="session_to_validate_by_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} – {self.date:%d/%m/%Y} {self.start_time:%H:%M}"

    def save(self, *args, **kwargs):
        self.duration_minutes = minutes_between(self.start_time, self.end_time)
        super().save(*args, **kwargs)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.duration_minutes) / 60).quantize(Decimal("0.01"))

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("L'ora di fine deve seguire l'ora di inizio.")
        if self.state == self.State.CANCELLED and not self.cancel_reason:
            errors["cancel_reason"] = _("Indicare perché l'incontro non si è svolto.")
        if self.activity_id and self.date:
            project = self.activity.project
            if not project.start_date <= self.date <= project.end_date:
                errors["date"] = _(
                    "La data è fuori dal periodo del progetto (%(start)s – %(end)s)."
                ) % {
                    "start": project.start_date.strftime("%d/%m/%Y"),
                    "end": project.end_date.strftime("%d/%m/%Y"),
                }
        if self.lab_id and self.activity_id and self.lab.project_id != self.activity.project_id:
            errors["lab"] = _("Il laboratorio appartiene a un altro progetto.")
        if errors:
            raise ValidationError(errors)

    @property
    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))


def minutes_between(start: dt.time, end: dt.time) -> int:
    if start is None or end is None:
        return 0
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class SessionEvidence(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN_SHEET = "sign_in_sheet", _("Foglio firme scansionato")
        PHOTO = "photo", _("Foto")
        MATERIAL = "material", _("Materiale")
        OTHER = "other", _("Altro")

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("incontro")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="private/sessions/%Y/%m/")
    original_name = models.CharField(_("nome originale"), max_length=200)
    content_type = models.CharField(_("tipo di file"), max_length=50, blank=True)
    size_bytes = models.PositiveIntegerField(_("dimensione (byte)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("caricato da"),
    )
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("documentazione dell'incontro")
        verbose_name_plural = _("documentazione degli incontri")
        ordering = ["session", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ResidentReport(models.Model):
    """A segnalazione raised by residents about a building or unit."""

    class Category(models.TextChoices):
        MAINTENANCE = "maintenance", _("Manutenzione")
        CONFLICT = "conflict", _("Conflitto tra vicini")
        CLEANLINESS = "cleanliness", _("Pulizia")
        SAFETY = "safety", _("Sicurezza")
        OTHER = "other", _("Altro")

    class Status(models.TextChoices):
        OPEN = "open", _("Aperta")
        ASSIGNED = "assigned", _("Assegnata")
        IN_PROGRESS = "in_progress", _("In lavorazione")
        SOLVED = "solved", _("Risolta")
        REJECTED = "rejected", _("Non di competenza")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="resident_reports",
        verbose_name=_("progetto"),
    )
    building = models.ForeignKey(
        "labs.Building",
        on_delete=models.PROTECT,
        related_name="resident_reports",
        verbose_name=_("edificio"),
    )
    unit = models.ForeignKey(
        "labs.HousingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_reports",
        verbose_name=_("alloggio"),
    )
    category = models.CharField(_("categoria"), max_length=20, choices=Category.choices)
    description = models.TextField(_("descrizione"))
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("aperta il"))
    assigned_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_reports",
        verbose_name=_("assegnata a"),
    )
    assigned_on = models.DateField(_("assegnata il"), null=True, blank=True)
    solved_on = models.DateField(_("chiusa il"), null=True, blank=True)
    resolution = models.TextField(_("esito / note di chiusura"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    history = HistoricalRecords()

    objects = ResidentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("segnalazione")
        verbose_name_plural = _("segnalazioni")
        ordering = ["-opened_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(solved_on__isnull=True) | Q(solved_on__gte=F("opened_on")),
                name="report_solved_not_before_opened",
                violation_error_message=_("La chiusura non può precedere l'apertura."),
            ),
            models.CheckConstraint(
                condition=~Q(status="solved") | Q(solved_on__isnull=False),
                name="solved_report_has_date",
                violation_error_message=_("Una segnalazione risolta ha una data di chiusura."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} – {self.building} ({self.opened_on:%d/%m/%Y})"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.SOLVED, self.Status.REJECTED)

    def clean(self):
        # Dates follow the status: assigning dates the assignment, closing (solved or not
        # our competence) dates the closing today unless a date was given, reopening
        # clears it.
        today = timezone.localdate()
        if not self.assigned_to_id:
            self.assigned_on = None
        elif not self.assigned_on:
            self.assigned_on = today
        if self.is_closed:
            self.solved_on = self.solved_on or today
        else:
            self.solved_on = None
        errors = {}
        if self.unit_id and self.building_id and self.unit.building_id != self.building_id:
            errors["unit"] = _("L'alloggio non è nell'edificio indicato.")
        needs_assignee = {self.Status.ASSIGNED, self.Status.IN_PROGRESS}
        if self.status in needs_assignee and not self.assigned_to_id:
            errors["assigned_to"] = _("Indicare a chi è assegnata la segnalazione.")
        if self.opened_on and self.opened_on > timezone.localdate():
            errors["opened_on"] = _("La data di apertura non può essere nel futuro.")
        if self.solved_on and self.opened_on and self.solved_on < self.opened_on:
            errors["solved_on"] = _("La chiusura non può precedere l'apertura.")
        if errors:
            raise ValidationError(errors)


# ---- Territory and money live in their own packages; re-exported for ``labs.models`` ----
from labs.budget.models import (  # noqa: E402,F401
    BudgetLine,
    CostCategory,
    Expense,
    StaffMember,
    TimesheetEntry,
)
from labs.companies.models import HostCompany  # noqa: E402,F401
from labs.governance.models import Body, BodyMember, Meeting  # noqa: E402,F401
from labs.territory.models import Building, HousingUnit, Neighbourhood  # noqa: E402,F401
