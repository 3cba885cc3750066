"""factory_boy factories for the domain. Valid codici fiscali are computed, not invented."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from stdnum import luhn
from stdnum.it import codicefiscale

from beneficiaries import models as b
from labs import models as labs
from partners import models as p

MONTHS = "ABCDEHLMPRST"


def make_tax_code(seq: int, birth: dt.date, sex: str) -> str:
    """A valid codice fiscale for a synthetic person (name part from the sequence)."""
    letters = "BCDFGHLMNPRSTVZ"
    name = "".join(letters[(seq // 15**i) % 15] for i in range(6))
    day = birth.day + (40 if sex == "F" else 0)
    body = f"{name}{birth.year % 100:02d}{MONTHS[birth.month - 1]}{day:02d}F205"
    return body + codicefiscale.calc_check_digit(body)


def make_vat(seq: int) -> str:
    body = f"{seq:07d}001"
    return body + luhn.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Utente"
    last_name = factory.Sequence(lambda n: f"Prova{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "password-di-prova-123")
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Organisation

    name = factory.Sequence(lambda n: f"Ente {n}")
    kind = p.Organisation.Kind.SOCIAL_COOPERATIVE
    tax_code = factory.Sequence(lambda n: make_vat(n + 1))


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Programme
        django_get_or_create = ("code",)

    name = "POR FSE 2014-2020 – Laboratori sociali"
    code = "por-fse-2014-2020-lab"
    fund = labs.Programme.Fund.ESF
    indicator_set = labs.Programme.IndicatorSet.ESF_2014


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Municipality

    name = factory.Sequence(lambda n: f"Comune {n}")
    istat_code = factory.Sequence(lambda n: f"{15000 + n:06d}")
    province = "MI"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Project

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Progetto {n}")
    short_name = factory.LazyAttribute(lambda o: o.title)
    slug = factory.Sequence(lambda n: f"progetto-{n}")
    cup = factory.Sequence(lambda n: f"E41H{17000000000 + n}")
    lead_organisation = factory.SubFactory(
        OrganisationFactory, kind=p.Organisation.Kind.MUNICIPALITY
    )
    start_date = dt.date(2019, 1, 1)
    end_date = dt.date(2020, 12, 31)
    budget = Decimal("230000.00")


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Axis

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = "Laboratorio sociale"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Neighbourhood

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Quartiere {n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Building

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Complesso {n}")
    address = factory.Sequence(lambda n: f"Via Roma {n}")
    owner = factory.SubFactory(OrganisationFactory, kind=p.Organisation.Kind.HOUSING_AGENCY)


class HousingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.HousingUnit

    building = factory.SubFactory(BuildingFactory)
    owner_code = factory.Sequence(lambda n: f"U{n:05d}")
    floor = 1


class LabFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Lab

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Laboratorio {n}")
    address = "Via Roma 1"
    municipality = factory.SubFactory(MunicipalityFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Activity

    project = factory.SubFactory(ProjectFactory)
    axis = factory.SubFactory(AxisFactory, project=factory.SelfAttribute("..project"))
    organisation = factory.SubFactory(OrganisationFactory)
    kind = labs.Activity.Kind.WORKSHOP
    name = factory.Sequence(lambda n: f"Attività {n}")
    planned_hours = Decimal("40")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = labs.Session

    activity = factory.SubFactory(ActivityFactory)
    date = factory.Sequence(lambda n: dt.date(2019, 3, 1) + dt.timedelta(days=n))
    start_time = dt.time(9, 0)
    end_time = dt.time(11, 0)
    state = labs.Session.State.HELD


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = b.Person

    first_name = factory.Sequence(lambda n: f"Nome{n}")
    last_name = factory.Sequence(lambda n: f"Cognome{n}")
    birth_date = factory.Sequence(lambda n: dt.date(1960, 1, 1) + dt.timedelta(days=97 * n))
    sex = "F"
    tax_code = factory.LazyAttributeSequence(lambda o, n: make_tax_code(n, o.birth_date, o.sex))
    phone = factory.Sequence(lambda n: f"+39 333 {n:07d}")
    email = factory.Sequence(lambda n: f"persona{n}@example.org")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = b.Household

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"N{n:04d}")
    isee_band = b.Household.IseeBand.UP_TO_6K


class PathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = b.Path

    person = factory.SubFactory(PersonFactory)
    project = factory.SubFactory(ProjectFactory)
    entry_date = dt.date(2019, 3, 1)
    labour_status = b.Path.LabourStatus.UNEMPLOYED
    unemployment_months = 14
    education_level = 2
    jobless_household = True
    dependent_children = False
    single_adult_household = False
    homeless_or_housing_exclusion = False
    foreign_background = b.Answer.NO
    disability = b.Answer.NO
    other_disadvantage = b.Answer.NO
