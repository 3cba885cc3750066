"""What `make test` and `make run` set up on a bare machine: the Debian tools
(.ci/system-deps.sh) and the locked Python environment (requirements.lock).

The script is run with a PATH that holds only stand-ins (``id``, ``apt-get`` and the
tools found), so that a tool the machine has is still "missing" here and nothing is
installed for real."""

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "system-deps.sh"
TOOLS = ["chromium", "pdftotext", "pdffonts", "pdftoppm", "msgfmt"]


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def fake_path(tmp_path):
    """A bin folder for PATH with ``id`` answering root and an ``apt-get`` that logs its
    arguments and, on install, puts the tools of the packages it was given in place."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    _stub(bin_, "id", 'echo "${FAKE_UID:-0}"')
    tools = {"chromium": "chromium", "poppler-utils": "pdftotext pdffonts pdftoppm"}
    tools["gettext"] = "msgfmt"
    cases = " ".join(f'{package}) tools="$tools {names}" ;;' for package, names in tools.items())
    _stub(
        bin_,
        "apt-get",
        f'echo "$*" >> "{tmp_path}/apt.log"\n'
        '[ "$1" = install ] || exit 0\n'
        '[ -n "$FAKE_APT_BROKEN" ] && exit 0\n'
        'tools=""\n'
        f'for package in "$@"; do case "$package" in {cases} *) ;; esac; done\n'
        f'for tool in $tools; do printf "#!/bin/sh\\n" > "{bin_}/$tool"; '
        f'/bin/chmod +x "{bin_}/$tool"; done',
    )
    return bin_


def run_script(bin_: Path, *tools: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/sh", str(SCRIPT), *tools],
        env={"PATH": str(bin_), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def apt_log(bin_: Path) -> list[str]:
    log = bin_.parent / "apt.log"
    return log.read_text().splitlines() if log.exists() else []


def test_root_gets_every_missing_package_installed_once(fake_path):
    result = run_script(fake_path, *TOOLS)
    assert result.returncode == 0, result.stderr
    assert apt_log(fake_path) == ["update -qq", "install -y -qq chromium poppler-utils gettext"]
    assert "installing chromium poppler-utils gettext" in result.stdout


def test_only_the_missing_packages_are_installed(fake_path):
    for tool in ("chromium", "msgfmt"):
        _stub(fake_path, tool, "")
    result = run_script(fake_path, *TOOLS)
    assert result.returncode == 0, result.stderr
    assert apt_log(fake_path)[-1] == "install -y -qq poppler-utils"


def test_nothing_is_installed_when_every_tool_is_there(fake_path):
    for tool in TOOLS:
        _stub(fake_path, tool, "")
    result = run_script(fake_path, *TOOLS)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert apt_log(fake_path) == []


def test_anyone_else_is_told_the_exact_command_and_make_stops(fake_path):
    result = run_script(fake_path, *TOOLS, FAKE_UID="1000")
    assert result.returncode == 1
    assert "sudo sh -c 'apt-get update && apt-get install -y chromium poppler-utils gettext'" in (
        result.stderr
    )
    assert apt_log(fake_path) == []


def test_a_package_that_does_not_bring_its_tool_fails(fake_path):
    result = run_script(fake_path, "msgfmt", FAKE_APT_BROKEN="1")
    assert result.returncode == 1
    assert "still missing after apt-get install: gettext" in result.stderr


def test_make_test_and_make_run_check_their_tools_first():
    def dry_run(target: str) -> list[str]:
        out = subprocess.run(
            ["make", "--no-print-directory", "-n", "-C", str(ROOT), target],
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin"},
        ).stdout
        return out.splitlines()

    test = dry_run("test")
    assert test[0] == "sh .ci/system-deps.sh " + " ".join(TOOLS)
    assert any("pytest" in line and "--durations=10" in line for line in test)
    run = dry_run("run")
    assert run[0] == "sh .ci/system-deps.sh msgfmt"
    assert "runserver" in run[-1]


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_the_lock_pins_every_dependency_of_pyproject_with_hashes():
    """`make lock` must run after a change to pyproject.toml's dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _pins(project["dependencies"] + project["optional-dependencies"]["dev"])
    text = (ROOT / "requirements.lock").read_text()
    entries = re.findall(
        r"^([A-Za-z0-9][\w.-]*)==(\S+) \\\n((?:\s+--hash=sha256:\w+.*\n)+)", text, re.M
    )
    locked = {re.sub(r"[-_.]+", "-", n).lower(): v for n, v, _hashes in entries}
    stale = {name: v for name, v in wanted.items() if locked.get(name) != v}
    assert not stale, f"pyproject.toml pins missing from requirements.lock, run make lock: {stale}"
    assert "setuptools" in locked  # the build backend of `pip install --no-build-isolation`
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9][\w.-]*==", text, re.M))
