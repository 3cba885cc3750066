"""Scale data: N synthetic projects shaped like the demo projects, for benchmarks.

    python manage.py generate_scale_data --projects 100

The reference size (issue #9) is 100 projects, 40,000 households, 100,000 people and
1,000,000 attendance rows, so each generated project gets 400 households, 1,000 people
(2.5 per household), 400 sessions and 10,000 attendance lines (25 people per session).
Everything else is copied from one of the five demo projects in turn (the "template"):
axes, partnerships, reporting periods, roles of the demo users (so lead.valverde also
leads every generated copy of Valverde), labs and activities; ESF paths and consents keep
the demo's proportion per person. The demo is loaded first when it is missing.

Rows are written with ``bulk_create`` in large batches inside one transaction per project,
so no history rows and no ``save()``; the codice fiscale is generated already normalised.
Refuses to run unless the database name contains "scale" (never touch another database)
unless --force is given. Deterministic: one ``random.Random(seed)``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from beneficiaries.models import (
    ActivityEnrolment,
    Attendance,
    Consent,
    Household,
    HouseholdMember,
    Path,
    Person,
    Registration,
)
from labs.models import (
    Activity,
    Axis,
    Lab,
    Partnership,
    Project,
    ProjectRole,
    ReportingPeriod,
    Session,
)
from reporting import demo as demo_data

HOUSEHOLDS = 400
PEOPLE = 1000
SESSIONS = 400
PER_SESSION = 25  # 400 x 25 = 10,000 attendance rows per project
BATCH = 5000
SCALE_PREFIX = "scala-"

FIRST_M = demo_data.ITALIAN_MALE
FIRST_F = demo_data.ITALIAN_FEMALE
SURNAMES = demo_data.NORTHERN_SURNAMES + demo_data.SOUTHERN_SURNAMES
PLACE_CODES = ["F205", "L219", "A794", "D969", "F839", "G273", "A662"]
ISEE = [b for b, _ in Household.IseeBand.choices]


def copy_fields(obj, **changes):
    """A new unsaved instance with obj's concrete field values, id cleared, changes applied."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    values.update(changes)
    return type(obj)(**values)


