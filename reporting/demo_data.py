"""Demo data: the five seed projects of ``shared/seeds`` as one working data set.

Partners, territory and the figures the public pages give are reproduced exactly
(Valverde's 159 ALER Milano flats and 343 residents in 144 households, Trezzano's 133
households and 300 people, the 28 municipalities of Adda Martesana in 4 districts, RiCA's
three community hubs). Everything else is synthetic and plausible: people and their codici
fiscali, households, a year of sessions with attendance registers, ESF paths, rent arrears,
consents, case notes and residents' reports.

The data are deterministic: one ``random.Random(2018)`` drives every choice, and every date
is a fixed calendar date inside each project's real period (nothing depends on today).
Organisations other than the Comune di Canegrate (whose partita IVA is on its page) get
a generated, formally valid partita IVA: they are demo values, not the real ones.

Entry points:

- ``is_loaded()``: the demo is already in the database (the Valverde project exists);
- ``load_demo()``: build everything in one transaction and return a summary of counts;
- ``delete_demo()``: remove what the demo built and nothing else still uses.

Rows that are many (people, household members, sessions, attendances, consents...) are
written with ``bulk_create``: ``save()`` does not run, so the normalised codice fiscale and
the session's ``duration_minutes`` are set here, and no history rows are written for them.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.test.utils import override_settings
from stdnum import luhn
from stdnum.it import codicefiscale

from beneficiaries.models import (
    ActivityEnrolment,
    Answer,
    ArrearsRecord,
    Attendance,
    CaseNote,
    Consent,
    Household,
    HouseholdMember,
    Path,
    Person,
    PersonLink,
    Registration,
    SensitiveAccess,
    Tenancy,
)
from labs.models import (
    Activity,
    Axis,
    Building,
    District,
    HousingUnit,
    Lab,
    Municipality,
    Neighbourhood,
    Partnership,
    Programme,
    Project,
    ProjectRole,
    ReportingPeriod,
    ResidentReport,
    Session,
    SessionEvidence,
    minutes_between,
)
from partners.models import Membership, Organisation
from reporting.models import ProgressReport

SEED = 2018
DEMO_PASSWORD = "quartieri-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.quartieri.example"
VALVERDE_SLUG = "valverde"
TREZZANO_SLUG = "trezzano-pirandello-fermi"
ADDA_SLUG = "adda-martesana"
RICA_SLUG = "rica"
MILO_SLUG = "milo-lab"
PROJECT_SLUGS = [VALVERDE_SLUG, TREZZANO_SLUG, ADDA_SLUG, RICA_SLUG, MILO_SLUG]

D = Decimal
TZ = ZoneInfo("Europe/Rome")

# --------------------------------------------------------------------------------------
# Demo users
# --------------------------------------------------------------------------------------

#: Every demo account. ``roles`` lists (project slug, labs.ProjectRole role); ``kind`` is
#: "admin" (superuser), "regional_officer" (member of Regione Lombardia) or "staff".
DEMO_USERS: list[dict] = [
    {
        "username": "admin",
        "first_name": "Amministratore",
        "last_name": "Demo",
        "organisation": None,
        "job_title": "",
        "kind": "admin",
        "roles": [],
    },
    {
        "username": "officer.regione",
        "first_name": "Paola",
        "last_name": "Brambilla",
        "organisation": "regione",
        "job_title": "Funzionaria – Autorità di gestione FSE",
        "kind": "regional_officer",
        "roles": [],
    },
    {
        "username": "lead.valverde",
        "first_name": "Laura",
        "last_name": "Colombo",
        "organisation": "canegrate",
        "job_title": "Responsabile Area Politiche Sociali",
        "kind": "staff",
        "roles": [(VALVERDE_SLUG, "lead")],
    },
    {
        "username": "social.valverde",
        "first_name": "Marco",
        "last_name": "Ferrario",
        "organisation": "canegrate",
        "job_title": "Assistente sociale",
        "kind": "staff",
        "roles": [(VALVERDE_SLUG, "social_worker")],
    },
    {
        "username": "partner.valverde",
        "first_name": "Giulia",
        "last_name": "Fumagalli",
        "organisation": "la_cordata",
        "job_title": "Operatrice di comunità",
        "kind": "staff",
        "roles": [(VALVERDE_SLUG, "partner_operator")],
    },
    {
        "username": "tutor.valverde",
        "first_name": "Andrea",
        "last_name": "Crippa",
        "organisation": "eurolavoro",
        "job_title": "Tutor per l'inserimento lavorativo",
        "kind": "staff",
        "roles": [(VALVERDE_SLUG, "partner_operator")],
    },
    {
        "username": "lead.trezzano",
        "first_name": "Francesca",
        "last_name": "Galli",
        "organisation": "trezzano",
        "job_title": "Responsabile Servizi Sociali",
        "kind": "staff",
        "roles": [(TREZZANO_SLUG, "lead")],
    },
    {
        "username": "social.trezzano",
        "first_name": "Davide",
        "last_name": "Sironi",
        "organisation": "trezzano",
        "job_title": "Assistente sociale",
        "kind": "staff",
        "roles": [(TREZZANO_SLUG, "social_worker")],
    },
    {
        "username": "partner.trezzano",
        "first_name": "Sara",
        "last_name": "Radaelli",
        "organisation": "ripari",
        "job_title": "Educatrice – tutor di quartiere",
        "kind": "staff",
        "roles": [(TREZZANO_SLUG, "partner_operator")],
    },
    {
        "username": "tutor.afol",
        "first_name": "Luca",
        "last_name": "Mauri",
        "organisation": "afol_metropolitana",
        "job_title": "Operatore dei servizi al lavoro",
        "kind": "staff",
        "roles": [(TREZZANO_SLUG, "partner_operator"), (ADDA_SLUG, "partner_operator")],
    },
    {
        "username": "lead.martesana",
        "first_name": "Chiara",
        "last_name": "Longoni",
        "organisation": "melzo",
        "job_title": "Coordinatrice Ufficio di Piano – Distretto 5",
        "kind": "staff",
        "roles": [(ADDA_SLUG, "lead")],
    },
    {
        "username": "social.martesana",
        "first_name": "Stefano",
        "last_name": "Pozzi",
        "organisation": "melzo",
        "job_title": "Assistente sociale – équipe multidisciplinare",
        "kind": "staff",
        "roles": [(ADDA_SLUG, "social_worker")],
    },
    {
        "username": "lead.rica",
        "first_name": "Elena",
        "last_name": "Banfi",
        "organisation": "comuni_insieme",
        "job_title": "Responsabile Area Inclusione",
        "kind": "staff",
        "roles": [(RICA_SLUG, "lead")],
    },
    {
        "username": "social.rica",
        "first_name": "Matteo",
        "last_name": "Galbiati",
        "organisation": "comuni_insieme",
        "job_title": "Operatore dell'Agenzia sociale per l'abitare",
        "kind": "staff",
        "roles": [(RICA_SLUG, "social_worker")],
    },
    {
        "username": "lead.milo",
        "first_name": "Roberto",
        "last_name": "Villa",
        "organisation": "milano",
        "job_title": "Referente Rigenerazione urbana Lorenteggio",
        "kind": "staff",
        "roles": [(MILO_SLUG, "lead")],
    },
]


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


# --------------------------------------------------------------------------------------
# Reference data: programmes, organisations, territory
# --------------------------------------------------------------------------------------

COST_CATEGORIES_ESF = [
    "Personale interno",
    "Personale esterno e collaborazioni",
    "Indennità di partecipazione",
    "Servizi e forniture",
    "Materiali e attrezzature",
    "Spese generali (forfettarie)",
]

PROGRAMMES = [
    {
        "code": "lombardia-quartieri-erp-2017",
        "name": "Avviso pubblico per la gestione sociale dei quartieri di edilizia pubblica "
        "in Lombardia",
        "fund": Programme.Fund.ESF,
        "managing_authority": "Regione Lombardia – Autorità di gestione POR FSE 2014-2020",
        "decree": "Decreto del 15 novembre 2017 (DGR X/6912/2017)",
        "priority_axis": "POR FSE 2014-2020, Asse II Inclusione sociale e lotta alla povertà – "
        "azioni 9.4.2 e 9.1.3",
        "indicator_set": Programme.IndicatorSet.ESF_2014,
        "reporting_period_months": 6,
        "allowance_hourly_amount": D("5.00"),
        "allowance_cap": D("1500.00"),
        "retention_years": 3,
        "cost_categories": COST_CATEGORIES_ESF,
    },
    {
        "code": "lombardia-laboratori-coprogettati",
        "name": "Laboratori sociali di quartiere in coprogettazione (Milano Lorenteggio e Bollate)",
        "fund": Programme.Fund.ESF,
        "managing_authority": "Regione Lombardia – Autorità di gestione POR FSE 2014-2020",
        "decree": "",
        "priority_axis": "POR FSE 2014-2020, Asse II – in sinergia con l'Asse V POR FESR "
        "(sviluppo urbano sostenibile)",
        "indicator_set": Programme.IndicatorSet.ESF_2014,
        "reporting_period_months": 6,
        "allowance_hourly_amount": D("5.00"),
        "allowance_cap": D("1500.00"),
        "retention_years": 3,
        "cost_categories": COST_CATEGORIES_ESF,
    },
    {
        "code": "lombardia-inclusione-vulnerabili-2020",
        "name": "Interventi di inclusione socio-lavorativa di persone vulnerabili "
        "(POR FSE 2014-2020)",
        "fund": Programme.Fund.ESF,
        "managing_authority": "Regione Lombardia – Autorità di gestione POR FSE 2014-2020",
        "decree": "",
        "priority_axis": "POR FSE 2014-2020, Asse II Inclusione sociale – azione 9.2.2",
        "indicator_set": Programme.IndicatorSet.ESF_2014,
        "reporting_period_months": 6,
        "allowance_hourly_amount": D("4.00"),
        "allowance_cap": D("2000.00"),
        "retention_years": 3,
        "cost_categories": COST_CATEGORIES_ESF,
    },
    {
        "code": "bando-periferie-2016",
        "name": "Programma straordinario per la riqualificazione urbana e la sicurezza delle "
        "periferie (Bando periferie)",
        "fund": Programme.Fund.OTHER,
        "managing_authority": "Presidenza del Consiglio dei Ministri – soggetto proponente "
        "Città Metropolitana di Milano",
        "decree": "DPCM 25 maggio 2016",
        "priority_axis": "",
        "indicator_set": Programme.IndicatorSet.NONE,
        "reporting_period_months": 12,
        "allowance_hourly_amount": D("0.00"),
        "allowance_cap": D("0.00"),
        "retention_years": 10,
        "cost_categories": [
            "Personale",
            "Servizi",
            "Interventi strutturali e arredi",
            "Contributi alle famiglie",
            "Spese generali",
        ],
    },
    {
        "code": "lombardia-fse-plus-2021-2027-quartieri",
        "name": "PR FSE+ 2021-2027 Lombardia – Laboratori sociali di quartiere",
        "fund": Programme.Fund.ESF_PLUS,
        "managing_authority": "Regione Lombardia – Autorità di gestione PR FSE+ 2021-2027",
        "decree": "",
        "priority_axis": "Inclusione sociale",
        "indicator_set": Programme.IndicatorSet.ESF_PLUS_2021,
        "reporting_period_months": 6,
        "allowance_hourly_amount": D("5.00"),
        "allowance_cap": D("1800.00"),
        "retention_years": 5,
        "cost_categories": COST_CATEGORIES_ESF,
    },
]

K = Organisation.Kind

#: key, name, short name, kind, tax code (None: generated), city, extra fields
ORGANISATIONS: list[tuple[str, str, str, str, str | None, str, dict]] = [
    (
        "regione",
        "Regione Lombardia",
        "Regione Lombardia",
        K.REGION,
        None,
        "Milano",
        {"address": "Piazza Città di Lombardia 1, 20124 Milano"},
    ),
    (
        "canegrate",
        "Comune di Canegrate",
        "Comune di Canegrate",
        K.MUNICIPALITY,
        "00835500158",
        "Canegrate",
        {
            "address": "Via Manzoni 1, 20010 Canegrate (MI)",
            "pec": "comune.canegrate@pec.regione.lombardia.it",
            "email": "info@comune.canegrate.mi.it",
            "phone": "0331 463811",
        },
    ),
    (
        "aler_milano",
        "ALER Milano – Azienda Lombarda per l'Edilizia Residenziale",
        "ALER Milano",
        K.HOUSING_AGENCY,
        None,
        "Milano",
        {"address": "Viale Romagna 26, 20133 Milano"},
    ),
    (
        "eurolavoro",
        "Eurolavoro – AFOL Ovest Milano",
        "Eurolavoro AFOL Ovest Milano",
        K.LABOUR_OPERATOR,
        None,
        "Legnano",
        {
            "accredited_labour": True,
            "accredited_training": True,
            "accreditation_notes": "Accreditata ai servizi al lavoro e alla formazione; rete dei "
            "Centri per l'Impiego di Legnano, Magenta e Abbiategrasso.",
        },
    ),
    (
        "elaborando",
        "Elaborando Società Cooperativa Sociale",
        "Coop. Elaborando",
        K.SOCIAL_COOPERATIVE,
        None,
        "",
        {},
    ),
    (
        "la_cordata",
        "La Cordata Società Cooperativa Sociale",
        "Coop. La Cordata",
        K.SOCIAL_COOPERATIVE,
        None,
        "Milano",
        {"accreditation_notes": "Gestisce ADA – Agenzia dell'abitare del Rhodense."},
    ),
    (
        "trezzano",
        "Comune di Trezzano sul Naviglio",
        "Comune di Trezzano s/N",
        K.MUNICIPALITY,
        None,
        "Trezzano sul Naviglio",
        {},
    ),
    (
        "ripari",
        "Ripari Società Cooperativa Sociale",
        "Coop. Ripari",
        K.SOCIAL_COOPERATIVE,
        None,
        "",
        {},
    ),
    ("lule", "Lule Società Cooperativa Sociale", "Coop. Lule", K.SOCIAL_COOPERATIVE, None, "", {}),
    (
        "afol_metropolitana",
        "AFOL Metropolitana – Agenzia Formazione Orientamento Lavoro",
        "AFOL Metropolitana",
        K.LABOUR_OPERATOR,
        None,
        "Milano",
        {
            "accredited_labour": True,
            "accredited_training": True,
            "accreditation_notes": "Sede di Corsico (ex AFOL Sud Milano).",
        },
    ),
    (
        "comitato_mezzetta",
        "Comitato Mezzetta",
        "Comitato Mezzetta",
        K.ASSOCIATION,
        None,
        "Trezzano sul Naviglio",
        {},
    ),
    (
        "forum_cooperazione",
        "Forum Cooperazione e Tecnologia",
        "Forum Cooperazione e Tecnologia",
        K.ASSOCIATION,
        None,
        "",
        {},
    ),
    (
        "new_san_lorenzo",
        "Associazione sportiva New San Lorenzo",
        "ASD New San Lorenzo",
        K.ASSOCIATION,
        None,
        "Trezzano sul Naviglio",
        {},
    ),
    (
        "parrocchia_san_lorenzo",
        "Parrocchia San Lorenzo – Trezzano sul Naviglio",
        "Parrocchia S. Lorenzo",
        K.PARISH,
        None,
        "Trezzano sul Naviglio",
        {},
    ),
    ("melzo", "Comune di Melzo", "Comune di Melzo", K.MUNICIPALITY, None, "Melzo", {}),
    (
        "asst_melegnano",
        "ASST Melegnano e della Martesana",
        "ASST Melegnano Martesana",
        K.HEALTH_AGENCY,
        None,
        "",
        {},
    ),
    (
        "offertasociale",
        "Offertasociale – Servizio Inserimenti Lavorativi",
        "SIL Offertasociale",
        K.MUNICIPAL_UNION,
        None,
        "",
        {"accredited_labour": True},
    ),
    (
        "csl",
        "CS&L Consorzio Sociale",
        "CS&L",
        K.SOCIAL_COOPERATIVE,
        None,
        "",
        {"accredited_labour": True},
    ),
    ("arti_mestieri", "Arti e Mestieri", "Arti e Mestieri", K.ASSOCIATION, None, "", {}),
    ("mariposa", "Mariposa", "Mariposa", K.ASSOCIATION, None, "", {}),
    (
        "cgil",
        "CGIL – Camera del Lavoro Metropolitana di Milano",
        "CGIL",
        K.OTHER,
        None,
        "Milano",
        {},
    ),
    ("somaschi", "Fondazione Somaschi", "Fondazione Somaschi", K.OTHER, None, "", {}),
    ("punto_incontro", "Punto d'Incontro", "Punto d'Incontro", K.ASSOCIATION, None, "", {}),
    (
        "comuni_insieme",
        "Comuni Insieme per lo Sviluppo Sociale",
        "Comuni Insieme",
        K.MUNICIPAL_UNION,
        None,
        "Bollate",
        {
            "accreditation_notes": "Azienda consortile dei Comuni di Baranzate, Bollate, Cesate, "
            "Garbagnate Milanese, Novate Milanese, Senago e Solaro."
        },
    ),
    (
        "sercop",
        "Sercop – Azienda speciale consortile del Rhodense",
        "Sercop",
        K.MUNICIPAL_UNION,
        None,
        "Rho",
        {},
    ),
    (
        "citta_metropolitana",
        "Città Metropolitana di Milano",
        "Città Metropolitana di Milano",
        K.OTHER,
        None,
        "Milano",
        {"address": "Via Vivaio 1, 20122 Milano"},
    ),
    (
        "milano",
        "Comune di Milano",
        "Comune di Milano",
        K.MUNICIPALITY,
        None,
        "Milano",
        {"address": "Piazza della Scala 2, 20121 Milano"},
    ),
]

#: key: (name, code)
DISTRICTS = {
    "d5": ("Distretto 5 – Melzo", "ADDA-D5"),
    "d4": ("Distretto 4 – Cernusco sul Naviglio", "ADDA-D4"),
    "d3": ("Distretto 3 – Pioltello (Distretto Sociale Est Milano)", "ADDA-D3"),
    "d8": ("Distretto 8 – Trezzo sull'Adda", "ADDA-D8"),
    "garbagnate": ("Ambito di Garbagnate Milanese", "GARBAGNATE"),
    "legnano": ("Ambito del Legnanese", "LEGNANO"),
    "corsico": ("Ambito di Corsico", "CORSICO"),
}

#: name, ISTAT code, cadastral code, district key (all in the province of Milan)
MUNICIPALITIES: list[tuple[str, str, str, str | None]] = [
    # Adda Martesana, Distretto 5 Melzo (lead)
    ("Melzo", "015142", "F119", "d5"),
    ("Cassano d'Adda", "015059", "C003", "d5"),
    ("Inzago", "015114", "E317", "d5"),
    ("Liscate", "015122", "E610", "d5"),
    ("Pozzuolo Martesana", "015178", "G965", "d5"),
    ("Settala", "015210", "I696", "d5"),
    ("Truccazzano", "015224", "L454", "d5"),
    ("Vignate", "015237", "L883", "d5"),
    # Distretto 4 Cernusco sul Naviglio
    ("Cernusco sul Naviglio", "015070", "C523", "d4"),
    ("Bussero", "015040", "B292", "d4"),
    ("Carugate", "015051", "B850", "d4"),
    ("Cassina de' Pecchi", "015060", "C014", "d4"),
    ("Cambiago", "015044", "B461", "d4"),
    ("Bellinzago Lombardo", "015016", "A751", "d4"),
    ("Gessate", "015106", "D995", "d4"),
    ("Gorgonzola", "015108", "E094", "d4"),
    ("Pessano con Bornago", "015172", "G502", "d4"),
    # Distretto 3 Pioltello
    ("Pioltello", "015175", "G686", "d3"),
    ("Rodano", "015185", "H470", "d3"),
    ("Segrate", "015205", "I577", "d3"),
    ("Vimodrone", "015242", "M053", "d3"),
    # Distretto 8 Trezzo sull'Adda
    ("Trezzo sull'Adda", "015221", "L411", "d8"),
    ("Basiano", "015014", "A697", "d8"),
    ("Grezzago", "015110", "E170", "d8"),
    ("Masate", "015136", "F003", "d8"),
    ("Pozzo d'Adda", "015177", "G955", "d8"),
    ("Trezzano Rosa", "015219", "L408", "d8"),
    ("Vaprio d'Adda", "015230", "L667", "d8"),
    # Comuni Insieme (RiCA)
    ("Bollate", "015027", "A940", "garbagnate"),
    ("Baranzate", "015250", "A618", "garbagnate"),
    ("Cesate", "015076", "C569", "garbagnate"),
    ("Garbagnate Milanese", "015105", "D912", "garbagnate"),
    ("Novate Milanese", "015157", "F955", "garbagnate"),
    ("Senago", "015206", "I602", "garbagnate"),
    ("Solaro", "015213", "I786", "garbagnate"),
    # The other projects
    ("Canegrate", "015046", "B593", "legnano"),
    ("Trezzano sul Naviglio", "015220", "L409", "corsico"),
    ("Milano", "015146", "F205", None),
]
ADDA_DISTRICTS = ["d5", "d4", "d3", "d8"]
RICA_MUNICIPALITIES = [
    "Bollate",
    "Baranzate",
    "Cesate",
    "Garbagnate Milanese",
    "Novate Milanese",
    "Senago",
    "Solaro",
]

#: Birthplaces that are not project municipalities (cadastral codes).
OTHER_BIRTHPLACES = {
    "Legnano": "E514",
    "Parabiago": "G324",
    "Rho": "H264",
    "Corsico": "D045",
    "Napoli": "F839",
    "Palermo": "G273",
    "Bari": "A662",
    "Foggia": "D643",
    "Catania": "C351",
    "Reggio di Calabria": "H224",
}
SOUTHERN_BIRTHPLACES = ["Napoli", "Palermo", "Bari", "Foggia", "Catania", "Reggio di Calabria"]

# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------

ITALIAN_MALE = [
    "Giuseppe",
    "Giovanni",
    "Antonio",
    "Mario",
    "Luigi",
    "Francesco",
    "Angelo",
    "Vincenzo",
    "Pietro",
    "Salvatore",
    "Carlo",
    "Franco",
    "Domenico",
    "Bruno",
    "Paolo",
    "Michele",
    "Giorgio",
    "Aldo",
    "Sergio",
    "Luciano",
    "Roberto",
    "Stefano",
    "Alessandro",
    "Andrea",
    "Marco",
    "Luca",
    "Matteo",
    "Davide",
    "Simone",
    "Federico",
    "Lorenzo",
    "Riccardo",
    "Gabriele",
    "Daniele",
    "Emanuele",
    "Fabio",
    "Massimo",
    "Claudio",
    "Maurizio",
    "Enrico",
    "Alberto",
    "Gianluca",
    "Nicola",
    "Tommaso",
    "Leonardo",
    "Edoardo",
    "Mattia",
    "Samuele",
    "Diego",
    "Filippo",
    "Cristian",
    "Alessio",
    "Raffaele",
    "Gennaro",
    "Rocco",
    "Ciro",
    "Carmelo",
    "Ivan",
    "Christian",
    "Manuel",
]
ITALIAN_FEMALE = [
    "Maria",
    "Anna",
    "Giuseppina",
    "Rosa",
    "Angela",
    "Giovanna",
    "Teresa",
    "Lucia",
    "Carmela",
    "Caterina",
    "Francesca",
    "Antonietta",
    "Carla",
    "Elena",
    "Rita",
    "Franca",
    "Paola",
    "Laura",
    "Patrizia",
    "Daniela",
    "Cinzia",
    "Monica",
    "Barbara",
    "Roberta",
    "Silvia",
    "Sabrina",
    "Simona",
    "Valentina",
    "Chiara",
    "Federica",
    "Sara",
    "Giulia",
    "Martina",
    "Alessia",
    "Elisa",
    "Sofia",
    "Aurora",
    "Giorgia",
    "Alice",
    "Emma",
    "Ginevra",
    "Beatrice",
    "Noemi",
    "Arianna",
    "Marta",
    "Irene",
    "Nadia",
    "Loredana",
    "Graziella",
    "Concetta",
    "Immacolata",
    "Assunta",
    "Filomena",
    "Rosaria",
    "Vincenza",
    "Nicoletta",
    "Stefania",
    "Claudia",
    "Debora",
    "Anna Maria",
]
NORTHERN_SURNAMES = [
    "Colombo",
    "Brambilla",
    "Ferrario",
    "Fumagalli",
    "Crippa",
    "Galbiati",
    "Sironi",
    "Radaelli",
    "Mauri",
    "Pozzi",
    "Longoni",
    "Banfi",
    "Villa",
    "Cattaneo",
    "Bianchi",
    "Rossi",
    "Ferrari",
    "Galli",
    "Sala",
    "Riva",
    "Bassi",
    "Bonfanti",
    "Caldera",
    "Cazzaniga",
    "Confalonieri",
    "Corti",
    "Gatti",
    "Giussani",
    "Gorla",
    "Invernizzi",
    "Locatelli",
    "Magni",
    "Mantegazza",
    "Marelli",
    "Meroni",
    "Molteni",
    "Monti",
    "Moretti",
    "Negri",
    "Oggioni",
    "Pagani",
    "Parravicini",
    "Perego",
    "Pirovano",
    "Ratti",
    "Redaelli",
    "Rigamonti",
    "Ronchi",
    "Rota",
    "Scotti",
    "Spinelli",
    "Tagliabue",
    "Vergani",
    "Viganò",
    "Zanetti",
    "Lombardi",
    "Marchetti",
    "Martinelli",
    "Costa",
    "Fontana",
    "Mariani",
    "Barbieri",
    "Bernasconi",
    "Borghi",
    "Castelli",
    "Carminati",
    "Ceriani",
    "Frigerio",
    "Arosio",
    "Beretta",
]
SOUTHERN_SURNAMES = [
    "Esposito",
    "Russo",
    "Romano",
    "Greco",
    "Bruno",
    "Caruso",
    "Rizzo",
    "De Luca",
    "Messina",
    "Sorrentino",
    "Cirillo",
    "Iannone",
    "La Rosa",
    "Scuderi",
    "Calabrese",
    "Pugliese",
    "Siciliano",
    "Napolitano",
    "D'Angelo",
    "Coppola",
    "Ferrara",
    "Santoro",
    "Marino",
    "Gallo",
    "Leone",
    "Longo",
    "Vitale",
    "Amato",
    "Caputo",
    "Palumbo",
    "Lombardo",
    "Di Stefano",
    "Mancuso",
    "Fiore",
    "Cannizzaro",
    "Lo Presti",
    "Gentile",
    "De Rosa",
    "Parisi",
    "Barone",
    "Mazza",
    "Ruggiero",
    "Giordano",
    "Basile",
    "Lo Bianco",
    "Grasso",
    "Pellegrino",
    "Mele",
    "Testa",
    "Carbone",
    "Catalano",
    "Arena",
    "Bellomo",
    "Sciortino",
    "Buscemi",
    "Di Maio",
    "Iovine",
    "Pagano",
    "Orlando",
    "Guarino",
]

#: Foreign countries of birth: name, cadastral Z-code, ISO citizenship, EU member, names.
COUNTRIES: dict[str, dict] = {
    "MA": {
        "name": "Marocco",
        "code": "Z330",
        "eu": False,
        "weight": 30,
        "male": [
            "Mohamed",
            "Youssef",
            "Rachid",
            "Abdelkader",
            "Hassan",
            "Said",
            "Karim",
            "Mustapha",
            "Omar",
            "Hamza",
        ],
        "female": [
            "Fatima",
            "Khadija",
            "Naima",
            "Malika",
            "Samira",
            "Hanane",
            "Latifa",
            "Amina",
            "Salma",
            "Imane",
        ],
        "surnames": [
            "El Amrani",
            "Benali",
            "Bouzid",
            "El Idrissi",
            "Haddad",
            "Lahlou",
            "Tazi",
            "Ouali",
            "Chaoui",
            "El Fassi",
            "Alaoui",
            "Berrada",
        ],
    },
    "RO": {
        "name": "Romania",
        "code": "Z129",
        "eu": True,
        "weight": 16,
        "male": [
            "Ion",
            "Vasile",
            "Gheorghe",
            "Mihai",
            "Constantin",
            "Andrei",
            "Florin",
            "Adrian",
            "Marian",
        ],
        "female": [
            "Maria",
            "Elena",
            "Ioana",
            "Mihaela",
            "Andreea",
            "Daniela",
            "Gabriela",
            "Florentina",
            "Alina",
        ],
        "surnames": [
            "Popescu",
            "Ionescu",
            "Popa",
            "Stan",
            "Dumitru",
            "Munteanu",
            "Stoica",
            "Rusu",
            "Moldovan",
            "Lungu",
        ],
    },
    "AL": {
        "name": "Albania",
        "code": "Z100",
        "eu": False,
        "weight": 15,
        "male": ["Arben", "Ardit", "Besnik", "Gentian", "Ilir", "Dritan", "Altin", "Erion"],
        "female": [
            "Elona",
            "Anila",
            "Blerina",
            "Eriona",
            "Mirela",
            "Valbona",
            "Arjola",
            "Klodiana",
        ],
        "surnames": [
            "Hoxha",
            "Shehu",
            "Kola",
            "Leka",
            "Gjoka",
            "Dervishi",
            "Basha",
            "Meta",
            "Cela",
            "Prifti",
        ],
    },
    "EG": {
        "name": "Egitto",
        "code": "Z336",
        "eu": False,
        "weight": 10,
        "male": ["Ahmed", "Mahmoud", "Mohamed", "Mostafa", "Tarek", "Amr", "Karim", "Walid"],
        "female": ["Nadia", "Mona", "Heba", "Rania", "Yasmin", "Dina", "Noha", "Aya"],
        "surnames": [
            "Hassan",
            "Ibrahim",
            "Abdelrahman",
            "Salem",
            "Farouk",
            "Mansour",
            "Soliman",
            "Fawzy",
        ],
    },
    "PE": {
        "name": "Perù",
        "code": "Z611",
        "eu": False,
        "weight": 10,
        "male": ["José", "Luis", "Carlos", "Jorge", "Juan", "Miguel", "Víctor", "Walter"],
        "female": [
            "Rosa",
            "Carmen",
            "Milagros",
            "Gladys",
            "Luz",
            "Maribel",
            "Yolanda",
            "Elizabeth",
        ],
        "surnames": [
            "Quispe",
            "Flores",
            "Huamán",
            "Mendoza",
            "Rojas",
            "Torres",
            "Vargas",
            "Chávez",
            "Ramírez",
            "García",
        ],
    },
    "SN": {
        "name": "Senegal",
        "code": "Z343",
        "eu": False,
        "weight": 8,
        "male": ["Mamadou", "Ousmane", "Cheikh", "Ibrahima", "Moussa", "Abdoulaye", "Modou"],
        "female": ["Fatou", "Aminata", "Awa", "Mariama", "Coumba", "Ndeye", "Khady"],
        "surnames": ["Diop", "Ndiaye", "Fall", "Sow", "Gueye", "Diallo", "Sarr", "Faye"],
    },
    "UA": {
        "name": "Ucraina",
        "code": "Z138",
        "eu": False,
        "weight": 5,
        "male": ["Oleksandr", "Andriy", "Mykola", "Serhiy", "Volodymyr"],
        "female": ["Olena", "Natalia", "Oksana", "Tetiana", "Iryna", "Svitlana"],
        "surnames": ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk"],
    },
    "PH": {
        "name": "Filippine",
        "code": "Z216",
        "eu": False,
        "weight": 4,
        "male": ["Rodel", "Mark", "Jun", "Ramon", "Arnel"],
        "female": ["Maricel", "Rowena", "Jocelyn", "Lorna", "Marites", "Cristina"],
        "surnames": ["Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Mendoza"],
    },
    "EC": {
        "name": "Ecuador",
        "code": "Z605",
        "eu": False,
        "weight": 4,
        "male": ["Segundo", "Fausto", "Wilson", "Byron", "Edison"],
        "female": ["Blanca", "Narcisa", "Jessica", "Lorena", "Mercedes"],
        "surnames": ["Guamán", "Zambrano", "Cedeño", "Loor", "Macías", "Vera"],
    },
}

#: Italian mobile prefixes; the "000" that follows marks the numbers as made up.
MOBILE_PREFIXES = [
    320,
    328,
    329,
    331,
    333,
    334,
    338,
    339,
    340,
    345,
    347,
    348,
    349,
    351,
    366,
    380,
    388,
    389,
    392,
    393,
]

MONTH_LETTERS = "ABCDEHLMPRST"
OMOCODIA = "LMNPQRSTUV"
VOWELS = set("AEIOU")

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def ascii_letters(text: str) -> str:
    """Upper-case A-Z letters of a name, accents removed ("D'Angelo" -> "DANGELO")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.upper() if "A" <= c <= "Z")


