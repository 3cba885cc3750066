"""The register of processing (GDPR art. 30) and the DPIA draft, written from the models
and the declarations of each app's ``privacy.py`` (``manage.py privacy_register``).

The text around the tables is fixed here; everything that describes data (which fields,
in which table, seen by which roles, kept how long) comes from the code, so that
docs/dpia.md changes when the models do, and tests/portal/test_privacy_register.py fails
when it is not what this module writes."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils import translation

from beneficiaries.privacy import REGISTER as BENEFICIARIES
from labs.access import (
    CAPABILITIES,
    LEAD,
    PARTNER_COORDINATOR,
    PARTNER_OPERATOR,
    REGIONAL_OFFICER,
    ROLE_LABELS,
    SOCIAL_WORKER,
)
from labs.privacy import REGISTER as LABS
from partners.privacy import REGISTER as PARTNERS
from partners.privacy import Record

# The apps whose every field must be classified (tests/portal/test_privacy_register.py).
CHECKED_APPS = ("beneficiaries", "partners")
ROLES = (LEAD, SOCIAL_WORKER, PARTNER_COORDINATOR, PARTNER_OPERATOR, REGIONAL_OFFICER)


def register() -> dict[str, Record]:
    return {**PARTNERS, **LABS, **BENEFICIARIES}


def stored_fields(model) -> list[models.Field]:
    """The fields a model stores itself: relations to other rows are left out."""
    return [
        f
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) and not f.auto_created and not f.is_relation
    ]


def checked_models():
    for app in CHECKED_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def unclassified(records: dict[str, Record] | None = None) -> list[str]:
    """``app.Model.field`` for every stored field of beneficiaries and partners that the
    register neither classifies personal or special nor declares not personal, every
    model of them without a record, and every declared field that does not exist."""
    records = register() if records is None else records
    problems = []
    for model in checked_models():
        record = records.get(model._meta.label)
        names = {f.name for f in stored_fields(model)}
        if record is None:
            problems.extend(f"{model._meta.label}.{n}" for n in sorted(names))
            continue
        problems.extend(f"{model._meta.label}.{n}" for n in sorted(names - record.classified))
    for label, record in records.items():
        names = {f.name for f in stored_fields(apps.get_model(label))}
        problems.extend(f"{label}.{n} (non esiste)" for n in sorted(record.classified - names))
    return problems


def roles_with(capability: str) -> str:
    if not capability:
        return "solo l'amministratore (Django admin)"
    roles = [str(ROLE_LABELS[r]).lower() for r in ROLES if capability in CAPABILITIES[r]]
    return ", ".join([*roles, "amministratore"])


def _field(model, name: str) -> str:
    return f"{model._meta.get_field(name).verbose_name} (`{name}`)"


def _where(model) -> str:
    where = f"tabella `{model._meta.db_table}`"
    history = getattr(model, "history", None)
    if history is not None:
        where += f"; storico delle modifiche `{history.model._meta.db_table}`"
    files = [f.name for f in stored_fields(model) if isinstance(f, models.FileField)]
    if files:
        where += "; file in `MEDIA_ROOT` (mai serviti direttamente: scaricati dopo il controllo)"
    return where


def _section(label: str, record: Record) -> list[str]:
    model = apps.get_model(label)
    lines = [
        f"### {str(model._meta.verbose_name).capitalize()} (`{label}`)",
        "",
        f"- **Finalità:** {record.purpose}.",
        f"- **Interessati:** {record.subjects}.",
        f"- **Dove:** {_where(model)}.",
    ]
    if record.personal:
        names = ", ".join(_field(model, n) for n in record.personal)
        lines.append(f"- **Dati personali:** {names}.")
        lines.append(f"- **Chi li vede:** {roles_with(record.seen_with)}.")
    if record.special:
        names = ", ".join(_field(model, n) for n in record.special)
        lines.append(f"- **Dati particolari o delicati:** {names}.")
        lines.append(f"- **Chi vede i dati particolari:** {roles_with(record.special_seen_with)}.")
    if not record.personal and not record.special:
        lines.append("- **Nessun dato personale.**")
    if record.restriction:
        lines.append(f"- **Limitazioni:** {record.restriction}")
    lines.append(f"- **Conservazione:** {record.retention}.")
    lines.append("")
    return lines


def _special_table(records: dict[str, Record]) -> list[str]:
    lines = ["| modello | campo | tabella | chi lo vede |", "|---|---|---|---|"]
    for label, record in records.items():
        model = apps.get_model(label)
        for name in record.special:
            lines.append(
                f"| {model._meta.verbose_name} | {_field(model, name)} | "
                f"`{model._meta.db_table}` | {roles_with(record.special_seen_with)} |"
            )
    return lines


def render() -> str:
    """docs/dpia.md, in Italian."""
    with translation.override("it"):
        records = register()
        personal = sum(len(r.personal) for r in records.values())
        special = sum(len(r.special) for r in records.values())
        sections = [line for label, r in records.items() for line in _section(label, r)]
        text = HEAD.format(models=len(records), personal=personal, special=special)
        return "\n".join(
            [
                text,
                *sections,
                SPECIAL_HEAD,
                *_special_table(records),
                "",
                RETENTION,
                DPIA,
                "| rischio | misure nel portale |",
                "|---|---|",
                *(f"| {risk} | {measures} |" for risk, measures in RISKS),
                "",
                DPIA_END,
            ]
        )


RISKS = [
    (
        "accesso di un utente di un altro progetto",
        "ogni lettura passa da `labs.access.scoped`; fuori dal proprio ambito la risposta è "
        "404; test su ogni URL per ogni ruolo (`tests/portal/test_authorization.py`)",
    ),
    (
        "un partner vede dati particolari",
        "i campi sensibili sono tolti sul server (`PersonContact`), non nascosti nel modello; "
        "`tests/portal/test_privacy.py` cerca i valori sensibili in ogni pagina ed export dei "
        "partner e della Regione",
    ),
    (
        "furto di credenziali",
        "password di almeno 10 caratteri; blocco dopo 5 tentativi per utente e per indirizzo "
        "(django-axes); secondo fattore TOTP per responsabili e amministratori "
        "(`REQUIRE_TWO_FACTOR`), con i codici sbagliati contati nello stesso blocco; sessioni "
        "che scadono dopo 30 minuti",
    ),
    (
        "consultazione impropria di dati particolari",
        "registro degli accessi ai dati particolari (`SensitiveAccess`) e storico di ogni "
        "modifica con l'autore, visibili al responsabile di progetto",
    ),
    (
        "perdita o modifica silenziosa",
        "modifiche concorrenti rifiutate (`labs/concurrency.py`); relazioni inviate "
        "immutabili, con SHA-256 di dati e PDF; backup (`manage.py backup_data`)",
    ),
    ("conservazione oltre il necessario", "`manage.py apply_retention` (sezione 3)"),
    (
        "fuga verso terzi",
        "nessuna risorsa esterna, Content-Security-Policy restrittiva, file caricati mai "
        "serviti senza controllo",
    ),
]

HEAD = """# Registro dei trattamenti e valutazione d'impatto (DPIA) – bozza

