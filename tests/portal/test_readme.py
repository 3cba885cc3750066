"""The README is true: every command of its ``sh`` blocks runs here, or is checked as far
as a test can without starting a server or a worker.

- ``make ...``: a real target, whose dry run (``make -n``) shows what the README says;
- ``.venv/bin/python manage.py seed_demo`` and ``progress_report``: run for real on the
  test database (the demo loaded once for the module and removed at the end);
- any other ``manage.py`` command: it exists and accepts the arguments shown;
- ``createdb``: it creates the database the next lines point ``DATABASE_URL`` at.

A command of a new kind fails ``test_every_command_is_checked`` until it is handled here.
"""

import io
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

from reporting import demo as demo_data

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
MANAGE = ".venv/bin/python manage.py "
RUN_FOR_REAL = {"seed_demo", "progress_report"}


def readme_commands() -> list[str]:
    """The commands of the ``sh`` blocks: continuation lines joined, comments dropped."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", README, flags=re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                commands.append(" ".join(line.split()))
    return commands


COMMANDS = readme_commands()
MAKE = [c for c in COMMANDS if re.match(r"(\w+=\S+ )*make ", c)]
MANAGE_PY = [c for c in COMMANDS if "manage.py" in c]
CREATEDB = [c for c in COMMANDS if c.startswith("createdb ")]


def manage_args(command: str) -> list[str]:
    """The arguments after ``manage.py``; ``[--option]`` (optional) as ``--option``."""
    return [arg.strip("[]") for arg in shlex.split(command.removeprefix(MANAGE))]


def test_every_command_is_checked():
    assert len(COMMANDS) >= 10, COMMANDS  # the blocks were found
    assert sorted(MAKE + MANAGE_PY + CREATEDB) == sorted(COMMANDS)
    # The venv's Python, never a bare `python manage.py` (no Django outside the venv).
    assert all(c.startswith(MANAGE) for c in MANAGE_PY), MANAGE_PY
    assert {"make run", "make test", "make lock"} <= set(MAKE)


# What each target's dry run must contain: its last step.
LAST_STEP = {"run": "manage.py runserver", "test": "pytest", "lock": "pip-compile"}


@pytest.mark.parametrize("command", MAKE)
def test_make_command_is_a_real_target(command):
    words = command.split()
    assignments, targets = words[: words.index("make")], words[words.index("make") + 1 :]
    env = {"PATH": "/usr/bin:/bin", **dict(a.split("=", 1) for a in assignments)}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *targets],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for target in targets:
        assert LAST_STEP[target] in result.stdout, (command, result.stdout)


@pytest.mark.parametrize("command", [c for c in MANAGE_PY if manage_args(c)[0] not in RUN_FOR_REAL])
def test_manage_command_accepts_the_arguments_shown(command):
    name, *args = manage_args(command)
    command_class = load_command_class(get_commands()[name], name)
    # Raises CommandError on an unknown option or a missing or invalid argument.
    options = command_class.create_parser("manage.py", name).parse_args(args)
    if name == "import_data":  # the example imports into a demo project as a demo user
        assert options.project in demo_data.PROJECT_SLUGS
        assert options.user in {user["username"] for user in demo_data.DEMO_USERS}


def test_createdb_creates_the_database_the_url_names():
    assert CREATEDB
    for command in CREATEDB:
        args = shlex.split(command)
        host, user, name = args[args.index("-h") + 1], args[args.index("-U") + 1], args[-1]
        url = f"DATABASE_URL=postgres://{user}@{host}:5432/{name} "
        assert any(c.startswith(url) for c in MAKE), (command, url)


def test_demo_logins_are_those_the_demo_creates():
    table = re.search(r"\| username \| role \| project \|\n(.*?)\n\n", README, flags=re.S)
    shown = set(re.findall(r"`([a-z]+\.[a-z]+|admin)`", table.group(1)))
    assert shown == {user["username"] for user in demo_data.DEMO_USERS}
    assert f"**`{demo_data.DEMO_PASSWORD}`**" in README


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The README's seed_demo command, run once for the module."""
    (seed,) = [c for c in MANAGE_PY if manage_args(c)[0] == "seed_demo"]
    with django_db_blocker.unblock():
        call_command(*manage_args(seed), stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        demo_data.delete_demo()


@pytest.mark.django_db
def test_seed_demo_and_progress_report_run(seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reports = [c for c in MANAGE_PY if manage_args(c)[0] == "progress_report"]
    assert len(reports) == 2
    for command in reports:
        args = manage_args(command)
        stdout = io.StringIO()
        call_command(*args, stdout=stdout)
        output = tmp_path / args[args.index("--output") + 1]
        assert output.read_bytes().startswith(b"%PDF-"), command
        assert re.search(r"\b[0-9a-f]{64}\b", stdout.getvalue()), stdout.getvalue()
