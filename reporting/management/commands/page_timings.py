"""``manage.py page_timings``: server time and SQL queries of the main staff pages.

Runs on the current database after ``seed_demo``: signs in as the demo users with
Django's test client (no network, no browser) and asks each page N times. Prints page,
URL, role, queries, median and 95th percentile in milliseconds. Read only.
"""

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import Household, Path, Person
from labs.models import Building, Project, ResidentReport, Session
from reporting import demo as demo_data

SLUG = demo_data.VALVERDE_SLUG


def _first(queryset):
    obj = queryset.order_by("pk").first()
    if obj is None:
        raise CommandError("Demo data missing: run `manage.py seed_demo` first.")
    return obj.pk


def pages(project):
    """(page, url, username) for the main pages, objects taken from the demo project."""
    p = {"project": project.slug}
    person = _first(Person.objects.filter(registrations__project=project))
    household = _first(Household.objects.filter(project=project))
    building = _first(Building.objects.in_projects(project))
    session = _first(Session.objects.filter(activity__project=project, attendances__isnull=False))
    report = _first(ResidentReport.objects.filter(project=project))
    lead, social, partner = "lead.valverde", "social.valverde", "partner.valverde"
    return [
        ("Home", reverse("home"), lead),
        ("Cruscotto", reverse("reporting:dashboard", kwargs=p), lead),
        ("Cruscotto (Regione)", reverse("reporting:dashboard", kwargs=p), "officer.regione"),
        ("Persone", reverse("people:person-list", kwargs=p), social),
        ("Persone, ricerca", reverse("people:person-list", kwargs=p) + "?q=ros", social),
        ("Persone (partner)", reverse("people:person-list", kwargs=p), partner),
        ("Scheda persona", reverse("people:person-detail", kwargs={**p, "pk": person}), social),
        ("Nuclei", reverse("households:household-list", kwargs=p), social),
        (
            "Scheda nucleo",
            reverse("households:household-detail", kwargs={**p, "pk": household}),
            social,
        ),
        ("Territorio", reverse("territory:territory", kwargs=p), social),
        ("Edificio", reverse("territory:building-detail", kwargs={**p, "pk": building}), social),
        ("Possibili doppioni", reverse("people:duplicate-list", kwargs=p), social),
        ("Attività", reverse("labs:activity-list", kwargs=p), lead),
        ("Incontri", reverse("labs:session-list", kwargs=p), lead),
        ("Calendario", reverse("labs:session-calendar", kwargs=p), lead),
        ("Incontro", reverse("labs:session-detail", kwargs={**p, "pk": session}), lead),
        ("Registro", reverse("registers:register-edit", kwargs={**p, "pk": session}), lead),
        ("Segnalazioni", reverse("labs:resident-report-list", kwargs=p), lead),
        ("Segnalazione", reverse("labs:resident-report-detail", kwargs={**p, "pk": report}), lead),
        ("Registro delle modifiche", reverse("reporting:audit-log", kwargs=p), lead),
        ("Rapporti", reverse("reporting:report-list", kwargs=p), lead),
        ("Bilancio", reverse("budget:budget", kwargs=p), lead),
    ]


class Command(BaseCommand):
    help = "Tempo di risposta del server e query SQL delle pagine principali (dati demo)."

    def add_arguments(self, parser):
        parser.add_argument("-n", "--repeat", type=int, default=20)
        parser.add_argument("--markdown", action="store_true", help="Tabella in Markdown.")

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=SLUG).first()
        if project is None:
            raise CommandError("Demo data missing: run `manage.py seed_demo` first.")
        users = get_user_model().objects
        counts = (Person.objects.count(), Household.objects.count(), Path.objects.count())
        self.stdout.write(
            f"{connection.vendor}: {counts[0]} persone, {counts[1]} nuclei, {counts[2]} percorsi"
        )
        hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"]
        host = "localhost" if "localhost" in hosts or not hosts else hosts[0]
        rows = []
        for page, url, username in pages(project):
            client = Client(HTTP_HOST=host)
            client.force_login(users.get(username=username))
            client.get(url)  # warm up: templates, caches
            times = []
            for _ in range(options["repeat"]):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} as {username}: {response.status_code}")
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            rows.append((page, url, username, len(queries), statistics.median(times), p95))
        self._print(rows, options["markdown"])

    def _print(self, rows, markdown):
        if markdown:
            self.stdout.write("| Pagina | URL | Utente | Query | Mediana ms | p95 ms |")
            self.stdout.write("|---|---|---|---:|---:|---:|")
            for page, url, user, q, med, p95 in rows:
                self.stdout.write(f"| {page} | `{url}` | {user} | {q} | {med:.0f} | {p95:.0f} |")
            return
        for page, url, user, q, med, p95 in rows:
            self.stdout.write(f"{page:<26} {url:<58} {user:<17} {q:>4} {med:>7.1f} {p95:>7.1f}")