class Command(BaseCommand):
    help = "Crea N progetti sintetici con le proporzioni dei dati dimostrativi (benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force", action="store_true", help="consente un database senza 'scale' nel nome"
        )
        parser.add_argument(
            "--replace", action="store_true", help="cancella prima i progetti sintetici"
        )

    def handle(self, *args, projects, seed, force, replace, **options):
        name = connection.settings_dict["NAME"] or ""
        if "scale" not in str(name) and not force:
            raise CommandError(
                f"Database '{name}': usare un database dedicato (es. quartieri_scale)."
            )
        if projects < 1:
            raise CommandError("--projects deve essere almeno 1.")
        started = time.monotonic()
        if not demo_data.is_loaded():
            demo_data.load_demo()
        if replace:
            self.delete_generated()
        templates = list(Project.objects.filter(slug__in=demo_data.PROJECT_SLUGS).order_by("pk"))
        rng = random.Random(seed)
        first = Project.objects.filter(slug__startswith=SCALE_PREFIX).count()
        self.used_codes = set(
            Person.objects.exclude(tax_code=None).values_list("tax_code", flat=True)
        )
        for number in range(first, first + projects):
            self.build_project(rng, templates[number % len(templates)], number)
            if self.verbosity_ok(options):
                self.stdout.write(
                    f"  progetto {number + 1}: {time.monotonic() - started:.0f} s", ending="\n"
                )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # What autovacuum does in production after a bulk load: statistics for the
                # planner and the visibility map for index-only scans. (Outside any
                # transaction: each project above committed its own; inside a test's
                # transaction, only the statistics.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.stdout.write(
            self.style.SUCCESS(
                f"{projects} progetti sintetici creati in {time.monotonic() - started:.0f} s "
                f"(totale: {Project.objects.count()} progetti, "
                f"{Household.objects.count()} nuclei, {Person.objects.count()} persone, "
                f"{Attendance.objects.count()} presenze)."
            )
        )

    @staticmethod
    def verbosity_ok(options):
        return options.get("verbosity", 1) >= 1

    def delete_generated(self):
        generated = Project.objects.filter(slug__startswith=SCALE_PREFIX)
        with transaction.atomic():
            people = Person.objects.filter(registrations__project__in=generated)
            person_ids = list(people.values_list("pk", flat=True))
            Attendance.objects.filter(session__activity__project__in=generated).delete()
            Session.objects.filter(activity__project__in=generated).delete()
            Path.objects.filter(project__in=generated).delete()
            ActivityEnrolment.objects.filter(activity__project__in=generated).delete()
            Household.objects.filter(project__in=generated).delete()
            Registration.objects.filter(project__in=generated).delete()
            Activity.objects.filter(project__in=generated).delete()
            Consent.objects.filter(person_id__in=person_ids).delete()
            Person.objects.filter(pk__in=person_ids).delete()
            generated.delete()

    def tax_code(self, rng, last, first, birth, sex):
        for level in range(4):
            code = demo_data.person_tax_code(
                last, first, birth, sex, rng.choice(PLACE_CODES), level
            )
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code
        return None  # people without a codice fiscale exist (recent arrivals)

    @transaction.atomic
    def build_project(self, rng, template: Project, number: int):
        slug = f"{SCALE_PREFIX}{number + 1:03d}"
        project = copy_fields(
            template,
            slug=slug,
            cup=f"S{number + 1:05d}{template.cup[6:]}"[:15],
            short_name=f"{template.short_name[:40]} #{number + 1}",
            title=f"{template.title[:200]} (copia sintetica {number + 1})",
            target_households=HOUSEHOLDS,
            target_people=PEOPLE,
        )
        project.save()
        project.municipalities.set(template.municipalities.all())
        axes = {}
        for axis in template.axes.all():
            axes[axis.pk] = copy_fields(axis, project_id=project.pk)
        Axis.objects.bulk_create(axes.values())
        Partnership.objects.bulk_create(
            [copy_fields(p, project_id=project.pk) for p in template.partnerships.all()]
        )
        ReportingPeriod.objects.bulk_create(
            [
                copy_fields(p, project_id=project.pk)
                for p in ReportingPeriod.objects.filter(project=template)
            ]
        )
        ProjectRole.objects.bulk_create(
            [copy_fields(r, project_id=project.pk) for r in template.roles.all()]
        )
        labs = {}
        for lab in template.labs.all():
            labs[lab.pk] = copy_fields(lab, project_id=project.pk)
        Lab.objects.bulk_create(labs.values())
        activities = []
        for activity in template.activities.all():
            lab = labs.get(activity.lab_id)
            activities.append(
                copy_fields(
                    activity,
                    project_id=project.pk,
                    axis_id=axes[activity.axis_id].pk,
                    lab_id=lab.pk if lab else None,
                )
            )
        Activity.objects.bulk_create(activities)

        # People and households: 1,000 people in 400 households, a reference person each.
        start, end = template.start_date, min(template.end_date, dt.date(2026, 6, 30))
        people, households, members, registrations = [], [], [], []
        for _i in range(PEOPLE):
            sex = rng.choice("MF")
            first = rng.choice(FIRST_M if sex == "M" else FIRST_F)
            last = rng.choice(SURNAMES)
            birth = dt.date(rng.randint(1935, 2015), rng.randint(1, 12), rng.randint(1, 28))
            people.append(
                Person(
                    first_name=first,
                    last_name=last,
                    tax_code=self.tax_code(rng, last, first, birth, sex)
                    if rng.random() > 0.05
                    else None,
                    birth_date=birth,
                    sex=sex,
                    citizenship="IT" if rng.random() < 0.75 else rng.choice(["MA", "EG", "RO"]),
                )
            )
        Person.objects.bulk_create(people, batch_size=BATCH)
        for h in range(HOUSEHOLDS):
            households.append(
                Household(
                    project=project,
                    code=f"S{number + 1:03d}-{h + 1:04d}",
                    isee_band=rng.choice(ISEE),
                    isee_year=2024,
                )
            )
        Household.objects.bulk_create(households, batch_size=BATCH)
        for i, person in enumerate(people):
            household = households[i % HOUSEHOLDS]
            relation = "reference" if i < HOUSEHOLDS else rng.choice(["partner", "child"])
            members.append(
                HouseholdMember(
                    household=household, person=person, relation=relation, start_date=start
                )
            )
            registrations.append(Registration(project=project, person=person, registered_on=start))
        HouseholdMember.objects.bulk_create(members, batch_size=BATCH)
        Registration.objects.bulk_create(registrations, batch_size=BATCH)

        # Enrolments: each activity gets a pool of people; sessions draw from it.
        pools, enrolments = {}, []
        for activity in activities:
            pool = rng.sample(people, min(len(people), PER_SESSION * 3))
            pools[activity.pk] = pool
            enrolments += [
                ActivityEnrolment(activity=activity, person=p, since=start) for p in pool
            ]
        ActivityEnrolment.objects.bulk_create(enrolments, batch_size=BATCH)

        sessions, slots = [], set()
        span = max((end - start).days, 1)
        while len(sessions) < SESSIONS:
            activity = activities[len(sessions) % len(activities)]
            day = start + dt.timedelta(days=rng.randrange(span))
            hour = rng.choice([9, 10, 14, 15, 17])
            if (activity.pk, day, hour) in slots:
                continue
            slots.add((activity.pk, day, hour))
            sessions.append(
                Session(
                    activity=activity,
                    lab_id=activity.lab_id,
                    date=day,
                    start_time=dt.time(hour, 0),
                    end_time=dt.time(hour + 2, 0),
                    duration_minutes=120,
                    state=Session.State.HELD,
                    validated_at=None,
                )
            )
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        attendances = []
        for session in sessions:
            for person in rng.sample(pools[session.activity_id], PER_SESSION):
                hours = Decimal("2.00") if rng.random() < 0.85 else Decimal("1.50")
                attendances.append(Attendance(session=session, person=person, hours=hours))
        Attendance.objects.bulk_create(attendances, batch_size=BATCH)

        # ESF paths and consents in the demo's proportion per person.
        template_paths = list(Path.objects.filter(project=template))
        template_people = template.registrations.count() or 1
        share = len(template_paths) / template_people
        paths = []
        chosen = rng.sample(people, min(len(people), round(PEOPLE * share)))
        for person, model in zip(
            chosen, template_paths * (len(chosen) // max(1, len(template_paths)) + 1), strict=False
        ):
            paths.append(
                copy_fields(
                    model,
                    person_id=person.pk,
                    project_id=project.pk,
                    axis_id=axes[model.axis_id].pk,
                )
            )
        Path.objects.bulk_create(paths, batch_size=BATCH)
        template_consents = list(
            Consent.objects.filter(person__registrations__project=template)[:200]
        )
        if template_consents:
            per_person = (
                Consent.objects.filter(person__registrations__project=template).count()
                / template_people
            )
            consents = []
            for i, person in enumerate(people):
                if rng.random() < min(per_person, 1.0):
                    model = template_consents[i % len(template_consents)]
                    consents.append(copy_fields(model, person_id=person.pk))
            Consent.objects.bulk_create(consents, batch_size=BATCH)
