"""The ESF indicator catalogues, as data.

A programme names its catalogue (``Programme.indicator_set``); a catalogue lists its
indicators in report order, each with its code, Italian label (translatable, what the
report shows), English label, the rule that computes it (a name in
``reporting.indicators.RULES``) and the moment it is measured. The sexes it is broken
down by, which answers make a record complete, and which questions are sensitive belong
to the catalogue too, so that ESF 2014-2020 and ESF+ 2021-2027 projects live side by
side and a change of guidance is a change of data here, not of the engine.

See docs/indicators.md for every rule in plain words and the assumptions taken.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from labs.models import Programme


class Stage(StrEnum):
    """When an indicator is measured, and so which date must fall in the period."""

    ENTRY = "entry"  # output indicators: entry_date in the period
    EXIT = "exit"  # immediate results: exit_date in the period
    FOLLOWUP = "followup"  # longer-term results: followup_date in the period


@dataclass(frozen=True)
class Breakdown:
    """A column of the indicator table: its key in the engine's answer, its label and the
    ``Person.sex`` value it counts."""

    key: str
    label: Promise
    sex: str


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise  # Italian source string, translated by gettext
    label_en: str
    rule: str  # a key of reporting.indicators.RULES
    stage: Stage
    local: bool = False  # True when the code is ours, not the regulation's


@dataclass(frozen=True)
class Catalogue:
    key: str  # a Programme.IndicatorSet value
    title: Promise
    breakdowns: tuple[Breakdown, ...]
    indicators: tuple[Indicator, ...]
    # Path fields a record needs, besides sex and birth date, to count in the indicators.
    complete_fields: tuple[str, ...]
    # Special-category questions: a "declined" or blank answer is counted as not answered.
    sensitive_fields: tuple[str, ...]

    @property
    def outputs(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.stage == Stage.ENTRY)

    @property
    def results(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.stage != Stage.ENTRY)

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)


WOMEN = Breakdown("women", _("donne"), "F")
MEN = Breakdown("men", _("uomini"), "M")
NON_BINARY = Breakdown("non_binary", _("non binari"), "X")

ENTRY, EXIT, FOLLOWUP = Stage.ENTRY, Stage.EXIT, Stage.FOLLOWUP

# Reg. (EU) 1304/2013, Annex I. No non-binary column: people recorded with sex X are
# counted in the totals only.
ESF_2014_2020 = Catalogue(
    key=Programme.IndicatorSet.ESF_2014,
    title=_("FSE 2014-2020 – indicatori comuni (Reg. UE 1304/2013, Allegato I)"),
    breakdowns=(MEN, WOMEN),
    complete_fields=(
        "labour_status",
        "education_level",
        "jobless_household",
        "dependent_children",
        "single_adult_household",
    ),
    sensitive_fields=("foreign_background", "disability", "other_disadvantage"),
    indicators=(
        Indicator(
            "CO01",
            _("Disoccupati, compresi i disoccupati di lungo periodo"),
            "Unemployed, including long-term unemployed",
            "unemployed",
            ENTRY,
        ),
        Indicator(
            "CO02",
            _("Disoccupati di lungo periodo"),
            "Long-term unemployed",
            "long_term_unemployed",
            ENTRY,
        ),
        Indicator("CO03", _("Persone inattive"), "Inactive", "inactive", ENTRY),
        Indicator(
            "CO04",
            _("Persone inattive, che non seguono un corso di insegnamento o di formazione"),
            "Inactive, not in education or training",
            "inactive_not_in_education",
            ENTRY,
        ),
        Indicator(
            "CO05",
            _("Lavoratori, compresi i lavoratori autonomi"),
            "Employed, including self-employed",
            "employed",
            ENTRY,
        ),
        Indicator(
            "CO06",
            _("Persone di età inferiore a 25 anni"),
            "Below 25 years of age",
            "age_below_25",
            ENTRY,
        ),
        Indicator(
            "CO07",
            _("Persone di età superiore a 54 anni"),
            "Above 54 years of age",
            "age_above_54",
            ENTRY,
        ),
        Indicator(
            "CO08",
            _(
                "Persone di età superiore a 54 anni, disoccupate (compresi i disoccupati di "
                "lungo periodo) o inattive e che non seguono un corso di insegnamento o di "
                "formazione"
            ),
            "Above 54 years of age who are unemployed, including long-term unemployed, or "
            "inactive not in education or training",
            "age_above_54_unemployed_or_inactive_not_in_education",
            ENTRY,
        ),
        # ISCED 1 or 2 only, as the regulation's wording: ISCED 0 is in no education
        # indicator of 2014-2020 (docs/indicators.md, "CO09 and ISCED 0"). The local row
        # CO09-0 gives the ISCED 0 count so that CO09 + CO09-0 + CO10 + CO11 = complete.
        Indicator(
            "CO09",
            _(
                "Titolari di un diploma di istruzione primaria (ISCED 1) o secondaria inferiore "
                "(ISCED 2)"
            ),
            "With primary (ISCED 1) or lower secondary education (ISCED 2)",
            "isced_1_2",
            ENTRY,
        ),
        Indicator(
            "CO09-0",
            _("ISCED 0 (senza istruzione primaria): non compresi in CO09"),
            "ISCED 0 (no primary education): not included in CO09",
            "isced_0",
            ENTRY,
            local=True,
        ),
        Indicator(
            "CO10",
            _(
                "Titolari di un diploma di istruzione secondaria superiore (ISCED 3) o "
                "post-secondaria (ISCED 4)"
            ),
            "With upper secondary (ISCED 3) or post-secondary education (ISCED 4)",
            "isced_3_4",
            ENTRY,
        ),
        Indicator(
            "CO11",
            _("Titolari di un diploma di istruzione terziaria (ISCED da 5 a 8)"),
            "With tertiary education (ISCED 5 to 8)",
            "isced_5_8",
            ENTRY,
        ),
        Indicator(
            "CO12",
            _("Partecipanti che vivono in famiglie senza lavoro"),
            "Participants who live in jobless households",
            "jobless_household",
            ENTRY,
        ),
        Indicator(
            "CO13",
            _("Partecipanti che vivono in famiglie senza lavoro con figli a carico"),
            "Participants who live in jobless households with dependent children",
            "jobless_household_with_children",
            ENTRY,
        ),
        Indicator(
            "CO14",
            _(
                "Partecipanti che vivono in una famiglia composta da un singolo adulto con figli "
                "a carico"
            ),
            "Participants who live in a single adult household with dependent children",
            "single_adult_with_children",
            ENTRY,
        ),
        Indicator(
            "CO15",
            _(
                "Migranti, partecipanti di origine straniera, minoranze (comprese le comunità "
                "emarginate come i Rom)"
            ),
            "Migrants, participants with a foreign background, minorities (including "
            "marginalised communities such as the Roma)",
            "migrant_foreign_or_minority",
            ENTRY,
        ),
        Indicator(
            "CO16",
            _("Partecipanti con disabilità"),
            "Participants with disabilities",
            "disability",
            ENTRY,
        ),
        Indicator(
            "CO17",
            _("Altre persone svantaggiate"),
            "Other disadvantaged",
            "other_disadvantage",
            ENTRY,
        ),
        Indicator(
            "CO18",
            _("Senzatetto o persone colpite da esclusione abitativa"),
            "Homeless or affected by housing exclusion",
            "homeless_or_housing_exclusion",
            ENTRY,
        ),
        Indicator(
            "CO19", _("Persone provenienti da zone rurali"), "From rural areas", "rural_area", ENTRY
        ),
        # Reported next to CO15-CO17 so that the reader knows how many did not answer.
        Indicator(
            "CO-NR",
            _("Partecipanti che non hanno risposto alle domande sui dati sensibili"),
            "Participants who did not answer the sensitive questions",
            "sensitive_not_answered",
            ENTRY,
            local=True,
        ),
        Indicator(
            "CR01",
            _(
                "Partecipanti inattivi che cercano lavoro alla fine della loro partecipazione "
                "all'intervento"
            ),
            "Inactive participants newly engaged in job searching upon leaving",
            "exit_job_searching_inactive",
            EXIT,
        ),
        Indicator(
            "CR02",
            _(
                "Partecipanti che intraprendono studi/corsi di formazione alla fine della loro "
                "partecipazione all'intervento"
            ),
            "Participants in education or training upon leaving",
            "exit_in_education",
            EXIT,
        ),
        Indicator(
            "CR03",
            _(
                "Partecipanti che ottengono una qualifica alla fine della loro partecipazione "
                "all'intervento"
            ),
            "Participants gaining a qualification upon leaving",
            "exit_qualification",
            EXIT,
        ),
        Indicator(
            "CR04",
            _(
                "Partecipanti che hanno un lavoro, anche autonomo, alla fine della loro "
                "partecipazione all'intervento"
            ),
            "Participants in employment, including self-employment, upon leaving",
            "exit_employed",
            EXIT,
        ),
        Indicator(
            "CR05",
            _(
                "Partecipanti svantaggiati che cercano lavoro, si inseriscono in un percorso di "
                "istruzione/formazione, nell'acquisizione di una qualifica, in un'occupazione, "
                "anche autonoma, al momento della conclusione della loro partecipazione "
                "all'intervento"
            ),
            "Disadvantaged participants engaged in job searching, education/training, gaining "
            "a qualification, in employment, including self-employment, upon leaving",
            "exit_disadvantaged_any_outcome",
            EXIT,
        ),
        Indicator(
            "CR06",
            _(
                "Partecipanti che hanno un lavoro, anche autonomo, entro i sei mesi successivi "
                "alla fine della loro partecipazione all'intervento"
            ),
            "Participants in employment, including self-employment, six months after leaving",
            "followup_employed",
            FOLLOWUP,
        ),
        Indicator(
            "CR07",
            _(
                "Partecipanti che godono di una migliore situazione sul mercato del lavoro entro i "
                "sei mesi successivi alla fine della loro partecipazione all'intervento"
            ),
            "Participants with an improved labour market situation six months after leaving",
            "followup_improved",
            FOLLOWUP,
        ),
        Indicator(
            "CR08",
            _(
                "Partecipanti di oltre 54 anni di età che hanno un lavoro, anche autonomo, entro i "
                "sei mesi successivi alla fine della loro partecipazione all'intervento"
            ),
            "Participants above 54 years of age in employment, including self-employment, "
            "six months after leaving",
            "followup_employed_above_54",
            FOLLOWUP,
        ),
        Indicator(
            "CR09",
            _(
                "Partecipanti svantaggiati che hanno un lavoro, anche autonomo, entro i sei mesi "
                "successivi alla fine della loro partecipazione all'intervento"
            ),
            "Disadvantaged participants in employment, including self-employment, six months "
            "after leaving",
            "followup_employed_disadvantaged",
            FOLLOWUP,
        ),
    ),
)

# Reg. (EU) 2021/1057, Annex I: common indicators for general support of the ESF+ strand
# under shared management. Three sexes; the household items of 2014-2020 are gone, third
# country nationals, foreign background and minorities are separate items.
ESF_PLUS_2021_2027 = Catalogue(
    key=Programme.IndicatorSet.ESF_PLUS_2021,
    title=_("FSE+ 2021-2027 – indicatori comuni (Reg. UE 2021/1057, Allegato I)"),
    breakdowns=(MEN, WOMEN, NON_BINARY),
    complete_fields=(
        "labour_status",
        "education_level",
        "jobless_household",
        "dependent_children",
        "single_adult_household",
    ),
    sensitive_fields=("foreign_background", "third_country_national", "minority", "disability"),
    indicators=(
        Indicator(
            "EECO01",
            _("Numero complessivo dei partecipanti"),
            "Total number of participants",
            "participant",
            ENTRY,
        ),
        Indicator(
            "EECO02",
            _("Disoccupati, compresi i disoccupati di lungo periodo"),
            "Unemployed, including long-term unemployed",
            "unemployed",
            ENTRY,
        ),
        Indicator(
            "EECO03",
            _("Disoccupati di lungo periodo"),
            "Long-term unemployed",
            "long_term_unemployed",
            ENTRY,
        ),
        Indicator("EECO04", _("Persone inattive"), "Inactive", "inactive", ENTRY),
        Indicator(
            "EECO05",
            _("Persone che hanno un lavoro, compresi i lavoratori autonomi"),
            "Employed, including self-employed",
            "employed",
            ENTRY,
        ),
        Indicator(
            "EECO06",
            _("Minori di 18 anni"),
            "Children below 18 years of age",
            "age_below_18",
            ENTRY,
        ),
        Indicator(
            "EECO07",
            _("Giovani di età compresa tra i 18 e i 29 anni"),
            "Young people between 18 and 29 years of age",
            "age_18_29",
            ENTRY,
        ),
        Indicator(
            "EECO08",
            _("Partecipanti di età pari o superiore a 55 anni"),
            "Participants 55 years of age and above",
            "age_55_and_above",
            ENTRY,
        ),
        Indicator(
            "EECO09",
            _(
                "Titolari di un diploma di istruzione secondaria inferiore o di livello inferiore "
                "(ISCED 0-2)"
            ),
            "With lower secondary education or less (ISCED 0-2)",
            "isced_0_2",
            ENTRY,
        ),
        Indicator(
            "EECO10",
            _(
                "Titolari di un diploma di istruzione secondaria superiore (ISCED 3) o "
                "post-secondaria (ISCED 4)"
            ),
            "With upper secondary (ISCED 3) or post-secondary education (ISCED 4)",
            "isced_3_4",
            ENTRY,
        ),
        Indicator(
            "EECO11",
            _("Titolari di un diploma di istruzione terziaria (ISCED 5-8)"),
            "With tertiary education (ISCED 5 to 8)",
            "isced_5_8",
            ENTRY,
        ),
        Indicator(
            "EECO12",
            _("Partecipanti con disabilità"),
            "Participants with disabilities",
            "disability",
            ENTRY,
        ),
        Indicator(
            "EECO13",
            _("Cittadini di paesi terzi"),
            "Third-country nationals",
            "third_country_national",
            ENTRY,
        ),
        Indicator(
            "EECO14",
            _("Partecipanti di origine straniera"),
            "Participants with a foreign background",
            "foreign_background",
            ENTRY,
        ),
        Indicator(
            "EECO15",
            _("Minoranze (comprese le comunità emarginate come i Rom)"),
            "Minorities (including marginalised communities such as Roma)",
            "minority",
            ENTRY,
        ),
        Indicator(
            "EECO16",
            _("Persone senza dimora o colpite da esclusione abitativa"),
            "Homeless or affected by housing exclusion",
            "homeless_or_housing_exclusion",
            ENTRY,
        ),
        Indicator(
            "EECO17",
            _("Partecipanti provenienti da zone rurali"),
            "Participants from rural areas",
            "rural_area",
            ENTRY,
        ),
        Indicator(
            "EECR01",
            _(
                "Partecipanti che si sono impegnati nella ricerca di un lavoro alla fine della "
                "loro partecipazione all'intervento"
            ),
            "Participants engaged in job searching upon leaving",
            "exit_job_searching_inactive",
            EXIT,
        ),
        Indicator(
            "EECR02",
            _(
                "Partecipanti che intraprendono studi o corsi di formazione alla fine della loro "
                "partecipazione all'intervento"
            ),
            "Participants in education or training upon leaving",
            "exit_in_education",
            EXIT,
        ),
        Indicator(
            "EECR03",
            _(
                "Partecipanti che ottengono una qualifica alla fine della loro partecipazione "
                "all'intervento"
            ),
            "Participants gaining a qualification upon leaving",
            "exit_qualification",
            EXIT,
        ),
        Indicator(
            "EECR04",
            _(
                "Partecipanti che hanno un lavoro, compreso il lavoro autonomo, alla fine della "
                "loro partecipazione all'intervento"
            ),
            "Participants in employment, including self-employment, upon leaving",
            "exit_employed",
            EXIT,
        ),
        Indicator(
            "EECR05",
            _(
                "Partecipanti che hanno un lavoro, compreso il lavoro autonomo, sei mesi dopo la "
                "fine della loro partecipazione all'intervento"
            ),
            "Participants in employment, including self-employment, six months after leaving",
            "followup_employed",
            FOLLOWUP,
        ),
        Indicator(
            "EECR06",
            _(
                "Partecipanti che godono di una migliore situazione sul mercato del lavoro sei "
                "mesi dopo la fine della loro partecipazione all'intervento"
            ),
            "Participants with an improved labour market situation six months after leaving",
            "followup_improved",
            FOLLOWUP,
        ),
    ),
)

CATALOGUES: dict[str, Catalogue] = {c.key: c for c in (ESF_2014_2020, ESF_PLUS_2021_2027)}


def catalogue_for(indicator_set: str) -> Catalogue | None:
    """The catalogue a programme asks for; None for "none" (no ESF indicators)."""
    return CATALOGUES.get(indicator_set)