> Generato da `manage.py privacy_register --write docs/dpia.md` a partire dai modelli e
> dalle dichiarazioni in `partners/privacy.py`, `labs/privacy.py` e
> `beneficiaries/privacy.py`: non modificarlo a mano. Un test fallisce se un modello di
> `beneficiaries` o `partners` ha un campo che il registro non descrive, o se questo file
> non è quello che il comando scrive.

## 1. Registro delle attività di trattamento (art. 30 GDPR)

- **Titolare del trattamento:** il Comune (o l'ALER) capofila di ciascun progetto, per i
  dati del proprio progetto.
- **Responsabili del trattamento (art. 28):** gli enti partner che inseriscono dati per
  conto del capofila (registri, attività, tirocini), ciascuno solo per la propria parte;
  il gestore del portale, che lo ospita e lo amministra.
- **Destinatari:** Regione Lombardia (autorità di gestione FSE/FSE+), che riceve
  aggregati, le relazioni inviate e, per i partecipanti, righe con uno pseudonimo al
  posto di nome e codice fiscale (la chiave resta nel portale).
- **Basi giuridiche:** art. 6.1.e GDPR (compito di interesse pubblico: servizi sociali e
  gestione sociale dell'ERP, L.R. 16/2016) e 6.1.c (obblighi di monitoraggio FSE, Reg.
  1304/2013 e 2021/1057); per i dati particolari art. 9.2.g e 9.2.h, con il consenso
  dove richiesto dal bando (registrato in `beneficiaries.Consent`).
- **Trasferimenti fuori dall'UE:** nessuno; nessuna risorsa caricata da altri siti.
- **Misure di sicurezza:** descritte nella sezione 4.

Il registro descrive {models} modelli con {personal} campi di dati personali e {special}
campi di dati particolari o delicati (art. 9 GDPR, voci sensibili FSE, disagio economico
e sociale). I ruoli sono quelli di `labs/access.py` (docs/access.md); il funzionario
regionale non vede mai dati personali.

"""

SPECIAL_HEAD = """## 2. Dati particolari e delicati, in sintesi
"""

RETENTION = """## 3. Conservazione

I documenti FSE si conservano per anni dopo la chiusura dei conti (circa 3 anni per il
Reg. 1303/2013 art. 140; 5 anni per il FSE+, Reg. 2021/1060 art. 82). Ogni progetto ha una
data di conservazione (`Project.retention_until`); se manca, vale la data di conclusione
più gli anni di conservazione del programma (`Programme.retention_years`). Prima di quella
data nulla del progetto si può cancellare (l'admin lo impedisce).

Dopo quella data, per i progetti **conclusi**, `manage.py apply_retention` (con
`--dry-run` mostra cosa farebbe) anonimizza le persone che il progetto conosceva e che
nessun altro progetto ancora nel periodo di conservazione conosce: toglie nome, cognome,
codice fiscale, giorno e mese di nascita, luogo di nascita, cittadinanza e contatti,
cancella il diario sociale, svuota le note (consensi, collegamenti, follow-up, tirocini,
nuclei, morosità, piani di rientro) e le risposte sensibili del profilo FSE, ed
**elimina** lo storico delle modifiche di quelle persone e di quei nuclei (le righe di
storico contengono i valori precedenti). Resta un record anonimo (sesso, anno di nascita,
profilo FSE senza dati particolari, date e ore) che le cifre del progetto continuano a
contare. Le relazioni già inviate sono fotografie congelate e non cambiano. Il comando va
eseguito periodicamente (per esempio ogni mese, da cron) dal gestore del portale.

"""

DPIA = """## 4. Valutazione d'impatto sulla protezione dei dati (bozza)

### 4.1 Descrizione del trattamento

Il portale tiene il registro dei nuclei e delle persone dei quartieri ERP seguiti dai
laboratori sociali, i loro percorsi individuali con il profilo FSE, il diario sociale, le
presenze alle attività, la morosità e i piani di rientro, i tirocini, e produce le
relazioni per la Regione. È un trattamento su larga scala di dati di persone vulnerabili,
con dati particolari (salute e disabilità, origine, minoranze) e dati di disagio economico:
rientra nei casi per cui il Garante richiede la valutazione d'impatto.

### 4.2 Necessità e proporzionalità

- I dati raccolti sono quelli del monitoraggio FSE (allegato I dei regolamenti) e del
  servizio sociale; le voci sensibili FSE si chiedono con la risposta «preferisce non
  rispondere».
- Ognuno vede solo i dati del proprio progetto e del proprio ruolo (sezione 1); i partner
  solo le persone iscritte alle proprie attività, con i soli contatti.
- Alla Regione vanno aggregati e pseudonimi; le relazioni non contengono nomi né codici
  fiscali.
- La conservazione è limitata dalla regola della sezione 3.

### 4.3 Rischi e misure

"""

DPIA_END = """### 4.4 Rischi residui e punti aperti

- I campi di testo libero (note, diario sociale, decisioni dell'équipe) possono contenere
  dati particolari non previsti: vanno usati con prudenza e formazione degli operatori.
- L'amministratore del portale vede tutto dall'admin: va nominato e vincolato per iscritto.
- Dopo l'anonimizzazione il nucleo resta collegato all'alloggio ERP (`Tenancy`): con
  l'anagrafe dell'utenza la persona resta in parte riconoscibile. Valutare se cancellare
  anche i periodi di occupazione.
- I dati del personale (`StaffMember`) e i fogli firma caricati restano con i documenti di
  spesa e vanno cancellati a mano dopo la conservazione.
- I codici di recupero del secondo fattore sono conservati in chiaro nel database
  (django-otp); valgono una volta sola.
- Chi conosce la password di un responsabile che non ha ancora attivato il secondo fattore
  potrebbe attivarlo lui: attivarlo alla consegna dell'utenza.

### 4.5 Parere del responsabile della protezione dei dati

Da compilare a cura del DPO del titolare.
"""
