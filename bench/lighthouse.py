"""Lighthouse (mobile preset) on the main pages, as a project lead and as a partner
operator, against the production static set-up (issue #20, point 6; docs/frontend.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_demo \\
        .venv/bin/python bench/lighthouse.py --serve          # = make lighthouse
    .venv/bin/python bench/lighthouse.py --base http://127.0.0.1:8000 --only dashboard,register

With --serve the script runs what `make serve` runs, on a free loopback port and with a
throw-away SECRET_KEY: collectstatic (whitenoise's compressed, hashed files), then
gunicorn with config.settings.production, DEBUG off. Only the settings that assume a TLS
proxy in front are relaxed, through their environment variables (SECURE_SSL_REDIRECT,
SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE = false), so that http://127.0.0.1 works; the
production defaults are untouched. The database must hold the demo (`manage.py
seed_demo`); the script only reads it, to pick the pages' ids.

Each user logs in through the login form; Lighthouse gets the session cookie with
--extra-headers. Lighthouse is the npm package pinned in bench/package.json (`npm ci
--prefix bench` installs it into bench/node_modules, git-ignored), run with Debian's
Chromium (CHROME_PATH, default /usr/bin/chromium). Scores depend on the CPU: the script
prints the load average before and after.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
PASSWORD = "quartieri-demo-2026"  # the demo users' password (reporting/demo/reference.py)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"


def production_environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("--serve needs DATABASE_URL=postgres://... (a database with the demo)")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=env.get("WEB_CONCURRENCY", "3"),
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = production_environment(port)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    log = log_path.open("w")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/health/", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"gunicorn did not answer on {base}; see {log_path}")


def log_in(base: str, username: str) -> tuple[urllib.request.OpenerDirector, str]:
    """The login form, as a browser posts it; returns an opener and the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        sys.exit(f"could not log in as {username}")
    return opener, "; ".join(f"{k}={v}" for k, v in cookies.items())


def status(opener, url: str) -> int:
    try:
        return opener.open(url).status
    except urllib.error.HTTPError as error:
        return error.code


def main_pages(project_slug: str) -> dict[str, dict[str, str]]:
    """Paths of the main pages for each role, ids read from the demo database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from beneficiaries.models import Person
    from labs.models import Project, ProjectRole, ReportingPeriod, Session

    project = Project.objects.get(slug=project_slug)
    lead = ProjectRole.objects.filter(project=project, role="lead").first().user
    partner_role = ProjectRole.objects.filter(
        project=project, role="partner_operator", user__username__startswith="partner."
    ).first()
    partner = partner_role.user
    p = f"/progetti/{project.slug}"
    period = ReportingPeriod.objects.filter(project=project).order_by("start_date").first()
    common = {
        "home": "/",
        "dashboard": f"{p}/",
        "people": f"{p}/persone/",
        "households": f"{p}/nuclei/",
        "sessions": f"{p}/incontri/",
        "report-period": f"{p}/relazioni/periodi/{period.pk}/",
        "budget": f"{p}/budget/",
        "programme": f"/programmi/{project.programme.code}/",
    }
    pages = {}
    for role, user in (("lead", lead), ("partner", partner)):
        # The partner's own organisation's sessions: the register they fill on a tablet.
        sessions = Session.objects.filter(activity__project=project, state="held")
        if role == "partner":
            sessions = sessions.filter(activity__organisation=partner_role.organisation_id)
        session = sessions.order_by("-date").first()
        person = (
            Person.objects.filter(attendances__session=session).order_by("pk").first()
            if role == "partner"
            else Person.objects.filter(registrations__project=project).order_by("pk").first()
        )
        pages[role] = {
            "user": user.get_username(),
            **common,
            "person": f"{p}/persone/{person.pk}/",
            "register": f"{p}/incontri/{session.pk}/registro/",
        }
    return pages


def lighthouse(url: str, cookie: str | None, out: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(command, check=True, env=env, cwd=BENCH)
    report = json.loads(out.read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    audits = report["audits"]
    scores["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    scores["lcp"] = audits["largest-contentful-paint"]["numericValue"]
    scores["tbt"] = audits["total-blocking-time"]["numericValue"]
    scores["final"] = report.get("finalDisplayedUrl") or report.get("finalUrl")
    return scores


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="a running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--serve", action="store_true", help="start gunicorn (production)")
    parser.add_argument("--project", default="valverde", help="demo project slug")
    parser.add_argument("--roles", default="lead,partner")
    parser.add_argument("--only", help="comma-separated page names (default: all)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--keep", type=Path, help="keep the Lighthouse reports in this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: npm ci --prefix bench")
    if not shutil.which(os.environ.get("CHROME_PATH", "/usr/bin/chromium")):
        sys.exit("Chromium not found: apt-get install chromium (or set CHROME_PATH)")
    if not (args.base or args.serve):
        parser.error("give --base URL or --serve")

    workdir = Path(args.keep or tempfile.mkdtemp(prefix="lighthouse-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    server = None
    if args.serve:
        server, base = serve(workdir / "gunicorn.log")
    else:
        base = args.base.rstrip("/")
    try:
        pages = main_pages(args.project)
        only = set(args.only.split(",")) if args.only else None
        results = []
        print(f"Lighthouse mobile preset, {base}, load average before: {load()}")
        print(
            f"{'role':8} {'page':14} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} "
            f"{'CLS':>6} {'LCP ms':>7} {'TBT ms':>7}  path"
        )
        for role in args.roles.split(","):
            role_pages = dict(pages[role])
            username = role_pages.pop("user")
            opener, cookie = log_in(base, username)
            targets = list(role_pages.items()) + [("login", "/accounts/login/")]
            for name, path in targets:
                if only and name not in only:
                    continue
                url = base + path
                if name != "login" and (code := status(opener, url)) != 200:
                    print(f"{role:8} {name:14} HTTP {code}: not a page of this role  {path}")
                    continue
                out = workdir / f"{role}-{name}.json"
                s = lighthouse(url, None if name == "login" else cookie, out)
                if urllib.parse.urlparse(s["final"]).path != path:
                    sys.exit(f"{url} ended on {s['final']}: not logged in?")
                results.append({"role": role, "page": name, "path": path, "load": load(), **s})
                print(
                    f"{role:8} {name:14} {s['performance']:4} {s['accessibility']:4} "
                    f"{s['best-practices']:4} {s['seo']:4} {s['cls']:6.3f} {s['lcp']:7.0f} "
                    f"{s['tbt']:7.0f}  {path}",
                    flush=True,
                )
        print(f"load average after: {load()}")
        if results:
            perf = [r["performance"] for r in results]
            print(
                f"performance {min(perf)}–{max(perf)}, worst CLS "
                f"{max(r['cls'] for r in results):.3f}, accessibility min "
                f"{min(r['accessibility'] for r in results)}, best practices min "
                f"{min(r['best-practices'] for r in results)}"
            )
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
