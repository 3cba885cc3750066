"""Load test (issue #9): simulated users of mixed roles against gunicorn on loopback.

    bench/loadtest.sh            # starts gunicorn, runs this for 3 minutes with 50 users

Roles and weights: project leads and social workers read lists, people and dashboards and
write case notes; partner operators open sessions and registers; the regional officer
reads dashboards. Every case note written carries the run's marker, and its successful
POST is counted in ``$LOADTEST_WRITES`` (one line per write), so that after the run the
rows in the database can be compared with the writes the users saw succeed.
"""

from __future__ import annotations

import os
import random
import re
import uuid

from locust import HttpUser, between, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "quartieri-demo-2026")
RUN = os.environ.get("LOADTEST_RUN", "LOADTEST")
WRITES = os.environ.get("LOADTEST_WRITES", "/tmp/loadtest-writes.log")
PROJECT_LINK = re.compile(r'href="/progetti/(scala-\d+)/"')
PERSON_LINK = re.compile(r'href="/progetti/[\w-]+/persone/(\d+)/"')
SESSION_LINK = re.compile(r'href="/progetti/[\w-]+/incontri/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    usernames: list[str] = []

    def on_start(self):
        self.username = random.choice(self.usernames)
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
        )
        home = self.client.get("/", name="home")
        self.projects = PROJECT_LINK.findall(home.text) or ["valverde"]
        self.people = {}
        self.sessions = {}

    @property
    def project(self):
        return random.choice(self.projects)

    def person_ids(self, project):
        if project not in self.people:
            page = self.client.get(f"/progetti/{project}/persone/", name="person list")
            self.people[project] = PERSON_LINK.findall(page.text)
        return self.people[project]

    def session_ids(self, project):
        if project not in self.sessions:
            page = self.client.get(f"/progetti/{project}/incontri/", name="session list")
            self.sessions[project] = SESSION_LINK.findall(page.text)
        return self.sessions[project]


class StaffUser(PortalUser):
    """Project leads and social workers."""

    weight = 6
    usernames = [
        "lead.valverde",
        "lead.trezzano",
        "lead.martesana",
        "lead.rica",
        "lead.milo",
        "social.valverde",
        "social.trezzano",
        "social.martesana",
        "social.rica",
    ]

    @task(3)
    def dashboard(self):
        self.client.get(f"/progetti/{self.project}/", name="dashboard")

    @task(3)
    def household_list(self):
        self.client.get(f"/progetti/{self.project}/nuclei/?q=S0", name="household list filtered")

    @task(4)
    def person_detail(self):
        project = self.project
        ids = self.person_ids(project)
        if ids:
            pk = random.choice(ids)
            self.client.get(f"/progetti/{project}/persone/{pk}/", name="person detail")

    @task(2)
    def sessions(self):
        self.client.get(f"/progetti/{self.project}/incontri/", name="session list")

    @task(1)
    def write_case_note(self):
        project = self.project
        ids = self.person_ids(project)
        if not ids:
            return
        pk = random.choice(ids)
        url = f"/progetti/{project}/persone/{pk}/diario/nuova/"
        form = self.client.get(url, name="case note form")
        found = CSRF.search(form.text)
        if not found:
            return
        marker = f"{RUN}-{uuid.uuid4()}"
        with self.client.post(
            url,
            {"date": "23/11/2026", "text": marker, "csrfmiddlewaretoken": found.group(1)},
            name="case note POST",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                with open(WRITES, "a") as log:
                    log.write(marker + "\n")
                response.success()
            else:
                response.failure(f"case note not saved: {response.status_code}")


class PartnerUser(PortalUser):
    weight = 3
    usernames = ["partner.valverde", "partner.trezzano", "tutor.valverde", "tutor.afol"]

    @task(2)
    def sessions(self):
        self.client.get(f"/progetti/{self.project}/incontri/", name="session list")

    @task(3)
    def register(self):
        project = self.project
        ids = self.session_ids(project)
        if ids:
            pk = random.choice(ids)
            self.client.get(f"/progetti/{project}/incontri/{pk}/", name="session detail")


class OfficerUser(PortalUser):
    weight = 1
    usernames = ["officer.regione"]

    @task
    def dashboard(self):
        self.client.get(f"/progetti/{self.project}/", name="dashboard")

    @task
    def home(self):
        self.client.get("/", name="home")