def surname_code(surname: str) -> str:
    """The three letters of the surname: consonants, then vowels, then X."""
    letters = ascii_letters(surname)
    consonants = [c for c in letters if c not in VOWELS]
    vowels = [c for c in letters if c in VOWELS]
    return ("".join(consonants + vowels) + "XXX")[:3]


def name_code(name: str) -> str:
    """The three letters of the first name: with four or more consonants the 1st, 3rd and
    4th; otherwise like the surname."""
    letters = ascii_letters(name)
    consonants = [c for c in letters if c not in VOWELS]
    if len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    vowels = [c for c in letters if c in VOWELS]
    return ("".join(consonants + vowels) + "XXX")[:3]


def person_tax_code(
    last_name: str,
    first_name: str,
    birth: dt.date,
    sex: str,
    place_code: str,
    omocodia_level: int = 0,
) -> str:
    """A codice fiscale consistent with name, birth date, sex and birthplace.

    ``omocodia_level`` (0-3) replaces the digits of the cadastral code from the right with
    letters, as the Agenzia delle Entrate does when two people would get the same code.
    """
    day = birth.day + (40 if sex == "F" else 0)
    body = (
        surname_code(last_name)
        + name_code(first_name)
        + f"{birth.year % 100:02d}"
        + MONTH_LETTERS[birth.month - 1]
        + f"{day:02d}"
        + place_code
    )
    chars = list(body)
    for position in (14, 13, 12)[:omocodia_level]:
        chars[position] = OMOCODIA[int(chars[position])]
    body = "".join(chars)
    return body + codicefiscale.calc_check_digit(body)


def organisation_vat(sequence: int) -> str:
    """A formally valid partita IVA (office code 015, Milano) for a demo organisation."""
    body = f"{9100000 + sequence * 1237:07d}015"
    return body + luhn.calc_check_digit(body)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=round(years * 365.25))


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def hours_of(minutes: int) -> Decimal:
    """Hours as stored on a register line, never above the session's length."""
    return (D(minutes) / D(60)).quantize(D("0.01"), rounding=ROUND_DOWN)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def time_of(text: str) -> dt.time:
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


# Birth dates must stay in the century the codice fiscale decodes to (see the report):
# stdnum reads a two-digit year in 1920-2019.
BIRTH_MIN = dt.date(1920, 1, 1)
BIRTH_MAX = dt.date(2019, 12, 31)


def clamp_birth(day: dt.date) -> dt.date:
    return min(max(day, BIRTH_MIN), BIRTH_MAX)


# --------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------

EASTER_MONDAYS = {2019: dt.date(2019, 4, 22), 2020: dt.date(2020, 4, 13), 2021: dt.date(2021, 4, 5)}
FIXED_HOLIDAYS = [
    (1, 1),
    (1, 6),
    (4, 25),
    (5, 1),
    (6, 2),
    (8, 15),
    (11, 1),
    (12, 7),
    (12, 8),
    (12, 25),
    (12, 26),
]


def is_closed(day: dt.date) -> bool:
    """Public holidays (Milan's 7 December included), summer and Christmas closures."""
    if (day.month, day.day) in FIXED_HOLIDAYS or EASTER_MONDAYS.get(day.year) == day:
        return True
    if day.month == 8 and 5 <= day.day <= 30:
        return True
    return (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 6)


def weekly(start: dt.date, end: dt.date, weekday: int, every: int = 1) -> list[dt.date]:
    """Dates of a weekday (0 = Monday) from start to end, every n weeks, closures skipped."""
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    days = []
    while day <= end:
        if not is_closed(day):
            days.append(day)
        day += dt.timedelta(weeks=every)
    return days


def monthly(start: dt.date, end: dt.date, weekday: int, nth: int) -> list[dt.date]:
    """The nth weekday of every month (nth = -1: the last one), closures skipped."""
    days = []
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= end:
        first = dt.date(year, month, 1)
        candidates = []
        day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
        while day.month == month:
            candidates.append(day)
            day += dt.timedelta(weeks=1)
        day = candidates[nth] if nth < 0 or nth < len(candidates) else candidates[-1]
        if start <= day <= end and not is_closed(day):
            days.append(day)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return days


# --------------------------------------------------------------------------------------
# Build state
# --------------------------------------------------------------------------------------


@dataclass
class Demo:
    """What the whole build shares: the random generator and the reference objects."""

    rng: random.Random
    organisations: dict[str, Organisation] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    tax_codes: set[str] = field(default_factory=set)
    place_codes: dict[str, str] = field(default_factory=dict)


@dataclass
class ProjectBatch:
    """One project's rows, collected in memory and written with bulk_create at the end."""

    project: Project
    today: dt.date  # the demo's "now" for this project: registers after it do not exist
    activity_start: dt.date
    suspensions: list[tuple[dt.date, dt.date, str]] = field(default_factory=list)
    axes: dict[str, Axis] = field(default_factory=dict)
    labs: dict[str, Lab] = field(default_factory=dict)
    residents: list[Person] = field(default_factory=list)  # current household members
    households: list[Household] = field(default_factory=list)
    household_of: dict[int, Household] = field(default_factory=dict)  # person pk -> household
    extra_people: list[Person] = field(default_factory=list)
    extra_pks: list[int] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    operator_links: list[tuple[Session, object]] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    enrolments: dict[tuple[int, int], ActivityEnrolment] = field(default_factory=dict)
    first_contact: dict[int, dt.date] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    arrears: list[ArrearsRecord] = field(default_factory=list)
    notes: list[CaseNote] = field(default_factory=list)
    reports: list[ResidentReport] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    people_by_pk: dict[int, Person] = field(default_factory=dict)

    def contact(self, person: Person, day: dt.date) -> None:
        """Remember the first day the project met the person (for the registration)."""
        known = self.first_contact.get(person.pk)
        if known is None or day < known:
            self.first_contact[person.pk] = day
        self.people_by_pk[person.pk] = person

    def enrol(self, activity: Activity, person: Person, since: dt.date) -> None:
        key = (activity.pk, person.pk)
        if key not in self.enrolments:
            self.enrolments[key] = ActivityEnrolment(activity=activity, person=person, since=since)
        self.contact(person, since)


# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------


@dataclass
class Origin:
    """Where a household comes from: "north" (Lombardy), "south" (first generation born in
    the South), or "foreign" with a country key of COUNTRIES."""

    kind: str
    country: str | None = None
    arrival_year: int = 0
    naturalised: bool = False


def choose_origin(rng: random.Random, foreign_share: float = 0.3) -> Origin:
    roll = rng.random()
    if roll < foreign_share:
        keys = list(COUNTRIES)
        country = rng.choices(keys, [COUNTRIES[k]["weight"] for k in keys])[0]
        arrival = rng.randint(1991, 2017)
        return Origin("foreign", country, arrival, arrival < 2006 and rng.random() < 0.35)
    if roll < foreign_share + 0.28:
        return Origin("south")
    return Origin("north")


def surname_for(rng: random.Random, origin: Origin) -> str:
    if origin.kind == "foreign":
        return rng.choice(COUNTRIES[origin.country]["surnames"])
    if origin.kind == "south":
        return rng.choice(SOUTHERN_SURNAMES)
    return rng.choice(NORTHERN_SURNAMES if rng.random() < 0.75 else SOUTHERN_SURNAMES)


def first_name_for(rng: random.Random, origin: Origin, sex: str, born_in_italy: bool) -> str:
    if origin.kind == "foreign":
        names = COUNTRIES[origin.country]["male" if sex == "M" else "female"]
        if born_in_italy and rng.random() < 0.3:
            names = ITALIAN_MALE if sex == "M" else ITALIAN_FEMALE
        return rng.choice(names)
    return rng.choice(ITALIAN_MALE if sex == "M" else ITALIAN_FEMALE)


def new_person(
    demo: Demo,
    origin: Origin,
    sex: str,
    birth: dt.date,
    local_places: list[str],
    *,
    last_name: str | None = None,
    first_name: str | None = None,
    no_tax_code_share: float = 0.0,
) -> Person:
    """An unsaved Person with a valid codice fiscale, unique among the demo's people."""
    rng = demo.rng
    birth = clamp_birth(birth)
    born_abroad = origin.kind == "foreign" and birth.year < origin.arrival_year
    if origin.kind == "foreign" and born_abroad:
        country = COUNTRIES[origin.country]
        birth_place, place_code = country["name"], country["code"]
    elif origin.kind == "south" and birth.year <= 1972:
        birth_place = rng.choice(SOUTHERN_BIRTHPLACES)
        place_code = demo.place_codes[birth_place]
    else:
        birth_place = rng.choice(local_places)
        place_code = demo.place_codes[birth_place]
    if origin.kind == "foreign" and not origin.naturalised:
        citizenship = origin.country
    else:
        citizenship = "IT"
    last_name = last_name or surname_for(rng, origin)
    first_name = first_name or first_name_for(rng, origin, sex, not born_abroad)
    tax_code = None
    if not (born_abroad and rng.random() < no_tax_code_share):
        for level in range(4):
            candidate = person_tax_code(last_name, first_name, birth, sex, place_code, level)
            if candidate not in demo.tax_codes:
                tax_code = candidate
                break
        else:  # four people with the same code: give this one another first name
            return new_person(
                demo,
                origin,
                sex,
                birth,
                local_places,
                last_name=last_name,
                no_tax_code_share=no_tax_code_share,
            )
        demo.tax_codes.add(tax_code)
    adult = age_on(birth, dt.date(2019, 1, 1)) >= 18
    phone = ""
    email = ""
    if adult and rng.random() < 0.8:
        phone = f"+39 {rng.choice(MOBILE_PREFIXES)} 000 {rng.randint(1000, 9999)}"
    if adult and rng.random() < 0.25:
        email = (
            f"{ascii_letters(first_name).lower()}.{ascii_letters(last_name).lower()}"
            f"{rng.randint(1, 99)}@example.org"
        )
    return Person(
        first_name=first_name,
        last_name=last_name,
        tax_code=tax_code,
        birth_date=birth,
        sex=sex,
        birth_place=birth_place,
        citizenship=citizenship,
        phone=phone,
        email=email,
    )


@dataclass
class NewMember:
    person: Person
    relation: str
    start: dt.date | None = None  # None: from the move-in date
    end: dt.date | None = None


R = HouseholdMember.Relation


def compose_household(
    demo: Demo, size: int, ref: dt.date, local_places: list[str], foreign_share: float
) -> tuple[list[NewMember], Origin]:
    """People of one household of ``size`` current members, in a plausible shape: elderly
    singles and couples, single parents, couples with children, a grandparent."""
    rng = demo.rng
    origin = choose_origin(rng, foreign_share)

    def person(sex, age_min, age_max, **kwargs):
        birth = years_before(ref, rng.uniform(age_min, age_max))
        return new_person(demo, origin, sex, birth, local_places, no_tax_code_share=0.12, **kwargs)

    def children(count, parent_age, surname):
        oldest = max(1, min(24, int(parent_age) - 19))
        ages = sorted((rng.uniform(0.3, oldest) for _ in range(count)), reverse=True)
        return [
            NewMember(person(rng.choice("MF"), age, age + 0.001, last_name=surname), R.CHILD)
            for age in ages
        ]

    members: list[NewMember] = []
    roll = rng.random()
    if size == 1:
        if roll < 0.62:  # elderly living alone, mostly women
            members.append(
                NewMember(person("F" if rng.random() < 0.7 else "M", 66, 93), R.REFERENCE)
            )
        else:
            members.append(
                NewMember(person("M" if rng.random() < 0.55 else "F", 28, 64), R.REFERENCE)
            )
        return members, origin
    if size == 2 and roll < 0.33:  # elderly couple
        members += [
            NewMember(person("M", 66, 88), R.REFERENCE),
            NewMember(person("F", 63, 86), R.PARTNER),
        ]
        return members, origin
    if size == 2 and roll < 0.50:  # elderly parent with an adult child
        parent_sex = "F" if rng.random() < 0.7 else "M"
        parent = person(parent_sex, 70, 90)
        child_surname = parent.last_name if parent_sex == "M" else surname_for(rng, origin)
        members += [
            NewMember(parent, R.REFERENCE),
            NewMember(person(rng.choice("MF"), 35, 58, last_name=child_surname), R.CHILD),
        ]
        return members, origin
    if size == 2 and roll < 0.56:  # grandparent raising a grandchild
        members += [
            NewMember(person("F", 62, 80), R.REFERENCE),
            NewMember(person(rng.choice("MF"), 4, 16), R.GRANDCHILD),
        ]
        return members, origin
    if size == 2 and roll < 0.61:  # two adult siblings
        first = person(rng.choice("MF"), 45, 75)
        members += [
            NewMember(first, R.REFERENCE),
            NewMember(person(rng.choice("MF"), 45, 75, last_name=first.last_name), R.SIBLING),
        ]
        return members, origin
    if (size == 2 and roll < 0.80) or (size >= 3 and roll < 0.22):  # single parent
        mother = rng.random() < 0.85
        parent_age = rng.uniform(26, 55)
        parent = person("F" if mother else "M", parent_age, parent_age + 0.001)
        surname = surname_for(rng, origin) if mother else parent.last_name
        members.append(NewMember(parent, R.REFERENCE))
        members += children(size - 1, parent_age, surname)
        return members, origin
    # a couple, with children when larger, sometimes with a grandparent
    with_grandparent = size >= 4 and rng.random() < 0.2
    parent_age = rng.uniform(28, 58)
    father = person("M", parent_age, parent_age + 0.001)
    mother = person("F", max(20, parent_age - 6), parent_age + 1)
    if rng.random() < 0.75:
        members += [NewMember(father, R.REFERENCE), NewMember(mother, R.PARTNER)]
    else:
        members += [NewMember(mother, R.REFERENCE), NewMember(father, R.PARTNER)]
    members += children(size - 2 - (1 if with_grandparent else 0), parent_age, father.last_name)
    if with_grandparent:
        members.append(NewMember(person("F" if rng.random() < 0.7 else "M", 70, 90), R.PARENT))
    return members, origin


def household_sizes(rng: random.Random, households: int, people: int) -> list[int]:
    """Sizes of ``households`` households adding up to exactly ``people``."""
    sizes = [rng.choices([1, 2, 3, 4, 5, 6], [30, 30, 18, 14, 6, 2])[0] for _ in range(households)]
    while sum(sizes) != people:
        i = rng.randrange(households)
        if sum(sizes) < people and sizes[i] < 7:
            sizes[i] += 1
        elif sum(sizes) > people and sizes[i] > 1:
            sizes[i] -= 1
    return sizes


ISEE_BANDS = [
    Household.IseeBand.UP_TO_6K,
    Household.IseeBand.UP_TO_9K,
    Household.IseeBand.UP_TO_16K,
    Household.IseeBand.UP_TO_26K,
    Household.IseeBand.OVER_26K,
    Household.IseeBand.UNKNOWN,
]


def build_units(
    building: Building,
    count: int,
    staircases: list[str],
    per_floor: int,
    rng: random.Random,
    tenure: str = HousingUnit.Tenure.SOCIAL_RENT,
) -> list[HousingUnit]:
    """``count`` flats of a building, staircase by staircase and floor by floor."""
    units = []
    floor, stair_index, slot = 0, 0, 1
    while len(units) < count:
        rooms = rng.choices([1, 2, 3, 4, 5], [8, 30, 35, 20, 7])[0]
        staircase = staircases[stair_index]
        units.append(
            HousingUnit(
                building=building,
                staircase=staircase,
                floor=floor,
                owner_code=f"{building.owner_code}-{staircase}{floor}{slot:02d}",
                rooms=rooms,
                surface_m2=28 + rooms * 16 + rng.randint(-4, 9),
                tenure=tenure,
            )
        )
        slot += 1
        if slot > per_floor:
            slot, floor = 1, floor + 1
            if floor > 5:
                floor, stair_index = 0, stair_index + 1
    return units


def populate_building(
    demo: Demo,
    batch: ProjectBatch,
    building: Building,
    units: list[HousingUnit],
    households: int,
    people: int,
    *,
    code_prefix: str,
    ref: dt.date,
    local_places: list[str],
    foreign_share: float,
    vacant: int,
    under_works: int,
    no_title: int,
    moved_out_children: int,
) -> list[tuple[Household, list[NewMember]]]:
    """Households living in a building: exactly ``households`` current tenancies and
    ``people`` current members (members who moved out are extra). Units without a household
    are vacant, under works or occupied without title."""
    rng = demo.rng
    assert households + vacant + under_works + no_title == len(units), building
    sizes = household_sizes(rng, households, people)
    shuffled = units[:]
    rng.shuffle(shuffled)
    occupied = sorted(shuffled[:households], key=lambda u: u.rooms)
    for unit, status in zip(
        shuffled[households:],
        [HousingUnit.Status.VACANT] * vacant
        + [HousingUnit.Status.UNDER_WORKS] * under_works
        + [HousingUnit.Status.OCCUPIED_WITHOUT_TITLE] * no_title,
        strict=True,
    ):
        unit.status = status
    HousingUnit.objects.bulk_create(units)
    order = sorted(range(households), key=lambda i: sizes[i])
    result = []
    for n, index in enumerate(order):
        members, origin = compose_household(demo, sizes[index], ref, local_places, foreign_share)
        unit = occupied[n]
        reference = members[0].person
        earliest = max(
            dt.date(1978, 1, 1),
            years_before(reference.birth_date, -20),
            dt.date(origin.arrival_year + 1, 1, 1) if origin.arrival_year else dt.date(1978, 1, 1),
        )
        moved_in = random_date(rng, min(earliest, dt.date(2018, 6, 30)), dt.date(2018, 9, 30))
        household = Household(
            project=batch.project,
            code=f"{code_prefix}-{n + 1:03d}",
            isee_band=rng.choices(ISEE_BANDS, [35, 25, 22, 7, 2, 9])[0],
            isee_year=ref.year,
        )
        household.demo_unit = unit
        household.demo_moved_in = moved_in
        household.demo_origin = origin
        result.append((household, members))
    # a few grown-up children who left the household during the year (not residents)
    for household, members in rng.sample(result, moved_out_children):
        reference = members[0]
        if age_on(reference.person.birth_date, ref) < 45:
            continue
        child = new_person(
            demo,
            household.demo_origin,
            rng.choice("MF"),
            years_before(ref, rng.uniform(20, 27)),
            local_places,
            last_name=reference.person.last_name if reference.person.sex == "M" else None,
        )
        left = random_date(rng, ref + dt.timedelta(days=40), ref + dt.timedelta(days=300))
        members.append(NewMember(child, R.CHILD, end=left))
    return result


def save_households(
    demo: Demo, batch: ProjectBatch, households: list[tuple[Household, list[NewMember]]]
) -> None:
    """Write people, households, members and tenancies (bulk) for a project."""
    people = [m.person for _, members in households for m in members]
    Person.objects.bulk_create(people, batch_size=500)
    Household.objects.bulk_create([h for h, _ in households], batch_size=500)
    member_rows, tenancies = [], []
    for household, members in households:
        moved_in = household.demo_moved_in
        for member in members:
            start = member.start or max(moved_in, member.person.birth_date)
            member_rows.append(
                HouseholdMember(
                    household=household,
                    person=member.person,
                    relation=member.relation,
                    start_date=start,
                    end_date=member.end,
                )
            )
            batch.people_by_pk[member.person.pk] = member.person
            if member.end is None:
                batch.residents.append(member.person)
                batch.household_of[member.person.pk] = household
        if getattr(household, "demo_unit", None) is not None:
            tenancies.append(
                Tenancy(household=household, unit=household.demo_unit, moved_in=moved_in)
            )
        household.demo_members = members
        batch.households.append(household)
    HouseholdMember.objects.bulk_create(member_rows, batch_size=500)
    Tenancy.objects.bulk_create(tenancies, batch_size=500)


def adults(
    people: list[Person], day: dt.date, min_age: int = 18, max_age: int = 120
) -> list[Person]:
    return [p for p in people if min_age <= age_on(p.birth_date, day) <= max_age]


# --------------------------------------------------------------------------------------
# Reference objects
# --------------------------------------------------------------------------------------


def build_reference(demo: Demo) -> None:
    """Programmes, organisations, districts and municipalities (reused if present)."""
    for spec in PROGRAMMES:
        values = dict(spec)
        code = values.pop("code")
        demo.programmes[code], _ = Programme.objects.get_or_create(code=code, defaults=values)
    for sequence, (key, name, short, kind, tax_code, city, extra) in enumerate(ORGANISATIONS):
        defaults = {
            "short_name": short,
            "kind": kind,
            "city": city,
            "tax_code": tax_code or organisation_vat(sequence),
            **extra,
        }
        demo.organisations[key], _ = Organisation.objects.get_or_create(
            name=name, defaults=defaults
        )
    for key, (name, code) in DISTRICTS.items():
        demo.districts[key], _ = District.objects.get_or_create(name=name, defaults={"code": code})
    for name, istat, cadastral, district in MUNICIPALITIES:
        demo.municipalities[name], _ = Municipality.objects.get_or_create(
            istat_code=istat,
            defaults={
                "name": name,
                "cadastral_code": cadastral,
                "province": "MI",
                "district": demo.districts[district] if district else None,
            },
        )
        demo.place_codes[name] = cadastral
    demo.place_codes.update(OTHER_BIRTHPLACES)
    demo.tax_codes.update(Person.objects.exclude(tax_code=None).values_list("tax_code", flat=True))


def build_users(demo: Demo) -> None:
    """Demo accounts with one shared password hash (hashed once: it is slow on purpose)."""
    User = get_user_model()
    hashed = make_password(DEMO_PASSWORD)
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": demo_email(spec["username"]),
                "is_staff": spec["kind"] == "admin",
                "is_superuser": spec["kind"] == "admin",
            },
        )
        if created:
            validate_password(DEMO_PASSWORD, user)
            user.password = hashed
            user.save(update_fields=["password"])
        demo.users[spec["username"]] = user
        if spec["organisation"]:
            Membership.objects.get_or_create(
                user=user,
                organisation=demo.organisations[spec["organisation"]],
                defaults={"job_title": spec["job_title"]},
            )


def add_roles(demo: Demo, project: Project) -> None:
    for spec in DEMO_USERS:
        for slug, role in spec["roles"]:
            if slug == project.slug:
                ProjectRole.objects.get_or_create(
                    project=project,
                    user=demo.users[spec["username"]],
                    defaults={
                        "organisation": demo.organisations[spec["organisation"]],
                        "role": role,
                    },
                )


def create_project(
    demo: Demo,
    *,
    programme: str,
    lead: str,
    axes: list[tuple],
    partners: list[tuple],
    periods: list[tuple],
    **fields,
) -> Project:
    """A project with its axes (code, name, action, budget, participants, hours),
    partnership (organisation key, role, budget share, agreement date, notes) and
    reporting periods (name, start, end)."""
    project = Project.objects.create(
        programme=demo.programmes[programme],
        lead_organisation=demo.organisations[lead],
        budget=sum((a[3] for a in axes), D("0.00")),
        **fields,
    )
    shares = sum((p[2] for p in partners), D("0.00"))
    assert shares == project.budget, (project.slug, shares, project.budget)
    for order, (code, name, action, budget, participants, hours) in enumerate(axes):
        Axis.objects.create(
            project=project,
            code=code,
            name=name,
            action=action,
            budget=budget,
            target_participants=participants,
            target_hours=hours,
            order=order,
        )
    for key, role, share, agreed, notes in partners:
        Partnership.objects.create(
            project=project,
            organisation=demo.organisations[key],
            role=role,
            budget_share=share,
            agreement_date=agreed,
            notes=notes,
        )
    for name, start, end in periods:
        ReportingPeriod.objects.create(project=project, name=name, start_date=start, end_date=end)
    add_roles(demo, project)
    return project


def semesters(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Half-year reporting periods (calendar semesters) covering start..end."""
    periods = []
    year, half = start.year, 1 if start.month <= 6 else 2
    while True:
        first = dt.date(year, 1 if half == 1 else 7, 1)
        last = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        if first > end:
            return periods
        periods.append((f"{half}° semestre {year}", max(first, start), min(last, end)))
        year, half = (year, 2) if half == 1 else (year + 1, 1)


# --------------------------------------------------------------------------------------
# Activities, sessions and registers
# --------------------------------------------------------------------------------------

CANCEL_REASONS = [
    "Operatore assente per malattia, non sostituibile",
    "Sala non disponibile (assemblea condominiale)",
    "Allerta meteo: attività all'aperto annullata",
    "Sciopero dei mezzi pubblici",
    "Incontro rinviato su richiesta dei partecipanti",
]


def new_activity(
    batch: ProjectBatch,
    axis: str,
    organisation: Organisation,
    kind: str,
    name: str,
    planned_hours: int,
    *,
    description: str = "",
    is_open_event: bool = False,
    lab: str | None = None,
) -> Activity:
    return Activity.objects.create(
        project=batch.project,
        axis=batch.axes[axis],
        organisation=organisation,
        kind=kind,
        name=name,
        description=description,
        planned_hours=D(planned_hours),
        is_open_event=is_open_event,
        lab=batch.labs.get(lab) if lab else None,
    )


def session_state(
    rng: random.Random,
    batch: ProjectBatch,
    day: dt.date,
    *,
    cancel_rate: float,
    suspended_online: bool,
) -> tuple[str, str, str]:
    """State, cancel reason and place override of a session on ``day``."""
    for first, last, reason in batch.suspensions:
        if first <= day <= last:
            if suspended_online:
                return Session.State.HELD, "", "A distanza (videochiamata)"
            return Session.State.CANCELLED, reason, ""
    if day > batch.today - dt.timedelta(days=18) and rng.random() < 0.6:
        return Session.State.PLANNED, "", ""
    if rng.random() < cancel_rate:
        return Session.State.CANCELLED, rng.choice(CANCEL_REASONS), ""
    return Session.State.HELD, "", ""


def add_sessions(
    demo: Demo,
    batch: ProjectBatch,
    activity: Activity,
    days: list[dt.date],
    start: str,
    end: str,
    *,
    lab: str | None = None,
    place: str = "",
    operators: tuple[str, ...] = (),
    pool: list[Person] | None = None,
    presence: float = 0.8,
    walk_in: tuple[list[Person], int, int] | None = None,
    head_count: tuple[int, int] = (0, 0),
    cancel_rate: float = 0.04,
    suspended_online: bool = False,
    notes: list[str] | None = None,
    enrol_pool: bool = True,
    active: dict[int, tuple[dt.date, dt.date]] | None = None,
) -> list[Session]:
    """Dated sessions of an activity with their registers.

    ``pool``: the usual participants (enrolled, each present with ``presence``);
    ``walk_in``: (candidates, min, max) people who drop in; ``head_count``: unnamed
    attendees of an open event; ``active``: person pk -> (from, to), days outside which
    a participant of the pool is not expected (before entry, after exit). Sessions after
    the project's demo date are not created; those of its last weeks are often still to
    be recorded.
    """
    rng = demo.rng
    start_time, end_time = time_of(start), time_of(end)
    minutes = minutes_between(start_time, end_time)
    full_hours = hours_of(minutes)
    if pool and enrol_pool:
        first_day = days[0] if days else batch.activity_start
        for person in pool:
            since = first_day - dt.timedelta(days=rng.randint(0, 10))
            if active is not None:
                since = max(since, active[person.pk][0])
            batch.enrol(activity, person, since)
    created = []
    for day in days:
        if day > batch.today:
            break
        state, reason, place_override = session_state(
            rng, batch, day, cancel_rate=cancel_rate, suspended_online=suspended_online
        )
        session = Session(
            activity=activity,
            lab=batch.labs.get(lab) if lab else None,
            date=day,
            start_time=start_time,
            end_time=end_time,
            duration_minutes=minutes,
            place=place_override or place,
            state=state,
            cancel_reason=reason,
            notes=rng.choice(notes) if notes and state == Session.State.HELD else "",
        )
        batch.sessions.append(session)
        created.append(session)
        for username in operators:
            batch.operator_links.append((session, demo.users[username]))
        if state != Session.State.HELD:
            continue
        if head_count[1]:
            session.head_count = rng.randint(*head_count)
        present: list[Person] = []
        if pool:
            present += [
                p
                for p in pool
                if rng.random() < presence
                and (active is None or active[p.pk][0] <= day <= active[p.pk][1])
            ]
        if walk_in:
            candidates, low, high = walk_in
            present += rng.sample(candidates, min(len(candidates), rng.randint(low, high)))
        seen = set()
        for person in present:
            if person.pk in seen:
                continue
            seen.add(person.pk)
            hours = full_hours
            if minutes > 60 and rng.random() < 0.1:
                hours = hours_of(minutes - rng.choice([30, 60]))
            batch.attendances.append(Attendance(session=session, person=person, hours=hours))
            batch.contact(person, day)
    return created


def add_individual_sessions(
    demo: Demo,
    batch: ProjectBatch,
    activity: Activity,
    people: list[tuple[Person, dt.date, dt.date]],
    *,
    lab: str | None = None,
    place: str = "",
    operators: tuple[str, ...] = (),
    per_person: tuple[int, int] = (3, 6),
    weekdays: tuple[int, ...] = (3, 4),
    minutes: int = 60,
) -> None:
    """One-to-one meetings (tutoring, accompaniment): a few per person between the two
    dates, at free slots of the operator's agenda."""
    rng = demo.rng
    used: set[tuple[dt.date, str]] = set()
    slots = ["09:00", "10:30", "14:00", "15:30", "17:00"]
    for person, first, last in people:
        last = min(last, batch.today)
        if last < first:
            continue
        count = rng.randint(*per_person)
        span = (last - first).days
        for i in range(count):
            day = first + dt.timedelta(days=span * i // max(1, count))
            while day.weekday() not in weekdays or is_closed(day):
                day += dt.timedelta(days=1)
            slot = rng.choice(slots)
            tries = 0
            while (day, slot) in used:
                tries += 1
                slot = slots[(slots.index(slot) + 1) % len(slots)]
                if tries % len(slots) == 0:
                    day += dt.timedelta(days=7)
            if day > batch.today:
                break
            used.add((day, slot))
            start = time_of(slot)
            end_minutes = start.hour * 60 + start.minute + minutes
            end = dt.time(end_minutes // 60, end_minutes % 60)
            state, reason, place_override = session_state(
                rng, batch, day, cancel_rate=0.05, suspended_online=True
            )
            session = Session(
                activity=activity,
                lab=batch.labs.get(lab) if lab else None,
                date=day,
                start_time=start,
                end_time=end,
                duration_minutes=minutes,
                place=place_override or place,
                state=state,
                cancel_reason=reason,
            )
            batch.sessions.append(session)
            for username in operators:
                batch.operator_links.append((session, demo.users[username]))
            if state == Session.State.HELD:
                batch.attendances.append(
                    Attendance(session=session, person=person, hours=hours_of(minutes))
                )
            batch.enrol(activity, person, first)


def validate_registers(batch: ProjectBatch, until: dt.date, user) -> None:
    """The lead validated the registers of the held sessions up to a date."""
    for session in batch.sessions:
        if session.state == Session.State.HELD and session.date <= until:
            session.validated_at = at(until + dt.timedelta(days=10), 11)
            session.validated_by = user


# --------------------------------------------------------------------------------------
# Paths (ESF participants)
# --------------------------------------------------------------------------------------

PL = Path.LabourStatus


def household_facts(batch: ProjectBatch, person: Person, day: dt.date) -> dict:
    """Dependent children and single adult, read from the person's current household."""
    household = batch.household_of.get(person.pk)
    if household is None:
        return {}
    current = [m.person for m in household.demo_members if m.end is None]
    ages = [age_on(p.birth_date, day) for p in current]
    return {
        "dependent_children": any(a < 18 for a in ages),
        "single_adult_household": sum(1 for a in ages if a >= 18) == 1,
    }


def new_path(
    demo: Demo,
    batch: ProjectBatch,
    person: Person,
    axis: str,
    entry: dt.date,
    *,
    tutor=None,
    planned_hours: tuple[int, int] = (80, 160),
    incomplete: bool = False,
    declined: bool = False,
    disability_share: float = 0.08,
    other_disadvantage_share: float = 0.3,
    housing_exclusion_share: float = 0.0,
    exit_by: dt.date | None = None,
    exit_share: float = 0.6,
) -> Path:
    """An ESF participant with the entry profile frozen at entry, and for some the exit
    and the 6-month follow-up."""
    rng = demo.rng
    age = age_on(person.birth_date, entry)
    labour = rng.choices(
        [PL.UNEMPLOYED, PL.INACTIVE_OTHER, PL.EMPLOYED, PL.INACTIVE_STUDYING],
        [60, 24, 11, 5 if age >= 25 else 20],
    )[0]
    foreign = person.birth_place in {c["name"] for c in COUNTRIES.values()}
    third_country = person.citizenship not in {"IT"} | {k for k, c in COUNTRIES.items() if c["eu"]}
    facts = household_facts(batch, person, entry)
    path = Path(
        person=person,
        project=batch.project,
        axis=batch.axes[axis],
        tutor=tutor,
        entry_date=entry,
        planned_hours=D(rng.randrange(*planned_hours, 10)),
        labour_status=labour,
        unemployment_months=rng.randint(2, 40) if labour == PL.UNEMPLOYED else None,
        education_level=rng.choices([0, 1, 2, 3, 4, 6, 7], [2, 10, 44, 34, 3, 5, 2])[0],
        jobless_household=labour != PL.EMPLOYED and rng.random() < 0.65,
        dependent_children=facts.get("dependent_children", rng.random() < 0.4),
        single_adult_household=facts.get("single_adult_household", rng.random() < 0.2),
        homeless_or_housing_exclusion=rng.random() < housing_exclusion_share,
        rural_area=False,
        foreign_background=Answer.YES if foreign or person.citizenship != "IT" else Answer.NO,
        third_country_national=Answer.YES if third_country else Answer.NO,
        minority=Answer.NO,
        disability=Answer.YES if rng.random() < disability_share else Answer.NO,
        other_disadvantage=Answer.YES if rng.random() < other_disadvantage_share else Answer.NO,
    )
    path.allowance_eligible = (
        labour != PL.EMPLOYED and batch.project.programme.allowance_hourly_amount > 0
    )
    if declined:
        for name in rng.sample(
            ["foreign_background", "minority", "disability", "other_disadvantage"], 2
        ):
            setattr(path, name, Answer.DECLINED)
    if incomplete:
        gap = rng.choice(["labour", "education", "sensitive"])
        if gap == "labour":
            path.labour_status, path.unemployment_months = "", None
        elif gap == "education":
            path.education_level = None
        else:
            path.foreign_background = path.third_country_national = path.minority = ""
            path.disability = path.other_disadvantage = ""
    last_exit = exit_by or batch.today
    if rng.random() < exit_share and entry + dt.timedelta(days=60) < last_exit:
        exit_date = random_date(rng, entry + dt.timedelta(days=60), last_exit)
        reason = rng.choices(
            [
                Path.ExitReason.COMPLETED,
                Path.ExitReason.EARLY_JOB,
                Path.ExitReason.DROPPED_OUT,
                Path.ExitReason.OTHER,
            ],
            [62, 18, 15, 5],
        )[0]
        path.exit_date, path.exit_reason = exit_date, reason
        path.exit_employed = reason == Path.ExitReason.EARLY_JOB or (
            reason == Path.ExitReason.COMPLETED and rng.random() < 0.2
        )
        path.exit_job_searching = not path.exit_employed and rng.random() < 0.7
        path.exit_in_education = not path.exit_employed and rng.random() < 0.15
        path.exit_qualification = reason == Path.ExitReason.COMPLETED and rng.random() < 0.4
        followup = exit_date + dt.timedelta(days=183)
        if followup <= batch.today and rng.random() < 0.85:
            path.followup_date = followup
            path.followup_employed = rng.random() < (0.75 if path.exit_employed else 0.3)
            path.followup_improved = path.followup_employed or rng.random() < 0.25
    batch.paths.append(path)
    batch.contact(person, entry)
    return path


def path_period(path: Path, batch: ProjectBatch) -> tuple[dt.date, dt.date]:
    return path.entry_date, path.exit_date or batch.today


def path_periods(batch: ProjectBatch) -> dict[int, tuple[dt.date, dt.date]]:
    """Person pk -> (entry, exit or the demo date) of every path of the project."""
    return {p.person.pk: path_period(p, batch) for p in batch.paths}


# --------------------------------------------------------------------------------------
# Consents, arrears, case notes, residents' reports
# --------------------------------------------------------------------------------------

CP = Consent.Purpose


def add_consents(demo: Demo, batch: ProjectBatch, recorded_by) -> None:
    """Privacy notice for almost everyone the project knows (some missing, expired or
    withdrawn), ESF monitoring and sensitive data for participants, photos for some."""
    rng = demo.rng
    participants = {p.person.pk: p for p in batch.paths}
    known = dict(batch.first_contact)
    for household in batch.households:
        registered = batch.activity_start - dt.timedelta(days=rng.randint(5, 60))
        for member in household.demo_members:
            known.setdefault(member.person.pk, registered)
            batch.people_by_pk[member.person.pk] = member.person
    for pk, day in sorted(known.items()):
        person = batch.people_by_pk[pk]
        roll = rng.random()
        if roll < 0.03:
            continue  # privacy notice never signed: flagged wherever the person appears
        note = "Firmata dal genitore" if age_on(person.birth_date, day) < 18 else ""
        consent = Consent(
            person=person,
            purpose=CP.PRIVACY_NOTICE,
            signed_on=day,
            recorded_by=recorded_by,
            notes=note,
        )
        if roll < 0.05:
            consent.signed_on = day - dt.timedelta(days=700)
            consent.expires_on = day - dt.timedelta(days=30)
            consent.notes = "Informativa del precedente progetto, scaduta"
        elif roll < 0.065:
            consent.withdrawn_on = random_date(rng, day, batch.today)
            consent.notes = "Revocato su richiesta dell'interessato"
        batch.consents.append(consent)
        if pk in participants:
            path = participants[pk]
            batch.consents.append(
                Consent(
                    person=person,
                    purpose=CP.ESF_MONITORING,
                    signed_on=path.entry_date,
                    recorded_by=recorded_by,
                )
            )
            if Answer.DECLINED not in (
                path.foreign_background,
                path.disability,
                path.other_disadvantage,
                path.minority,
            ):
                batch.consents.append(
                    Consent(
                        person=person,
                        purpose=CP.SENSITIVE_DATA,
                        signed_on=path.entry_date,
                        recorded_by=recorded_by,
                    )
                )
        elif rng.random() < 0.12:
            batch.consents.append(
                Consent(
                    person=person,
                    purpose=CP.PHOTOS,
                    signed_on=day,
                    expires_on=batch.project.end_date,
                    recorded_by=recorded_by,
                )
            )


def add_arrears(
    demo: Demo,
    batch: ProjectBatch,
    households: list[Household],
    dates: list[dt.date],
    *,
    community_work_share: float = 0.0,
) -> None:
    """Rent arrears over time: most households with a repayment plan reduce their debt."""
    rng = demo.rng
    for household in households:
        amount = D(rng.randrange(400, 7500, 10))
        blameless = rng.random() < 0.4
        plan_from = rng.randrange(len(dates)) if rng.random() < 0.6 else None
        monthly_rate = D(rng.choice([50, 60, 80, 100, 120, 150]))
        work_hours = (
            D(rng.choice([10, 16, 20, 24, 30, 40])) if rng.random() < community_work_share else None
        )
        for i, day in enumerate(dates):
            on_plan = plan_from is not None and i >= plan_from
            batch.arrears.append(
                ArrearsRecord(
                    household=household,
                    recorded_on=day,
                    amount=amount.quantize(D("0.01")),
                    blameless=blameless,
                    repayment_plan=on_plan,
                    plan_monthly_amount=monthly_rate if on_plan else None,
                    community_work_hours=work_hours if on_plan else None,
                    notes="Morosità incolpevole: perdita del lavoro"
                    if blameless and i == 0
                    else "",
                )
            )
            if on_plan:
                amount = max(
                    D("0"),
                    amount
                    - monthly_rate * 3
                    - (D("0") if work_hours is None else work_hours * D("8")),
                )
            else:
                amount += D(rng.randrange(0, 900, 10))


CASE_NOTES = [
    "Colloquio presso il laboratorio: riferisce difficoltà a sostenere affitto e spese "
    "dopo la riduzione dell'orario di lavoro. Concordato appuntamento allo sportello "
    "morosità.",
    "Visita domiciliare: alloggio in condizioni discrete, presenza di muffa nella camera da "
    "letto. Inoltrata segnalazione all'ente proprietario.",
    "Firmato il piano di rientro con l'ente gestore. Da monitorare il rispetto delle rate.",
    "Il figlio minore frequenta con regolarità lo spazio compiti; la scuola conferma "
    "miglioramenti.",
    "Accetta di partecipare al percorso di orientamento al lavoro; inviata la scheda di "
    "segnalazione all'operatore accreditato.",
    "Telefonata di verifica: situazione stabile, nessuna nuova criticità.",
    "Conflitto con i vicini per rumori: proposta la mediazione, accettata da entrambe le parti.",
    "Presentata domanda di contributo regionale di solidarietà; in attesa di esito.",
    "Rinnovata la DSU: fascia ISEE invariata rispetto all'anno precedente.",
    "Persona anziana sola: attivato il servizio pasti a domicilio e la rete di vicinato.",
    "Segnalata al Centro per l'Impiego per la DID; fissato colloquio.",
]


def add_case_notes(
    demo: Demo,
    batch: ProjectBatch,
    author,
    subjects: list[Person],
    households: list[Household],
    extra_texts: list[str] = (),
) -> None:
    rng = demo.rng
    texts = CASE_NOTES + list(extra_texts)
    for person in subjects:
        for _ in range(rng.randint(1, 3)):
            batch.notes.append(
                CaseNote(
                    project=batch.project,
                    person=person,
                    household=batch.household_of.get(person.pk),
                    author=author,
                    date=random_date(rng, batch.activity_start, batch.today),
                    text=rng.choice(texts),
                )
            )
    for household in households:
        batch.notes.append(
            CaseNote(
                project=batch.project,
                household=household,
                author=author,
                date=random_date(rng, batch.activity_start, batch.today),
                text=rng.choice(texts),
            )
        )


REPORT_TEXTS = {
    ResidentReport.Category.MAINTENANCE: [
        "Infiltrazioni d'acqua dal tetto nell'ultimo piano della scala {s}.",
        "Ascensore della scala {s} fermo da tre giorni.",
        "Citofono della scala {s} guasto.",
        "Perdita dalla colonna di scarico in cantina.",
        "Portone d'ingresso della scala {s} che non si chiude.",
        "Caldaia centralizzata: termosifoni freddi in diversi alloggi.",
    ],
    ResidentReport.Category.CLEANLINESS: [
        "Rifiuti ingombranti abbandonati nel cortile.",
        "Scale della scala {s} non pulite da settimane.",
        "Presenza di topi vicino ai cassonetti.",
    ],
    ResidentReport.Category.CONFLICT: [
        "Rumori molesti notturni segnalati da più inquilini della scala {s}.",
        "Lite tra vicini per l'uso dei posti auto nel cortile.",
    ],
    ResidentReport.Category.SAFETY: [
        "Illuminazione del cortile non funzionante.",
        "Cantine aperte e frequentate da estranei.",
        "Cancello carraio rotto: il cortile resta aperto di notte.",
    ],
    ResidentReport.Category.OTHER: [
        "Richiesta di una bacheca per gli avvisi del comitato inquilini.",
    ],
}


def add_resident_reports(
    demo: Demo,
    batch: ProjectBatch,
    buildings: list[Building],
    units: dict[int, list[HousingUnit]],
    count: int,
    assigned_to,
    created_by,
) -> None:
    """Segnalazioni over the year: many solved (with dates), some still open."""
    rng = demo.rng
    categories = list(REPORT_TEXTS)
    for _ in range(count):
        building = rng.choice(buildings)
        category = rng.choices(categories, [50, 18, 14, 14, 4])[0]
        building_units = units[building.pk]
        unit = rng.choice(building_units) if rng.random() < 0.4 else None
        staircase = (
            unit.staircase if unit else rng.choice(sorted({u.staircase for u in building_units}))
        )
        opened = random_date(rng, batch.activity_start, batch.today - dt.timedelta(days=3))
        status = rng.choices(
            [
                ResidentReport.Status.SOLVED,
                ResidentReport.Status.ASSIGNED,
                ResidentReport.Status.IN_PROGRESS,
                ResidentReport.Status.OPEN,
                ResidentReport.Status.REJECTED,
            ],
            [45, 18, 15, 15, 7],
        )[0]
        solved_on = None
        if status == ResidentReport.Status.SOLVED:
            solved_on = opened + dt.timedelta(days=rng.randint(2, 90))
            if solved_on > batch.today:
                status, solved_on = ResidentReport.Status.IN_PROGRESS, None
        batch.reports.append(
            ResidentReport(
                project=batch.project,
                building=building,
                unit=unit,
                category=category,
                description=rng.choice(REPORT_TEXTS[category]).format(s=staircase or "A"),
                status=status,
                opened_on=opened,
                solved_on=solved_on,
                assigned_to=None if status == ResidentReport.Status.OPEN else assigned_to,
                created_by=created_by,
            )
        )


# --------------------------------------------------------------------------------------
# Writing a project's rows
# --------------------------------------------------------------------------------------


def save_extra_people(batch: ProjectBatch) -> None:
    """Write the people met outside the project's households, so that they have a key."""
    Person.objects.bulk_create(batch.extra_people, batch_size=500)
    for person in batch.extra_people:
        batch.people_by_pk[person.pk] = person
        batch.extra_pks.append(person.pk)
    batch.extra_people = []


def flush(batch: ProjectBatch) -> None:
    """Write everything collected for a project, parents before children."""
    save_extra_people(batch)
    Session.objects.bulk_create(batch.sessions, batch_size=500)
    through = Session.operators.through
    through.objects.bulk_create(
        [through(session=s, user=u) for s, u in batch.operator_links], batch_size=500
    )
    Attendance.objects.bulk_create(batch.attendances, batch_size=1000)
    ActivityEnrolment.objects.bulk_create(list(batch.enrolments.values()), batch_size=1000)
    Path.objects.bulk_create(batch.paths, batch_size=500)
    for path in batch.paths:  # a participant is known to the project from entry
        batch.contact(path.person, path.entry_date)
    for pk in batch.extra_pks:  # met outside the registers (e.g. on the street): registered
        if pk not in batch.first_contact:
            batch.first_contact[pk] = batch.activity_start
    Registration.objects.bulk_create(
        [
            Registration(project=batch.project, person=batch.people_by_pk[pk], registered_on=day)
            for pk, day in sorted(batch.first_contact.items())
        ],
        batch_size=1000,
    )
    Consent.objects.bulk_create(batch.consents, batch_size=1000)
    ArrearsRecord.objects.bulk_create(batch.arrears, batch_size=1000)
    CaseNote.objects.bulk_create(batch.notes, batch_size=500)
    ResidentReport.objects.bulk_create(batch.reports, batch_size=500)


def extra_person(
    demo: Demo,
    batch: ProjectBatch,
    ref: dt.date,
    local_places: list[str],
    *,
    sex: str | None = None,
    age: tuple[int, int] = (20, 70),
    foreign_share: float = 0.3,
    no_tax_code_share: float = 0.1,
) -> Person:
    """Someone the project meets who is not in one of its households."""
    rng = demo.rng
    origin = choose_origin(rng, foreign_share)
    person = new_person(
        demo,
        origin,
        sex or rng.choice("MF"),
        years_before(ref, rng.uniform(*age)),
        local_places,
        no_tax_code_share=no_tax_code_share,
    )
    batch.extra_people.append(person)
    return person


# --------------------------------------------------------------------------------------
# Project 1: Valverde (Canegrate)
# --------------------------------------------------------------------------------------

VALVERDE_BUILDINGS = [
    # key, name, address, owner code, units, staircases, per floor,
    # households, people, vacant, under works, occupied without title
    (
        "ancona",
        "Complesso di Via Ancona 5",
        "Via Ancona 5",
        "CAN-ANC05",
        48,
        ["A", "B"],
        4,
        44,
        103,
        2,
        1,
        1,
    ),
    (
        "terni",
        "Complesso di Via Terni 10",
        "Via Terni 10",
        "CAN-TER10",
        24,
        ["A"],
        4,
        21,
        49,
        2,
        1,
        0,
    ),
    (
        "bologna",
        "Palazzi di Via Bologna",
        "Via Bologna",
        "CAN-BOL",
        87,
        ["A", "B", "C", "D"],
        4,
        79,
        191,
        4,
        3,
        1,
    ),
]


def build_valverde(demo: Demo) -> ProjectBatch:
    """ "Valverde: quartiere attivo e solidale": 159 ALER Milano flats, 144 households,
    343 residents; sub-projects 1 (laboratorio sociale) and 2 (inclusione attiva)."""
    rng = demo.rng
    org = demo.organisations
    users = demo.users
    start, end = dt.date(2019, 1, 1), dt.date(2020, 12, 31)
    agreed = dt.date(2018, 12, 11)
    project = create_project(
        demo,
        programme="lombardia-quartieri-erp-2017",
        lead="canegrate",
        title="Valverde: quartiere attivo e solidale",
        short_name="Valverde",
        slug=VALVERDE_SLUG,
        cup="C19D18000240009",
        funder_reference="SiAge 1041187",
        start_date=start,
        end_date=end,
        target_households=144,
        target_people=343,
        target_participants=24,
        target_hours=2400,
        retention_until=dt.date(2028, 12, 31),
        description=(
            "Laboratorio sociale nel quartiere Valverde di Canegrate per una gestione sociale "
            "degli alloggi e una comunità di abitanti responsabili, attivi e solidali "
            "(sub-progetto 1), e percorsi di formazione e inclusione per prevenire e ridurre "
            "le difficoltà economiche degli abitanti (sub-progetto 2)."
        ),
        expected_results=(
            "Riduzione della morosità di quartiere; riduzione del disagio abitativo; "
            "miglioramento delle condizioni degli stabili e della qualità dell'abitare; "
            "costruzione di una comunità di abitanti e di reti di sostegno; reti, metodi e "
            "strutture che garantiscano continuità anche dopo il progetto."
        ),
        axes=[
            ("SP1", "Laboratorio sociale", "9.4.2", D("119640.70"), 0, 1500),
            ("SP2", "Inclusione attiva", "9.1.3", D("109385.45"), 24, 900),
        ],
        partners=[
            (
                "canegrate",
                Partnership.Role.LEAD,
                D("21500.00"),
                agreed,
                "Capofila: governance e coordinamento, personale del Servizio Sociale.",
            ),
            (
                "aler_milano",
                Partnership.Role.PARTNER,
                D("15000.00"),
                agreed,
                "Ente proprietario dei 159 alloggi ERP del quartiere.",
            ),
            (
                "eurolavoro",
                Partnership.Role.PARTNER,
                D("95385.45"),
                agreed,
                "Operatore accreditato: percorsi di accompagnamento al lavoro e work experience.",
            ),
            (
                "elaborando",
                Partnership.Role.PARTNER,
                D("45070.35"),
                agreed,
                "Animazione sociale, spazio compiti, eventi di quartiere.",
            ),
            (
                "la_cordata",
                Partnership.Role.PARTNER,
                D("52070.35"),
                agreed,
                "Sportello di ascolto, autogestione, mediazione dei conflitti.",
            ),
        ],
        periods=semesters(start, end),
    )
    first_period = project.periods.order_by("start_date").first()
    first_period.closed_at = at(dt.date(2019, 7, 15), 10)
    first_period.closed_by = users["lead.valverde"]
    first_period.save()
    canegrate = demo.municipalities["Canegrate"]
    canegrate.projects.add(project)
    batch = ProjectBatch(
        project=project, today=dt.date(2019, 12, 20), activity_start=dt.date(2019, 1, 14)
    )
    batch.axes = {a.code: a for a in project.axes.all()}

    neighbourhood = Neighbourhood.objects.create(
        municipality=canegrate,
        name="Valverde",
        description="Quartiere periferico di Canegrate con 159 alloggi ERP di ALER Milano "
        "in tre complessi: Via Ancona 5, Via Terni 10 e i palazzi di Via Bologna.",
    )
    neighbourhood.projects.add(project)
    lab = Lab.objects.create(
        project=project,
        name="Laboratorio sociale Valverde",
        address="Via Ancona 5 (locale al piano terra), Canegrate",
        municipality=canegrate,
        neighbourhood=neighbourhood,
        opening_hours="Lunedì 9:30-12:30 sportello di ascolto; mercoledì 15:00-17:30 spazio "
        "compiti; giovedì 17:30-19:30 su appuntamento",
    )
    lab.operators.add(users["partner.valverde"], users["social.valverde"])
    batch.labs["lab"] = lab

    local = ["Legnano", "Canegrate", "Milano", "Parabiago"]
    ref = dt.date(2019, 1, 1)
    all_households = []
    buildings, units_of = [], {}
    for (
        key,
        name,
        address,
        code,
        n_units,
        stairs,
        per_floor,
        households,
        people,
        vacant,
        works,
        no_title,
    ) in VALVERDE_BUILDINGS:
        building = Building.objects.create(
            neighbourhood=neighbourhood,
            name=name,
            address=address,
            owner=org["aler_milano"],
            owner_code=code,
            declared_units=n_units,
        )
        units = build_units(building, n_units, stairs, per_floor, rng)
        all_households += populate_building(
            demo,
            batch,
            building,
            units,
            households,
            people,
            code_prefix=f"VAL-{key[:3]}",
            ref=ref,
            local_places=local,
            foreign_share=0.3,
            vacant=vacant,
            under_works=works,
            no_title=no_title,
            moved_out_children=4,
        )
        buildings.append(building)
        units_of[building.pk] = units
    save_households(demo, batch, all_households)

    # Activities ------------------------------------------------------------------------
    year_end = batch.today
    residents = batch.residents
    grown_ups = adults(residents, ref)
    children = adults(residents, ref, 6, 14)
    cordata, elaborando, euro = org["la_cordata"], org["elaborando"], org["eurolavoro"]
    desk = new_activity(
        batch,
        "SP1",
        cordata,
        Activity.Kind.LISTENING_DESK,
        "Sportello di ascolto e raccolta segnalazioni",
        135,
        lab="lab",
        description="Ascolto degli abitanti, orientamento ai servizi, raccolta "
        "delle segnalazioni per ALER e Comune.",
    )
    add_sessions(
        demo,
        batch,
        desk,
        weekly(batch.activity_start, year_end, 0),
        "09:30",
        "12:30",
        lab="lab",
        operators=("partner.valverde",),
        walk_in=(grown_ups, 1, 5),
        head_count=(0, 2),
    )
    committee = rng.sample(grown_ups, 9)
    autogestione = new_activity(
        batch,
        "SP1",
        cordata,
        Activity.Kind.SELF_MANAGEMENT,
        "Accompagnamento all'autogestione dei servizi comuni",
        24,
        lab="lab",
        description="Comitato inquilini: pulizie, verde, regolamento.",
    )
    add_sessions(
        demo,
        batch,
        autogestione,
        monthly(batch.activity_start, year_end, 3, 1),
        "18:00",
        "20:00",
        lab="lab",
        operators=("partner.valverde",),
        pool=committee,
        presence=0.75,
        notes=[
            "Verbale: turni di pulizia delle scale.",
            "Verbale: preventivo per la cura del verde.",
            "Verbale: regolamento d'uso della sala comune.",
        ],
    )
    mediation_pool = rng.sample([p for p in grown_ups if p not in committee], 8)
    mediation = new_activity(
        batch,
        "SP1",
        cordata,
        Activity.Kind.MEDIATION,
        "Mediazione dei conflitti di vicinato",
        20,
        lab="lab",
    )
    add_sessions(
        demo,
        batch,
        mediation,
        weekly(dt.date(2019, 2, 7), year_end, 3, every=4),
        "17:30",
        "19:00",
        lab="lab",
        operators=("partner.valverde",),
        walk_in=(mediation_pool, 2, 4),
        cancel_rate=0.08,
    )
    for person in mediation_pool:
        batch.enrol(mediation, person, dt.date(2019, 2, 1))
    homework = new_activity(
        batch,
        "SP1",
        elaborando,
        Activity.Kind.WORKSHOP,
        "Spazio compiti e laboratori per ragazzi",
        150,
        lab="lab",
    )
    school_days = weekly(dt.date(2019, 1, 16), dt.date(2019, 6, 5), 2) + weekly(
        dt.date(2019, 9, 18), year_end, 2
    )
    add_sessions(
        demo,
        batch,
        homework,
        school_days,
        "15:00",
        "17:30",
        lab="lab",
        pool=rng.sample(children, min(14, len(children))),
        presence=0.7,
    )
    events = new_activity(
        batch,
        "SP1",
        elaborando,
        Activity.Kind.COMMUNITY_EVENT,
        "Feste di cortile ed eventi di quartiere",
        30,
        is_open_event=True,
    )
    event_days = [
        dt.date(2019, 4, 13),
        dt.date(2019, 5, 4),
        dt.date(2019, 6, 15),
        dt.date(2019, 9, 21),
        dt.date(2019, 12, 14),
    ]
    event_sessions = add_sessions(
        demo,
        batch,
        events,
        event_days,
        "15:00",
        "19:00",
        place="Cortili di Via Bologna",
        walk_in=(committee, 3, 6),
        head_count=(40, 120),
        cancel_rate=0.0,
        notes=[
            "Festa con merenda condivisa e giochi per bambini.",
            "Giornata di pulizia dei cortili con gli abitanti.",
        ],
    )
    spring = event_sessions[0]
    spring.state, spring.cancel_reason, spring.head_count = (
        Session.State.CANCELLED,
        "Maltempo: festa rinviata al 4 maggio",
        0,
    )
    batch.attendances = [a for a in batch.attendances if a.session is not spring]
    gardens = new_activity(
        batch, "SP1", elaborando, Activity.Kind.WORKSHOP, "Orti condivisi e cura del verde", 40
    )
    add_sessions(
        demo,
        batch,
        gardens,
        weekly(dt.date(2019, 3, 16), dt.date(2019, 10, 26), 5, every=2),
        "09:30",
        "12:00",
        place="Orti di Via Terni",
        pool=rng.sample(adults(residents, ref, 40), 10),
        presence=0.7,
    )
    arrears_households = rng.sample(batch.households, 34)
    debtors = [
        m.person for h in arrears_households for m in h.demo_members if m.relation == R.REFERENCE
    ]
    aler_desk = new_activity(
        batch,
        "SP1",
        org["aler_milano"],
        Activity.Kind.HOUSING_DESK,
        "Sportello ALER: morosità, piani di rientro e manutenzioni",
        36,
        lab="lab",
    )
    add_sessions(
        demo,
        batch,
        aler_desk,
        monthly(batch.activity_start, year_end, 1, -1),
        "09:30",
        "12:30",
        lab="lab",
        walk_in=(debtors, 2, 5),
    )
    governance = new_activity(
        batch,
        "SP1",
        org["canegrate"],
        Activity.Kind.NETWORK_MEETING,
        "Cabina di regia del partenariato",
        22,
    )
    add_sessions(
        demo,
        batch,
        governance,
        monthly(batch.activity_start, year_end, 1, 0),
        "10:00",
        "12:00",
        place="Municipio di Canegrate, sala riunioni",
        operators=("lead.valverde", "social.valverde"),
        head_count=(6, 9),
        notes=["Presenti Comune, ALER Milano, Eurolavoro, Elaborando e La Cordata."],
    )

    # Sub-project 2: paths, courses, work experience -----------------------------------
    candidates = adults(residents, ref, 19, 62)
    rng.shuffle(candidates)
    participants = candidates[:24]
    tutor = users["tutor.valverde"]
    for i, person in enumerate(participants):
        entry = (
            random_date(rng, dt.date(2019, 2, 4), dt.date(2019, 3, 29))
            if i < 14
            else random_date(rng, dt.date(2019, 9, 2), dt.date(2019, 10, 15))
        )
        new_path(
            demo,
            batch,
            person,
            "SP2",
            entry,
            tutor=tutor,
            incomplete=i in (5, 17),
            declined=i in (3, 20),
            exit_share=0.85 if i < 14 else 0.0,
        )
    orientation = new_activity(
        batch,
        "SP2",
        euro,
        Activity.Kind.TUTORING,
        "Orientamento e tutoraggio individuale",
        160,
        lab="lab",
    )
    add_individual_sessions(
        demo,
        batch,
        orientation,
        [(p.person, *path_period(p, batch)) for p in batch.paths],
        lab="lab",
        operators=("tutor.valverde",),
    )
    digital = new_activity(
        batch,
        "SP2",
        euro,
        Activity.Kind.COURSE,
        "Corso di competenze digitali di base per il lavoro",
        30,
        lab="lab",
    )
    course_days = sorted(
        weekly(dt.date(2019, 4, 2), dt.date(2019, 5, 2), 1)
        + weekly(dt.date(2019, 4, 4), dt.date(2019, 5, 2), 3)
    )[:10]
    add_sessions(
        demo,
        batch,
        digital,
        course_days,
        "09:00",
        "12:00",
        lab="lab",
        operators=("tutor.valverde",),
        pool=[p.person for p in batch.paths[:11]],
        presence=0.85,
        active=path_periods(batch),
    )
    cleaning = new_activity(
        batch,
        "SP2",
        euro,
        Activity.Kind.COURSE,
        "Corso addetto alle pulizie e sanificazione (HACCP di base)",
        32,
        lab="lab",
    )
    cleaning_days = sorted(
        weekly(dt.date(2019, 10, 21), dt.date(2019, 11, 20), 0)
        + weekly(dt.date(2019, 10, 21), dt.date(2019, 11, 20), 2)
    )[:8]
    add_sessions(
        demo,
        batch,
        cleaning,
        cleaning_days,
        "14:00",
        "18:00",
        lab="lab",
        operators=("tutor.valverde",),
        pool=[p.person for p in batch.paths[14:23]],
        presence=0.85,
        active=path_periods(batch),
    )
    work = new_activity(
        batch,
        "SP2",
        euro,
        Activity.Kind.WORK_EXPERIENCE,
        "Work experience retribuite presso aziende del territorio",
        300,
        description="Esperienze di lavoro con indennità di partecipazione.",
    )
    add_sessions(
        demo,
        batch,
        work,
        weekly(dt.date(2019, 5, 17), dt.date(2019, 7, 26), 4)
        + weekly(dt.date(2019, 9, 13), dt.date(2019, 11, 29), 4),
        "08:30",
        "12:30",
        place="Aziende ospitanti (Legnano, Parabiago)",
        pool=[p.person for p in batch.paths[:6]],
        presence=0.9,
        active=path_periods(batch),
    )
    validate_registers(batch, dt.date(2019, 6, 30), users["lead.valverde"])

    # Arrears, notes, reports, consents ------------------------------------------------
    add_arrears(
        demo,
        batch,
        arrears_households,
        [dt.date(2019, 1, 31), dt.date(2019, 4, 30), dt.date(2019, 7, 31), dt.date(2019, 10, 31)],
    )
    add_case_notes(
        demo,
        batch,
        users["social.valverde"],
        rng.sample(grown_ups, 30) + [p.person for p in batch.paths[:8]],
        rng.sample(arrears_households, 12),
    )
    add_resident_reports(
        demo, batch, buildings, units_of, 28, org["aler_milano"], users["partner.valverde"]
    )
    add_consents(demo, batch, users["social.valverde"])
    flush(batch)
    return batch


# --------------------------------------------------------------------------------------
# Project 2: Trezzano sul Naviglio, quartiere Pirandello / Fermi
# --------------------------------------------------------------------------------------


def build_trezzano(demo: Demo) -> ProjectBatch:
    """133 households (300 people) in the Comune's ERP flats at social rent; four axes;
    a "patto territoriale" with network members that are not funded partners."""
    rng = demo.rng
    org = demo.organisations
    users = demo.users
    start, end = dt.date(2019, 1, 1), dt.date(2021, 3, 31)
    agreed = dt.date(2018, 12, 18)
    network_note = "Aderente al patto territoriale sottoscritto dai partner (non finanziato)."
    project = create_project(
        demo,
        programme="lombardia-quartieri-erp-2017",
        lead="trezzano",
        title="Laboratorio di quartiere Pirandello-Fermi",
        short_name="Trezzano Pirandello-Fermi",
        slug=TREZZANO_SLUG,
        cup="J29D18000310009",
        funder_reference="SiAge 1040562",
        start_date=start,
        end_date=end,
        target_households=133,
        target_people=300,
        target_participants=30,
        target_hours=2600,
        retention_until=dt.date(2028, 12, 31),
        status=Project.Status.EXTENDED,
        description=(
            "Migliorare la qualità della vita degli abitanti del quartiere di via Pirandello e "
            "via Fermi riducendo il disagio socio-economico, con la comunità come soggetto del "
            "cambiamento. Progetto integrato su quattro assi tematici, durata indicativa di due "
            "anni (prorogato)."
        ),
        expected_results=(
            "Collaborazione stabile tra soggetti formali e informali; reti di lavoro miste di "
            "operatori, associazioni e cittadini; nuove forme di presa in carico integrata con "
            "il Servizio Sociale; risposte innovative alla morosità incolpevole; partecipazione "
            "e autogestione del laboratorio di quartiere."
        ),
        axes=[
            (
                "AS",
                "Azione di sistema: fare comunità / costruire reti",
                "9.4.2",
                D("30000.00"),
                0,
                300,
            ),
            ("AD", "Asse disagio", "9.4.2", D("48500.00"), 0, 700),
            ("ACI", "Asse convivenza e integrazione", "9.4.2", D("41450.00"), 0, 600),
            ("AFL", "Asse formazione e lavoro", "9.1.3", D("109800.00"), 30, 1000),
        ],
        partners=[
            (
                "trezzano",
                Partnership.Role.LEAD,
                D("22000.00"),
                agreed,
                "Capofila; proprietario degli alloggi ERP del quartiere.",
            ),
            (
                "ripari",
                Partnership.Role.PARTNER,
                D("58000.00"),
                agreed,
                "Spazio di ascolto e orientamento, tutor di quartiere.",
            ),
            (
                "lule",
                Partnership.Role.PARTNER,
                D("39950.00"),
                agreed,
                "Convivenza e integrazione: eventi, corsi, sensibilizzazione.",
            ),
            (
                "afol_metropolitana",
                Partnership.Role.PARTNER,
                D("109800.00"),
                agreed,
                "Operatore accreditato (ex AFOL Sud Milano, sede di Corsico): formazione e lavoro.",
            ),
            (
                "comitato_mezzetta",
                Partnership.Role.NETWORK,
                D("0.00"),
                dt.date(2019, 3, 12),
                network_note,
            ),
            (
                "forum_cooperazione",
                Partnership.Role.NETWORK,
                D("0.00"),
                dt.date(2019, 3, 12),
                network_note,
            ),
            (
                "new_san_lorenzo",
                Partnership.Role.NETWORK,
                D("0.00"),
                dt.date(2019, 3, 12),
                network_note,
            ),
            (
                "parrocchia_san_lorenzo",
                Partnership.Role.NETWORK,
                D("0.00"),
                dt.date(2019, 3, 12),
                network_note,
            ),
        ],
        periods=semesters(start, end),
    )
    town = demo.municipalities["Trezzano sul Naviglio"]
    town.projects.add(project)
    batch = ProjectBatch(
        project=project, today=dt.date(2019, 12, 19), activity_start=dt.date(2019, 2, 4)
    )
    batch.axes = {a.code: a for a in project.axes.all()}
    neighbourhood = Neighbourhood.objects.create(
        municipality=town,
        name="Pirandello-Fermi",
        description="Quartiere di edilizia pubblica comunale tra via Pirandello e via Fermi.",
    )
    neighbourhood.projects.add(project)
    lab = Lab.objects.create(
        project=project,
        name="Laboratorio di quartiere Pirandello-Fermi",
        address="Via Pirandello (spazio al piano terra), Trezzano sul Naviglio",
        municipality=town,
        neighbourhood=neighbourhood,
        opening_hours="Martedì 9:30-12:30 e giovedì 15:00-18:00 spazio di ascolto",
    )
    lab.operators.add(users["partner.trezzano"], users["social.trezzano"])
    batch.labs["lab"] = lab

    local = ["Milano", "Trezzano sul Naviglio", "Corsico"]
    ref = dt.date(2019, 1, 1)
    specs = [
        (
            "pir",
            "Case comunali di Via Pirandello",
            "Via Pirandello",
            "TRZ-PIR",
            82,
            ["A", "B", "C"],
            5,
            76,
            172,
            3,
            2,
            1,
        ),
        (
            "fer",
            "Case comunali di Via Fermi",
            "Via Fermi",
            "TRZ-FER",
            60,
            ["A", "B"],
            5,
            57,
            128,
            2,
            1,
            0,
        ),
    ]
    all_households, buildings, units_of = [], [], {}
    for (
        key,
        name,
        address,
        code,
        n_units,
        stairs,
        per_floor,
        households,
        people,
        vacant,
        works,
        no_title,
    ) in specs:
        building = Building.objects.create(
            neighbourhood=neighbourhood,
            name=name,
            address=address,
            owner=org["trezzano"],
            owner_code=code,
            declared_units=n_units,
        )
        units = build_units(building, n_units, stairs, per_floor, rng)
        all_households += populate_building(
            demo,
            batch,
            building,
            units,
            households,
            people,
            code_prefix=f"TRZ-{key}",
            ref=ref,
            local_places=local,
            foreign_share=0.38,
            vacant=vacant,
            under_works=works,
            no_title=no_title,
            moved_out_children=3,
        )
        buildings.append(building)
        units_of[building.pk] = units
    save_households(demo, batch, all_households)

    year_end = batch.today
    residents = batch.residents
    grown_ups = adults(residents, ref)
    neighbours = [extra_person(demo, batch, ref, local) for _ in range(25)]
    save_extra_people(batch)
    ripari, lule, afol = org["ripari"], org["lule"], org["afol_metropolitana"]

    pact = new_activity(
        batch,
        "AS",
        org["trezzano"],
        Activity.Kind.NETWORK_MEETING,
        "Tavolo del patto territoriale",
        24,
    )
    add_sessions(
        demo,
        batch,
        pact,
        monthly(batch.activity_start, year_end, 2, 1),
        "17:00",
        "19:00",
        lab="lab",
        operators=("lead.trezzano",),
        head_count=(8, 14),
        notes=[
            "Presenti Comitato Mezzetta, Forum Cooperazione e Tecnologia, ASD New "
            "San Lorenzo, Parrocchia S. Lorenzo e i partner."
        ],
    )
    assemblies = new_activity(
        batch,
        "AS",
        ripari,
        Activity.Kind.COMMUNITY_EVENT,
        "Assemblee di quartiere",
        12,
        is_open_event=True,
        lab="lab",
    )
    add_sessions(
        demo,
        batch,
        assemblies,
        [dt.date(2019, 3, 21), dt.date(2019, 6, 20), dt.date(2019, 10, 17), dt.date(2019, 12, 12)],
        "18:00",
        "20:00",
        lab="lab",
        walk_in=(grown_ups, 6, 12),
        head_count=(15, 40),
        operators=("partner.trezzano",),
        cancel_rate=0.0,
    )
    listening = new_activity(
        batch,
        "AD",
        ripari,
        Activity.Kind.LISTENING_DESK,
        "Spazio di ascolto e orientamento",
        260,
        lab="lab",
    )
    add_sessions(
        demo,
        batch,
        listening,
        weekly(batch.activity_start, year_end, 1),
        "09:30",
        "12:30",
        lab="lab",
        operators=("partner.trezzano",),
        walk_in=(grown_ups, 1, 5),
        head_count=(0, 2),
    )
    add_sessions(
        demo,
        batch,
        listening,
        weekly(batch.activity_start, year_end, 3),
        "15:00",
        "18:00",
        lab="lab",
        operators=("partner.trezzano",),
        walk_in=(grown_ups + neighbours[:5], 1, 4),
        head_count=(0, 1),
    )
    followed = rng.sample(grown_ups, 22)
    tutor_activity = new_activity(
        batch,
        "AD",
        ripari,
        Activity.Kind.TUTORING,
        "Tutor di quartiere: accompagnamento individuale",
        120,
        lab="lab",
    )
    add_individual_sessions(
        demo,
        batch,
        tutor_activity,
        [
            (p, random_date(rng, dt.date(2019, 2, 11), dt.date(2019, 9, 30)), year_end)
            for p in followed
        ],
        lab="lab",
        operators=("partner.trezzano",),
        per_person=(2, 6),
        weekdays=(0, 2, 4),
    )
    festivals = new_activity(
        batch,
        "ACI",
        lule,
        Activity.Kind.COMMUNITY_EVENT,
        "Eventi e feste di quartiere",
        40,
        is_open_event=True,
        description="Co-costruiti con gli abitanti; torneo di calcio con l'ASD New San Lorenzo.",
    )
    add_sessions(
        demo,
        batch,
        festivals,
        [dt.date(2019, 5, 25), dt.date(2019, 6, 8), dt.date(2019, 9, 28), dt.date(2019, 12, 14)],
        "15:00",
        "19:00",
        place="Cortile di via Fermi",
        head_count=(50, 150),
        walk_in=(grown_ups + neighbours, 2, 6),
        cancel_rate=0.0,
        notes=[
            "Torneo di calcio di quartiere con l'ASD New San Lorenzo.",
            "Festa di quartiere con cena condivisa.",
        ],
    )
    foreign_women = [
        p
        for p in grown_ups
        if p.sex == "F" and p.citizenship != "IT" and age_on(p.birth_date, ref) < 65
    ]
    italian = new_activity(
        batch, "ACI", lule, Activity.Kind.COURSE, "Corso di italiano per donne", 120, lab="lab"
    )
    add_sessions(
        demo,
        batch,
        italian,
        weekly(dt.date(2019, 2, 6), dt.date(2019, 5, 29), 2)
        + weekly(dt.date(2019, 10, 2), year_end, 2),
        "09:30",
        "11:30",
        lab="lab",
        pool=foreign_women[:12],
        presence=0.75,
    )
    info = new_activity(
        batch,
        "ACI",
        lule,
        Activity.Kind.WORKSHOP,
        "Incontri di informazione e sensibilizzazione",
        20,
        lab="lab",
    )
    add_sessions(
        demo,
        batch,
        info,
        monthly(dt.date(2019, 3, 1), year_end, 3, 2),
        "18:00",
        "19:30",
        lab="lab",
        walk_in=(grown_ups, 4, 12),
        head_count=(0, 6),
        notes=[
            "Raccolta differenziata e cura degli spazi comuni.",
            "Come usare i servizi socio-sanitari del territorio.",
            "Sicurezza domestica e prevenzione delle truffe agli anziani.",
        ],
    )

    candidates = [p for p in adults(residents, ref, 19, 60) if p not in followed[:10]]
    rng.shuffle(candidates)
    participants = followed[:6] + candidates[:24]
    tutor = users["tutor.afol"]
    for i, person in enumerate(participants):
        entry = (
            random_date(rng, dt.date(2019, 3, 4), dt.date(2019, 4, 30))
            if i < 18
            else random_date(rng, dt.date(2019, 9, 9), dt.date(2019, 10, 31))
        )
        new_path(
            demo,
            batch,
            person,
            "AFL",
            entry,
            tutor=tutor,
            incomplete=i in (2, 11, 25),
            declined=i in (7, 19),
            other_disadvantage_share=0.35,
            exit_share=0.8 if i < 18 else 0.0,
        )
    skills = new_activity(
        batch,
        "AFL",
        afol,
        Activity.Kind.TUTORING,
        "Bilancio di competenze e orientamento al lavoro",
        150,
        lab="lab",
    )
    add_individual_sessions(
        demo,
        batch,
        skills,
        [(p.person, *path_period(p, batch)) for p in batch.paths],
        lab="lab",
        operators=("tutor.afol",),
        weekdays=(1, 3),
    )
    logistics = new_activity(
        batch, "AFL", afol, Activity.Kind.COURSE, "Percorso formativo: magazzino e logistica", 48
    )
    add_sessions(
        demo,
        batch,
        logistics,
        sorted(
            weekly(dt.date(2019, 5, 6), dt.date(2019, 6, 14), 0)
            + weekly(dt.date(2019, 5, 6), dt.date(2019, 6, 14), 3)
        )[:12],
        "09:00",
        "13:00",
        place="AFOL Metropolitana, sede di Corsico",
        operators=("tutor.afol",),
        pool=[p.person for p in batch.paths[:14]],
        presence=0.85,
        active=path_periods(batch),
    )
    internship = new_activity(
        batch,
        "AFL",
        afol,
        Activity.Kind.WORK_EXPERIENCE,
        "Tirocini e attività di restituzione alla comunità",
        400,
    )
    add_sessions(
        demo,
        batch,
        internship,
        weekly(dt.date(2019, 6, 21), dt.date(2019, 7, 26), 4)
        + weekly(dt.date(2019, 9, 6), dt.date(2019, 12, 6), 4),
        "08:30",
        "12:30",
        place="Aziende ospitanti e spazi comuni del quartiere",
        pool=[p.person for p in batch.paths[:8]],
        presence=0.9,
        active=path_periods(batch),
    )

    # a person met at an event without codice fiscale, later registered with it: linked
    original = followed[0]
    duplicate = Person(
        first_name=original.first_name,
        last_name=original.last_name,
        birth_date=original.birth_date,
        sex=original.sex,
        citizenship=original.citizenship,
        tax_code=None,
    )
    batch.extra_people.append(duplicate)
    save_extra_people(batch)
    batch.contact(duplicate, dt.date(2019, 5, 25))

    arrears_households = rng.sample(batch.households, 28)
    add_arrears(
        demo,
        batch,
        arrears_households,
        [dt.date(2019, 3, 31), dt.date(2019, 6, 30), dt.date(2019, 9, 30), dt.date(2019, 12, 15)],
    )
    add_case_notes(
        demo,
        batch,
        users["social.trezzano"],
        followed + participants[:6],
        rng.sample(arrears_households, 10),
    )
    add_resident_reports(
        demo, batch, buildings, units_of, 22, org["trezzano"], users["partner.trezzano"]
    )
    add_consents(demo, batch, users["social.trezzano"])
    flush(batch)
    PersonLink.objects.create(
        person=duplicate,
        same_as=original,
        linked_by=users["social.trezzano"],
        note="Stessa persona: registrata alla festa senza codice fiscale.",
    )
    return batch


# --------------------------------------------------------------------------------------
# Project 3: Facciamo squadra contro la povertà (Adda Martesana)
# --------------------------------------------------------------------------------------


def build_adda_martesana(demo: Demo) -> ProjectBatch:
    """28 municipalities in 4 districts, lead Melzo; traineeships and work grants for
    vulnerable people, with a focus on mental health and women."""
    rng = demo.rng
    org = demo.organisations
    users = demo.users
    start, end = dt.date(2020, 9, 1), dt.date(2021, 12, 31)
    agreed = dt.date(2020, 7, 30)
    district_note = {
        "arti_mestieri": "Rete: raccordo territoriale per il Distretto 3.",
        "mariposa": "Rete: Distretto 8 e azioni per le donne vulnerabili.",
        "cgil": "Rete: trasversale, con i CAF territoriali.",
        "somaschi": "Rete: Distretti 4 e 5.",
        "punto_incontro": "Rete: Distretti 4 e 5.",
    }
    project = create_project(
        demo,
        programme="lombardia-inclusione-vulnerabili-2020",
        lead="melzo",
        title="Facciamo squadra contro la povertà",
        short_name="Adda Martesana",
        slug=ADDA_SLUG,
        cup="B69D20000480009",
        funder_reference="SiAge 2287716",
        start_date=start,
        end_date=end,
        target_people=120,
        target_participants=50,
        target_hours=3000,
        retention_until=dt.date(2028, 12, 31),
        description=(
            "Promuovere nei cittadini vulnerabili dei 28 Comuni dell'ambito Adda Martesana "
            "competenze di gestione responsabile del proprio percorso, attraverso esperienze "
            "formative e inserimento lavorativo (borse lavoro, tirocini), con attenzione a "
            "persone con problematiche psichiche e donne vulnerabili."
        ),
        expected_results=(
            "Valutazione multidimensionale integrata tra Distretti e ASST; percorsi che non "
            "cronicizzino la fragilità; rete con le imprese e banca dati delle aziende; "
            "protocolli territoriali comuni."
        ),
        axes=[
            ("GOV", "Azioni di sistema e governance", "", D("62000.00"), 0, 400),
            ("PER", "Percorsi di inclusione socio-lavorativa", "9.2.2", D("296000.00"), 50, 2400),
            ("IMP", "Rete con le imprese", "", D("40000.00"), 0, 200),
        ],
        partners=[
            (
                "melzo",
                Partnership.Role.LEAD,
                D("58000.00"),
                agreed,
                "Capofila attraverso l'Ufficio di Piano del Distretto 5: cabina di regia.",
            ),
            (
                "asst_melegnano",
                Partnership.Role.PARTNER,
                D("40000.00"),
                agreed,
                "Équipe multidisciplinari integrate; raccordo con CPS, SERT, NOA, UOMPIA.",
            ),
            (
                "afol_metropolitana",
                Partnership.Role.PARTNER,
                D("130000.00"),
                agreed,
                "Bilancio di competenze, orientamento, incrocio domanda-offerta.",
            ),
            (
                "offertasociale",
                Partnership.Role.PARTNER,
                D("85000.00"),
                agreed,
                "Servizio Inserimenti Lavorativi: tirocini di inclusione.",
            ),
            (
                "csl",
                Partnership.Role.PARTNER,
                D("85000.00"),
                agreed,
                "Borse lavoro e accompagnamento delle donne vulnerabili.",
            ),
        ]
        + [
            (key, Partnership.Role.NETWORK, D("0.00"), agreed, note)
            for key, note in district_note.items()
        ],
        periods=semesters(start, end),
    )
    adda = [
        demo.municipalities[name]
        for name, _, _, district in MUNICIPALITIES
        if district in ADDA_DISTRICTS
    ]
    project.municipalities.add(*adda)
    batch = ProjectBatch(
        project=project, today=dt.date(2021, 9, 30), activity_start=dt.date(2020, 10, 5)
    )
    batch.suspensions = [
        (
            dt.date(2020, 11, 6),
            dt.date(2020, 11, 28),
            "Zona rossa: attività in presenza sospese (DPCM 3 novembre 2020)",
        ),
        (dt.date(2021, 3, 15), dt.date(2021, 4, 11), "Zona rossa: attività in presenza sospese"),
    ]
    batch.axes = {a.code: a for a in project.axes.all()}

    local = [m.name for m in adda]
    ref = dt.date(2020, 9, 1)
    people = []
    for i in range(52):
        sex = "F" if i % 5 < 3 else "M"
        people.append(
            extra_person(
                demo,
                batch,
                ref,
                local,
                sex=sex,
                age=(19, 60),
                foreign_share=0.3,
                no_tax_code_share=0.05,
            )
        )
    save_extra_people(batch)
    tutor = users["tutor.afol"]
    for i, person in enumerate(people):
        entry = random_date(rng, dt.date(2020, 10, 5), dt.date(2021, 4, 30))
        new_path(
            demo,
            batch,
            person,
            "PER",
            entry,
            tutor=tutor,
            incomplete=i in (4, 19, 33, 47),
            declined=i in (8, 27, 40),
            disability_share=0.3,
            other_disadvantage_share=0.6,
            housing_exclusion_share=0.1,
            exit_share=0.7,
        )
    paths = batch.paths
    women = [p.person for p in paths if p.person.sex == "F"]
    afol, sil, csl = org["afol_metropolitana"], org["offertasociale"], org["csl"]
    year_end = batch.today
    cabina = new_activity(
        batch,
        "GOV",
        org["melzo"],
        Activity.Kind.NETWORK_MEETING,
        "Cabina di regia territoriale",
        12,
        description="Comitato Promotore della Comunità generativa: 4 "
        "Distretti, ATS, Forum Terzo Settore, CIESSEVI.",
    )
    add_sessions(
        demo,
        batch,
        cabina,
        [dt.date(2020, 10, 14), dt.date(2021, 1, 20), dt.date(2021, 5, 12), dt.date(2021, 9, 22)],
        "10:00",
        "12:30",
        place="Melzo, Ufficio di Piano",
        head_count=(9, 14),
        operators=("lead.martesana",),
        suspended_online=True,
        cancel_rate=0.0,
    )
    coordination = new_activity(
        batch,
        "GOV",
        org["melzo"],
        Activity.Kind.NETWORK_MEETING,
        "Coordinamento gestionale e organizzativo",
        24,
    )
    add_sessions(
        demo,
        batch,
        coordination,
        monthly(batch.activity_start, year_end, 2, 1),
        "14:30",
        "16:30",
        place="Melzo, Ufficio di Piano",
        head_count=(7, 11),
        operators=("lead.martesana",),
        suspended_online=True,
    )
    equipe = new_activity(
        batch,
        "GOV",
        org["asst_melegnano"],
        Activity.Kind.NETWORK_MEETING,
        "Équipe multidisciplinari integrate",
        60,
        description="Referenti di distretto, comune, ASST e servizi di "
        "inserimento lavorativo per i progetti personalizzati.",
    )
    add_sessions(
        demo,
        batch,
        equipe,
        weekly(batch.activity_start, year_end, 3, every=2),
        "09:30",
        "12:00",
        place="Sedi distrettuali a rotazione",
        head_count=(4, 7),
        operators=("social.martesana",),
        suspended_online=True,
    )
    skills = new_activity(
        batch, "PER", afol, Activity.Kind.TUTORING, "Bilancio di competenze e orientamento", 200
    )
    add_individual_sessions(
        demo,
        batch,
        skills,
        [(p.person, *path_period(p, batch)) for p in paths],
        place="AFOL Metropolitana, sportello di Melzo",
        operators=("tutor.afol",),
        weekdays=(0, 2),
    )
    traineeships = new_activity(
        batch, "PER", sil, Activity.Kind.WORK_EXPERIENCE, "Tirocini di inclusione (SIL)", 900
    )
    add_sessions(
        demo,
        batch,
        traineeships,
        weekly(dt.date(2021, 1, 11), year_end, 1),
        "08:30",
        "12:30",
        place="Aziende ospitanti del territorio",
        pool=[p.person for p in paths[:14]],
        presence=0.85,
        cancel_rate=0.02,
        active=path_periods(batch),
    )
    grants = new_activity(batch, "PER", csl, Activity.Kind.WORK_EXPERIENCE, "Borse lavoro", 700)
    add_sessions(
        demo,
        batch,
        grants,
        weekly(dt.date(2021, 2, 4), year_end, 3),
        "09:00",
        "13:00",
        place="Cooperative e imprese del territorio",
        pool=[p.person for p in paths[14:26]],
        presence=0.85,
        cancel_rate=0.02,
        active=path_periods(batch),
    )
    women_group = new_activity(
        batch,
        "PER",
        csl,
        Activity.Kind.WORKSHOP,
        "Gruppo di accompagnamento per donne vulnerabili",
        60,
        description="In collaborazione con Mariposa.",
    )
    add_sessions(
        demo,
        batch,
        women_group,
        weekly(dt.date(2020, 10, 16), year_end, 4, every=2),
        "10:00",
        "12:00",
        place="Trezzo sull'Adda, spazio Mariposa",
        pool=women[:12],
        presence=0.75,
        suspended_online=True,
        active=path_periods(batch),
    )
    companies = new_activity(
        batch,
        "IMP",
        afol,
        Activity.Kind.NETWORK_MEETING,
        "Incontri con le imprese e banca dati delle aziende",
        30,
    )
    add_sessions(
        demo,
        batch,
        companies,
        monthly(dt.date(2020, 11, 1), year_end, 1, 2),
        "17:30",
        "19:00",
        place="Sedi delle associazioni di categoria",
        head_count=(5, 18),
        operators=("tutor.afol",),
        suspended_online=True,
    )
    add_case_notes(
        demo,
        batch,
        users["social.martesana"],
        [p.person for p in paths[:30]],
        [],
        extra_texts=[
            "Équipe multidisciplinare: concordato l'invio al CPS per la presa in "
            "carico specialistica.",
            "Avviato il tirocinio di inclusione; la tutor aziendale riferisce un buon inserimento.",
            "Colloquio con la persona e con l'operatore SIL: rimodulato l'orario del "
            "tirocinio per esigenze di cura dei figli.",
        ],
    )
    add_consents(demo, batch, users["social.martesana"])
    flush(batch)
    return batch


# --------------------------------------------------------------------------------------
# Project 4: RiCA (Comuni Insieme)
# --------------------------------------------------------------------------------------


def build_rica(demo: Demo) -> ProjectBatch:
    """Three community hubs with phases (aggancio, attivazione, manutenzione); financial
    education; housing agency desk, repayment plans and community work hours."""
    rng = demo.rng
    org = demo.organisations
    users = demo.users
    start, end = dt.date(2019, 6, 1), dt.date(2021, 12, 31)
    agreed = dt.date(2019, 5, 20)
    project = create_project(
        demo,
        programme="bando-periferie-2016",
        lead="comuni_insieme",
        title="RiCA – Rigenerare Comunità e Abitare verso Human Technopole",
        short_name="RiCA",
        slug=RICA_SLUG,
        cup="F49H17000520001",
        funder_reference="Città Metropolitana di Milano – progetto periferie",
        start_date=start,
        end_date=end,
        target_households=150,
        target_people=400,
        target_hours=2200,
        retention_until=dt.date(2031, 12, 31),
        description=(
            "Contrastare la vulnerabilità sociale intervenendo sull'impoverimento e "
            "sull'evaporazione dei legami: tre Community Hub nel bollatese, educazione "
            "finanziaria, potenziamento dell'Agenzia sociale per l'abitare."
        ),
        expected_results=(
            "Nuovi luoghi di prossimità e collaboratori civici; famiglie capaci di gestire il "
            "bilancio familiare; prevenzione dell'indebitamento abitativo con piani di rientro "
            "e restituzione in attività di interesse comunitario; Rete Casa solidale."
        ),
        axes=[
            ("RC", "Rigenerazione di comunità", "", D("260000.00"), 0, 1000),
            ("EF", "Educazione finanziaria", "", D("150000.00"), 0, 500),
            ("AB", "Abitare", "", D("230000.00"), 0, 700),
        ],
        partners=[
            (
                "comuni_insieme",
                Partnership.Role.LEAD,
                D("560000.00"),
                agreed,
                "Azienda consortile dei 7 Comuni soci; gestisce hub e Agenzia per l'abitare.",
            ),
            (
                "sercop",
                Partnership.Role.PARTNER,
                D("80000.00"),
                agreed,
                "Rete Casa solidale con l'ambito del Rhodense.",
            ),
            (
                "la_cordata",
                Partnership.Role.NETWORK,
                D("0.00"),
                agreed,
                "Coordinamento con ADA – Agenzia dell'abitare del Rhodense.",
            ),
            (
                "citta_metropolitana",
                Partnership.Role.NETWORK,
                D("0.00"),
                agreed,
                "Soggetto proponente del progetto metropolitano (Bando periferie).",
            ),
        ],
        periods=[
            ("Annualità 2019", start, dt.date(2019, 12, 31)),
            ("Annualità 2020", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
            ("Annualità 2021", dt.date(2021, 1, 1), end),
        ],
    )
    towns = {name: demo.municipalities[name] for name in RICA_MUNICIPALITIES}
    project.municipalities.add(*towns.values())
    batch = ProjectBatch(
        project=project, today=dt.date(2020, 9, 30), activity_start=dt.date(2019, 10, 7)
    )
    batch.suspensions = [
        (
            dt.date(2020, 3, 9),
            dt.date(2020, 5, 17),
            "Sospensione delle attività in presenza per l'emergenza COVID-19",
        )
    ]
    batch.axes = {a.code: a for a in project.axes.all()}
    hubs = [
        (
            "bollate",
            "Community Hub Bollate",
            "Via Vittorio Veneto, Bollate",
            "Bollate",
            "manutenzione",
        ),
        (
            "baranzate",
            "Community Hub Baranzate",
            "Via Gorizia, Baranzate",
            "Baranzate",
            "attivazione",
        ),
        ("senago", "Community Hub Senago", "Via Cavour, Senago", "Senago", "aggancio"),
    ]
    for key, name, address, town, phase in hubs:
        hub = Lab.objects.create(
            project=project,
            name=name,
            address=address,
            municipality=towns[town],
            phase=phase,
            opening_hours="Martedì e giovedì 16:00-19:00; sabato 10:00-12:30",
        )
        hub.operators.add(users["social.rica"])
        batch.labs[key] = hub

    local = ["Garbagnate Milanese", "Bollate", "Milano", "Rho"]
    ref = dt.date(2019, 10, 1)
    specs = [
        (
            "Bollate",
            "Complesso ERP di Via Verdi",
            "Via Verdi",
            "BOL-VER",
            30,
            ["A", "B"],
            3,
            27,
            70,
            2,
            1,
            0,
        ),
        (
            "Baranzate",
            "Complesso ERP di Via Aquileia",
            "Via Aquileia",
            "BAR-AQU",
            16,
            ["A"],
            3,
            14,
            35,
            1,
            1,
            0,
        ),
    ]
    all_households, buildings, units_of = [], [], {}
    for (
        town,
        name,
        address,
        code,
        n_units,
        stairs,
        per_floor,
        households,
        people,
        vacant,
        works,
        no_title,
    ) in specs:
        neighbourhood = Neighbourhood.objects.create(
            municipality=towns[town],
            name=f"{address}",
            description="Edilizia residenziale pubblica seguita dall'Agenzia sociale per "
            "l'abitare.",
        )
        neighbourhood.projects.add(project)
        building = Building.objects.create(
            neighbourhood=neighbourhood,
            name=name,
            address=address,
            owner=org["aler_milano"],
            owner_code=code,
            declared_units=n_units,
        )
        units = build_units(building, n_units, stairs, per_floor, rng)
        all_households += populate_building(
            demo,
            batch,
            building,
            units,
            households,
            people,
            code_prefix=f"RICA-{code[:3]}",
            ref=ref,
            local_places=local,
            foreign_share=0.3,
            vacant=vacant,
            under_works=works,
            no_title=no_title,
            moved_out_children=1,
        )
        buildings.append(building)
        units_of[building.pk] = units
    save_households(demo, batch, all_households)

    year_end = batch.today
    grown_ups = adults(batch.residents, ref)
    community = [
        extra_person(
            demo, batch, ref, local, age=(18, 80), foreign_share=0.25, no_tax_code_share=0.15
        )
        for _ in range(70)
    ]
    save_extra_people(batch)
    ci = org["comuni_insieme"]
    hub_pools = {"bollate": community[:28], "baranzate": community[28:50], "senago": community[50:]}
    hub_days = {"bollate": 1, "baranzate": 3, "senago": 1}
    for key, _, _, town, phase in hubs:
        activity = new_activity(
            batch,
            "RC",
            ci,
            Activity.Kind.WORKSHOP,
            f"Laboratori di comunità – {town}",
            90,
            lab=key,
            description=f"Fase di {phase}: laboratori condotti dagli "
            "operatori del welfare di comunità.",
        )
        add_sessions(
            demo,
            batch,
            activity,
            weekly(batch.activity_start, year_end, hub_days[key]),
            "16:30",
            "18:30",
            lab=key,
            operators=("social.rica",),
            walk_in=(hub_pools[key], 3, 9),
            head_count=(0, 6),
        )
    events = new_activity(
        batch,
        "RC",
        ci,
        Activity.Kind.COMMUNITY_EVENT,
        "Eventi di comunità negli hub",
        30,
        is_open_event=True,
    )
    add_sessions(
        demo,
        batch,
        events,
        [
            dt.date(2019, 11, 16),
            dt.date(2019, 12, 14),
            dt.date(2020, 2, 15),
            dt.date(2020, 6, 27),
            dt.date(2020, 9, 19),
        ],
        "10:00",
        "13:00",
        lab="bollate",
        head_count=(30, 90),
        walk_in=(community, 3, 8),
        cancel_rate=0.0,
        notes=["Swap party e merenda condivisa.", "Presentazione dell'Emporio solidale."],
    )
    course_pool = rng.sample(grown_ups, 10) + rng.sample(community, 12)
    budget_course = new_activity(
        batch,
        "EF",
        ci,
        Activity.Kind.FINANCIAL_EDUCATION,
        "Percorso collettivo sul bilancio familiare",
        36,
        lab="baranzate",
        description="Bilancio familiare, consumo consapevole, "
        "gestione del reddito, spesa intelligente.",
    )
    add_sessions(
        demo,
        batch,
        budget_course,
        weekly(dt.date(2019, 10, 17), dt.date(2019, 11, 28), 3)[:6],
        "18:00",
        "20:00",
        lab="baranzate",
        pool=course_pool[:11],
        presence=0.8,
        operators=("social.rica",),
    )
    add_sessions(
        demo,
        batch,
        budget_course,
        weekly(dt.date(2020, 5, 21), dt.date(2020, 7, 2), 3)[:6],
        "18:00",
        "20:00",
        lab="baranzate",
        pool=course_pool[11:],
        presence=0.8,
        operators=("social.rica",),
        suspended_online=True,
    )
    accompaniment = new_activity(
        batch,
        "EF",
        ci,
        Activity.Kind.TUTORING,
        "Accompagnamento individuale all'educazione finanziaria",
        120,
        lab="bollate",
    )
    followed = rng.sample(grown_ups, 16)
    add_individual_sessions(
        demo,
        batch,
        accompaniment,
        [
            (p, random_date(rng, dt.date(2019, 10, 14), dt.date(2020, 6, 30)), year_end)
            for p in followed
        ],
        lab="bollate",
        operators=("social.rica",),
        weekdays=(1, 3),
    )
    training = new_activity(
        batch,
        "EF",
        ci,
        Activity.Kind.COURSE,
        "Formazione operatori: lettura del bisogno economico-finanziario",
        16,
    )
    add_sessions(
        demo,
        batch,
        training,
        [dt.date(2020, 1, 21), dt.date(2020, 2, 4), dt.date(2020, 2, 18), dt.date(2020, 3, 3)],
        "09:00",
        "13:00",
        place="Comuni Insieme, Bollate",
        head_count=(12, 18),
        cancel_rate=0.0,
    )
    arrears_households = rng.sample(batch.households, 20)
    debtors = [
        m.person for h in arrears_households for m in h.demo_members if m.relation == R.REFERENCE
    ]
    housing_desk = new_activity(
        batch,
        "AB",
        ci,
        Activity.Kind.HOUSING_DESK,
        "Sportello dell'Agenzia sociale per l'abitare",
        150,
        lab="bollate",
        description="Consulenza abitativa, mediazione, piani di rientro "
        "concordati con gli enti creditori.",
    )
    add_sessions(
        demo,
        batch,
        housing_desk,
        weekly(batch.activity_start, year_end, 3),
        "09:30",
        "12:30",
        lab="bollate",
        operators=("social.rica",),
        walk_in=(debtors + grown_ups[:10], 1, 4),
        suspended_online=True,
    )
    payback = new_activity(
        batch,
        "AB",
        ci,
        Activity.Kind.SELF_MANAGEMENT,
        "Restituzione in ore di attività di interesse comunitario",
        200,
        description="Imbiancatura parti comuni, cura del verde, piccole "
        "manutenzioni al posto di parte del debito.",
    )
    add_sessions(
        demo,
        batch,
        payback,
        weekly(dt.date(2019, 11, 9), year_end, 5, every=2),
        "09:00",
        "12:00",
        place="Spazi comuni di Via Verdi e Via Aquileia",
        pool=debtors[:8],
        presence=0.8,
    )
    network = new_activity(
        batch,
        "AB",
        org["sercop"],
        Activity.Kind.NETWORK_MEETING,
        "Coordinamento con ADA e Rete Casa solidale",
        16,
    )
    add_sessions(
        demo,
        batch,
        network,
        monthly(batch.activity_start, year_end, 2, 2)[::2],
        "10:00",
        "12:00",
        place="Rho, sede Sercop",
        head_count=(5, 9),
        suspended_online=True,
    )
    add_arrears(
        demo,
        batch,
        arrears_households,
        [dt.date(2019, 10, 31), dt.date(2020, 1, 31), dt.date(2020, 4, 30), dt.date(2020, 7, 31)],
        community_work_share=0.45,
    )
    add_case_notes(
        demo, batch, users["social.rica"], followed + debtors[:8], rng.sample(arrears_households, 8)
    )
    add_resident_reports(
        demo, batch, buildings, units_of, 10, org["aler_milano"], users["social.rica"]
    )
    add_consents(demo, batch, users["social.rica"])
    flush(batch)
    return batch


# --------------------------------------------------------------------------------------
# Project 5: MILO Lab (Milano Lorenteggio), a small co-designed lab
# --------------------------------------------------------------------------------------


def build_milo(demo: Demo) -> ProjectBatch:
    """The co-designed lab of the Lorenteggio regeneration: open events only, no people."""
    org = demo.organisations
    start, end = dt.date(2019, 3, 1), dt.date(2021, 2, 28)
    project = create_project(
        demo,
        programme="lombardia-laboratori-coprogettati",
        lead="milano",
        title="MILO Lab – Laboratorio sociale del quartiere Lorenteggio",
        short_name="MILO Lab",
        slug=MILO_SLUG,
        cup="B41H19000120009",
        funder_reference="Coprogettazione AdP Lorenteggio",
        start_date=start,
        end_date=end,
        target_households=0,
        target_people=500,
        target_hours=800,
        retention_until=dt.date(2028, 12, 31),
        description=(
            "Laboratorio sociale che accompagna la rigenerazione del quadrilatero ERP di "
            "Lorenteggio finanziata con risorse POR FSE, FESR, PON Metro, regionali e "
            "comunali."
        ),
        expected_results="Informazione e partecipazione degli abitanti alle trasformazioni del "
        "quartiere; accompagnamento delle famiglie nella mobilità abitativa.",
        axes=[("LS", "Laboratorio sociale", "9.4.2", D("180000.00"), 0, 800)],
        partners=[
            ("milano", Partnership.Role.LEAD, D("90000.00"), dt.date(2019, 2, 28), ""),
            (
                "aler_milano",
                Partnership.Role.PARTNER,
                D("50000.00"),
                dt.date(2019, 2, 28),
                "Ente proprietario del quadrilatero ERP.",
            ),
            (
                "afol_metropolitana",
                Partnership.Role.PARTNER,
                D("40000.00"),
                dt.date(2019, 2, 28),
                "Orientamento al lavoro per gli abitanti.",
            ),
        ],
        periods=semesters(start, end),
    )
    milano = demo.municipalities["Milano"]
    milano.projects.add(project)
    neighbourhood, _ = Neighbourhood.objects.get_or_create(
        municipality=milano,
        name="Lorenteggio",
        defaults={"description": "Quadrilatero ERP di Lorenteggio-Giambellino."},
    )
    neighbourhood.projects.add(project)
    batch = ProjectBatch(
        project=project, today=dt.date(2019, 12, 19), activity_start=dt.date(2019, 7, 1)
    )
    batch.axes = {a.code: a for a in project.axes.all()}
    lab = Lab.objects.create(
        project=project,
        name="MILO Lab",
        address="Via Segneri, Milano",
        municipality=milano,
        neighbourhood=neighbourhood,
        opening_hours="Martedì 15:00-18:00",
    )
    lab.operators.add(demo.users["lead.milo"])
    batch.labs["lab"] = lab
    event = new_activity(
        batch,
        "LS",
        org["milano"],
        Activity.Kind.COMMUNITY_EVENT,
        "Presentazione dello stato di avanzamento della rigenerazione",
        3,
        is_open_event=True,
    )
    add_sessions(
        demo,
        batch,
        event,
        [dt.date(2019, 7, 18)],
        "17:00",
        "19:30",
        place="Scuola Rinascita, quartiere Lorenteggio",
        head_count=(70, 110),
        cancel_rate=0.0,
        operators=("lead.milo",),
    )
    workshops = new_activity(
        batch,
        "LS",
        org["milano"],
        Activity.Kind.WORKSHOP,
        "Progettazione partecipata dell'area verde Giambellino 129",
        8,
        is_open_event=True,
        lab="lab",
    )
    add_sessions(
        demo,
        batch,
        workshops,
        [dt.date(2019, 9, 26), dt.date(2019, 10, 10), dt.date(2019, 10, 24)],
        "18:00",
        "20:30",
        lab="lab",
        head_count=(20, 45),
        cancel_rate=0.0,
        operators=("lead.milo",),
    )
    desk = new_activity(
        batch,
        "LS",
        org["milano"],
        Activity.Kind.LISTENING_DESK,
        "Sportello MILO Lab",
        45,
        is_open_event=True,
        lab="lab",
    )
    add_sessions(
        demo,
        batch,
        desk,
        weekly(dt.date(2019, 9, 3), batch.today, 1),
        "15:00",
        "18:00",
        lab="lab",
        head_count=(2, 12),
        operators=("lead.milo",),
    )
    flush(batch)
    return batch


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


def is_loaded() -> bool:
    """The demo is in the database when its first project is."""
    return Project.objects.filter(slug=VALVERDE_SLUG).exists()


SUMMARY_MODELS = [
    (Programme, "Programmi"),
    (Organisation, "Enti"),
    (Project, "Progetti"),
    (Partnership, "Partenariati"),
    (Municipality, "Comuni"),
    (Building, "Edifici"),
    (HousingUnit, "Alloggi"),
    (Household, "Nuclei familiari"),
    (Person, "Persone"),
    (Lab, "Laboratori / hub"),
    (Activity, "Attività"),
    (Session, "Incontri"),
    (Attendance, "Presenze"),
    (Path, "Percorsi FSE"),
    (ArrearsRecord, "Morosità"),
    (Consent, "Consensi"),
    (CaseNote, "Note del diario sociale"),
    (ResidentReport, "Segnalazioni"),
]


def summary() -> list[tuple[str, int]]:
    """Row counts of the main tables, for the command's output."""
    return [(label, model.objects.count()) for model, label in SUMMARY_MODELS]


@transaction.atomic
def load_demo() -> list[tuple[str, int]]:
    """Build the whole demo in one transaction and return the summary counts."""
    demo = Demo(rng=random.Random(SEED))
    build_reference(demo)
    build_users(demo)
    build_valverde(demo)
    build_trezzano(demo)
    build_adda_martesana(demo)
    build_rica(demo)
    build_milo(demo)
    build_valverde_money(demo)
    return summary()


def _purge(queryset) -> int:
    """Delete rows and the audit history of exactly those rows (demo data only)."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    history = getattr(model, "history", None)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        model.objects.filter(pk__in=chunk).delete()
        if history is not None:
            history.model.objects.filter(id__in=chunk).delete()
    return len(ids)


def _try_purge(*querysets) -> bool:
    """Delete all the querysets, or none of them if something outside the demo still
    points at their rows."""
    try:
        with transaction.atomic():
            for queryset in querysets:
                _purge(queryset)
        return True
    except ProtectedError:
        return False


@transaction.atomic
def delete_demo() -> Counter:
    """Remove the demo projects with everything recorded in them, their people, the demo
    users, and the organisations, territory and programmes of the demo that nothing else
    uses. Returns how many rows of each kind went."""
    deleted: Counter = Counter()
    projects = Project.objects.filter(slug__in=PROJECT_SLUGS)
    in_projects = Q(project__in=projects)
    person_ids = set()
    for model, path in [
        (Registration, "project"),
        (Path, "project"),
        (HouseholdMember, "household__project"),
        (Attendance, "session__activity__project"),
        (ActivityEnrolment, "activity__project"),
    ]:
        person_ids.update(
            model.objects.filter(**{f"{path}__in": projects}).values_list("person_id", flat=True)
        )
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        sessions = Session.objects.filter(activity__project__in=projects)
        deleted["Attendance"] += _purge(Attendance.objects.filter(session__in=sessions))
        _purge(SessionEvidence.objects.filter(session__in=sessions))
        deleted["Session"] += _purge(sessions)
        deleted["ActivityEnrolment"] += _purge(
            ActivityEnrolment.objects.filter(activity__project__in=projects)
        )
        deleted["Activity"] += _purge(Activity.objects.filter(in_projects))
        deleted["ResidentReport"] += _purge(ResidentReport.objects.filter(in_projects))
        _purge(ProgressReport.objects.filter(in_projects))
        deleted["CaseNote"] += _purge(CaseNote.objects.filter(in_projects))
        deleted["Path"] += _purge(Path.objects.filter(in_projects))
        households = Household.objects.filter(in_projects)
        deleted["ArrearsRecord"] += _purge(ArrearsRecord.objects.filter(household__in=households))
        deleted["Tenancy"] += _purge(Tenancy.objects.filter(household__in=households))
        deleted["HouseholdMember"] += _purge(
            HouseholdMember.objects.filter(household__in=households)
        )
        deleted["Household"] += _purge(households)
        _purge(Registration.objects.filter(in_projects))
        _purge(SensitiveAccess.objects.filter(in_projects))
        for model in (ProjectRole, Partnership, ReportingPeriod, Lab, Axis):
            _purge(model.objects.filter(in_projects))
        neighbourhood_ids = list(
            Neighbourhood.objects.filter(projects__in=projects)
            .values_list("pk", flat=True)
            .distinct()
        )
        deleted["Project"] += _purge(projects)

        # People of the demo that no other project uses
        ids = sorted(person_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            used = set()
            for model in (
                Registration,
                HouseholdMember,
                Path,
                Attendance,
                ActivityEnrolment,
                CaseNote,
            ):
                used.update(
                    model.objects.filter(person_id__in=chunk).values_list("person_id", flat=True)
                )
            free_ids = [pk for pk in chunk if pk not in used]
            _purge(Consent.objects.filter(person_id__in=free_ids))
            _purge(
                PersonLink.objects.filter(Q(person_id__in=free_ids) | Q(same_as_id__in=free_ids))
            )
            deleted["Person"] += _purge(Person.objects.filter(pk__in=free_ids))

        # Territory: the demo's neighbourhoods that no other project uses
        for neighbourhood in Neighbourhood.objects.filter(pk__in=neighbourhood_ids):
            if neighbourhood.projects.exists():
                continue
            buildings = Building.objects.filter(neighbourhood=neighbourhood)
            units = HousingUnit.objects.filter(building__in=buildings)
            counts = (units.count(), buildings.count())
            if _try_purge(units, buildings, Neighbourhood.objects.filter(pk=neighbourhood.pk)):
                deleted["HousingUnit"] += counts[0]
                deleted["Building"] += counts[1]
        for name, istat, _, _ in MUNICIPALITIES:
            municipality = Municipality.objects.filter(istat_code=istat, name=name).first()
            if municipality and not (
                municipality.projects.exists()
                or municipality.labs.exists()
                or municipality.neighbourhoods.exists()
            ):
                deleted["Municipality"] += _try_purge(
                    Municipality.objects.filter(pk=municipality.pk)
                )
        for name, _ in DISTRICTS.values():
            district = District.objects.filter(name=name).first()
            if district and not district.municipalities.exists():
                _try_purge(District.objects.filter(pk=district.pk))

        # Users, organisations and programmes of the demo
        User = get_user_model()
        for spec in DEMO_USERS:
            user = User.objects.filter(
                username=spec["username"], email=demo_email(spec["username"])
            ).first()
            if user is not None:
                deleted["User"] += _try_purge(
                    Membership.objects.filter(user=user), User.objects.filter(pk=user.pk)
                )
        for _, name, *_ in ORGANISATIONS:
            organisation = Organisation.objects.filter(name=name).first()
            if organisation is None or organisation.memberships.exists():
                continue
            deleted["Organisation"] += _try_purge(Organisation.objects.filter(pk=organisation.pk))
        for spec in PROGRAMMES:
            programme = Programme.objects.filter(code=spec["code"]).first()
            if programme and not programme.projects.exists():
                deleted["Programme"] += _try_purge(Programme.objects.filter(pk=programme.pk))
    return deleted


# --------------------------------------------------------------------------------------
# Money (issue 8): Valverde's budget, a year of expenses, staff time sheets, allowances
# --------------------------------------------------------------------------------------

# (partner, sub-project, category, amount, funded share in %); per partner the lines add up
# to its partnership share, per sub-project to the sub-project's budget.
VALVERDE_BUDGET = [
    ("canegrate", "SP1", "staff", "12000.00", 50),
    ("canegrate", "SP1", "indirect", "3500.00", 100),
    ("canegrate", "SP2", "staff", "6000.00", 50),
    ("aler_milano", "SP1", "staff", "9000.00", 0),
    ("aler_milano", "SP1", "premises", "6000.00", 100),
    ("elaborando", "SP1", "staff", "32000.00", 100),
    ("elaborando", "SP1", "materials", "6070.35", 100),
    ("elaborando", "SP1", "external_services", "4000.00", 100),
    ("elaborando", "SP1", "indirect", "3000.00", 100),
    ("la_cordata", "SP1", "staff", "30000.00", 100),
    ("la_cordata", "SP1", "materials", "4070.35", 100),
    ("la_cordata", "SP1", "external_services", "5000.00", 100),
    ("la_cordata", "SP1", "indirect", "5000.00", 100),
    ("la_cordata", "SP2", "staff", "8000.00", 100),
    ("eurolavoro", "SP2", "staff", "52000.00", 100),
    ("eurolavoro", "SP2", "allowances", "24000.00", 100),
    ("eurolavoro", "SP2", "external_services", "9000.00", 100),
    ("eurolavoro", "SP2", "materials", "3385.45", 100),
    ("eurolavoro", "SP2", "indirect", "7000.00", 100),
]

# (partner, surname, name, title, contract, annual gross cost, share % or annual hours,
#  sub-projects, weekdays worked on the project, hours a day)
VALVERDE_STAFF = [
    (
        "canegrate",
        "Colombo",
        "Laura",
        "Assistente sociale",
        "full_time",
        "38500.00",
        None,
        ["SP1", "SP2"],
        [0, 2],
        "3",
    ),
    (
        "canegrate",
        "Ferrari",
        "Marco",
        "Coordinatore di progetto",
        "part_time_fixed",
        "41000.00",
        "50",
        ["SP1"],
        [1],
        "2.5",
    ),
    (
        "aler_milano",
        "Galli",
        "Stefania",
        "Referente gestione sociale",
        "part_time_variable",
        "36000.00",
        "600",
        ["SP1"],
        [3],
        "2",
    ),
    (
        "elaborando",
        "Fontana",
        "Davide",
        "Educatore",
        "full_time",
        "31800.00",
        None,
        ["SP1"],
        [0, 1, 2, 3],
        "5",
    ),
    (
        "elaborando",
        "Riva",
        "Chiara",
        "Animatrice di comunità",
        "part_time_fixed",
        "19200.00",
        "60",
        ["SP1"],
        [1, 4],
        "4",
    ),
    (
        "la_cordata",
        "Marelli",
        "Paola",
        "Operatrice di sportello",
        "full_time",
        "32400.00",
        None,
        ["SP1"],
        [0, 2, 4],
        "5",
    ),
    (
        "la_cordata",
        "Sala",
        "Giorgio",
        "Mediatore dei conflitti",
        "hourly",
        "10400.00",
        "400",
        ["SP1", "SP2"],
        [3],
        "4",
    ),
    (
        "eurolavoro",
        "Brambilla",
        "Elena",
        "Tutor dell'inclusione attiva",
        "full_time",
        "35200.00",
        None,
        ["SP2"],
        [0, 1, 2, 3],
        "6",
    ),
    (
        "eurolavoro",
        "Caputo",
        "Antonio",
        "Job coach",
        "part_time_fixed",
        "27600.00",
        "75",
        ["SP2"],
        [1, 3],
        "5",
    ),
    ("eurolavoro", "Longhi", "Sara", "Orientatrice", "hourly", "9900.00", "300", ["SP2"], [2], "4"),
]

# (partner, sub-project, category, suppliers, monthly amount range in euro, every n months)
VALVERDE_EXPENSES = [
    ("elaborando", "SP1", "materials", ["Cartoleria Arcobaleno", "Brico Canegrate"], (60, 480), 1),
    (
        "elaborando",
        "SP1",
        "external_services",
        ["Studio grafico Linea", "Tipografia Olona"],
        (150, 700),
        3,
    ),
    (
        "la_cordata",
        "SP1",
        "materials",
        ["Cartoleria Arcobaleno", "Ferramenta Legnanese"],
        (40, 380),
        1,
    ),
    (
        "la_cordata",
        "SP1",
        "external_services",
        ["Mediazione Insieme s.c.s.", "Pulizie Alto Milanese"],
        (200, 900),
        2,
    ),
    ("aler_milano", "SP1", "premises", ["Enel Energia", "Acqua Ovest Milano"], (180, 520), 1),
    (
        "eurolavoro",
        "SP2",
        "materials",
        ["Libreria Universitaria", "Office Depot Italia"],
        (50, 300),
        2,
    ),
    (
        "eurolavoro",
        "SP2",
        "external_services",
        ["Centro formazione sicurezza Lavoro Sicuro", "Medicina del lavoro Legnano"],
        (300, 1100),
        2,
    ),
    # Overheads charged each quarter (a share of general costs, with its own document).
    (
        "canegrate",
        "SP1",
        "indirect",
        ["Comune di Canegrate – ripartizione costi generali"],
        (500, 800),
        3,
    ),
    ("elaborando", "SP1", "indirect", ["Coop. Elaborando – quota costi generali"], (350, 650), 3),
    ("la_cordata", "SP1", "indirect", ["Coop. La Cordata – quota costi generali"], (550, 1000), 3),
    ("eurolavoro", "SP2", "indirect", ["Eurolavoro – quota costi generali"], (800, 1400), 3),
]
EXPENSE_WHAT = {
    "materials": "Materiali per le attività",
    "external_services": "Servizio esterno",
    "premises": "Utenze del laboratorio",
    "indirect": "Costi indiretti",
}
REJECTION_REASONS = [
    "Documento intestato a un altro ente.",
    "Spesa non pertinente al sub-progetto.",
    "Manca la quietanza di pagamento.",
]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def build_valverde_money(demo: Demo) -> None:
    """Valverde's budget lines (adding up to each partner's share and each sub-project's
    budget), a year of expenses in every status, 2019's time sheets of ten staff members
    within their contracts, and the allowances paid each quarter from the registers.

    Its own random generator, so that the other projects' data do not change."""
    from beneficiaries.allowances.services import allowance_rows
    from beneficiaries.models import AllowancePayment
    from labs.models import BudgetLine, Expense, StaffMember, TimesheetEntry

    rng = random.Random(SEED + 8)
    project = Project.objects.get(slug=VALVERDE_SLUG)
    axes = {a.code: a for a in project.axes.all()}
    org = demo.organisations
    lead = demo.users["lead.valverde"]
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            axis=axes[axis],
            organisation=org[partner],
            category=category,
            amount=D(amount),
            funded_amount=(D(amount) * funded / 100).quantize(D("0.01")),
        )
        for partner, axis, category, amount, funded in VALVERDE_BUDGET
    )

    year_start, today = dt.date(2019, 1, 1), dt.date(2019, 12, 20)
    expenses = []
    for partner, axis, category, suppliers, (low, high), every in VALVERDE_EXPENSES:
        for month in range(1, 13, every):
            day = dt.date(2019, month, rng.randint(3, 26))
            if day > today:
                continue
            if day < dt.date(2019, 10, 1):
                status = "rejected" if rng.random() < 0.06 else "accepted"
            elif day < dt.date(2019, 12, 1):
                status = "submitted"
            else:
                status = "draft"
            supplier = rng.choice(suppliers)
            expenses.append(
                Expense(
                    project=project,
                    axis=axes[axis],
                    organisation=org[partner],
                    category=category,
                    date=day,
                    amount=_money(rng, low, high),
                    supplier=supplier,
                    document_number=f"{day:%Y}/{rng.randint(100, 9999)}",
                    description=f"{EXPENSE_WHAT[category]} – {supplier}",
                    status=status,
                    rejection_reason=rng.choice(REJECTION_REASONS) if status == "rejected" else "",
                    created_by=lead,
                    reviewed_by=lead if status in ("accepted", "rejected") else None,
                    reviewed_at=at(day + dt.timedelta(days=20), 11)
                    if status in ("accepted", "rejected")
                    else None,
                )
            )
    Expense.objects.bulk_create(expenses)

    activities: dict[tuple[int, int], list[int]] = {}
    for activity in project.activities.all():
        activities.setdefault((activity.organisation_id, activity.axis_id), []).append(activity.pk)
    entries = []
    for (
        partner,
        surname,
        name,
        title,
        contract,
        cost,
        extra,
        axis_codes,
        weekdays,
        daily,
    ) in VALVERDE_STAFF:
        staff = StaffMember(
            project=project,
            organisation=org[partner],
            last_name=surname,
            first_name=name,
            job_title=title,
            contract_type=contract,
            annual_gross_cost=D(cost),
        )
        if contract == "part_time_fixed":
            staff.share_percent = D(extra)
        elif extra:
            staff.contract_annual_hours = D(extra)
        staff.full_clean()
        staff.save()
        day = year_start
        total = Decimal("0")
        while day <= today:
            if day.weekday() in weekdays and not is_closed(day):
                axis = axes[rng.choice(axis_codes)]
                choices = activities.get((staff.organisation_id, axis.pk), []) + [None]
                hours = D(daily) - (D("0.5") if rng.random() < 0.2 else D("0"))
                if total + hours <= staff.annual_hours:
                    total += hours
                    entries.append(
                        TimesheetEntry(
                            staff=staff,
                            date=day,
                            axis=axis,
                            activity_id=rng.choice(choices),
                            hours=hours,
                        )
                    )
            day += dt.timedelta(days=1)
    TimesheetEntry.objects.bulk_create(entries)

    payments = []
    paid: dict[int, Decimal] = {}
    for quarter_end in (dt.date(2019, 3, 31), dt.date(2019, 6, 30), dt.date(2019, 9, 30)):
        for path in allowance_rows(project, until=quarter_end):
            balance = path.due - paid.get(path.pk, D("0"))
            if balance > 0:
                paid[path.pk] = paid.get(path.pk, D("0")) + balance
                payments.append(
                    AllowancePayment(
                        path=path,
                        paid_on=quarter_end + dt.timedelta(days=15),
                        amount=balance,
                        reference=f"Bonifico {quarter_end:%Y}-T{(quarter_end.month - 1) // 3 + 1}",
                        recorded_by=lead,
                    )
                )
    AllowancePayment.objects.bulk_create(payments)
