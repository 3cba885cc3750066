"""The demo's data files (``data/*.toml``), read once.

Amounts are written as strings ("119640.70") and become ``Decimal`` where they are used;
dates are TOML dates; enumerations are the values stored in the database.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

#: The five seed projects, in the order they are built (their random draws follow it).
PROJECT_FILES = ["valverde", "trezzano", "adda_martesana", "rica", "milo"]


@cache
def read(name: str) -> dict:
    """The parsed ``data/<name>.toml``."""
    with open(DATA_DIR / f"{name}.toml", "rb") as file:
        return tomllib.load(file)


def reference() -> dict:
    return read("reference")


def names() -> dict:
    return read("names")


def texts() -> dict:
    return read("texts")


def project(name: str) -> dict:
    return read(name)


@cache
def demo_users() -> list[dict]:
    """Every demo account, with ``roles`` as (project slug, role) pairs and the optional
    keys filled in."""
    users = []
    for spec in reference()["users"]:
        users.append(
            {
                **spec,
                "organisation": spec.get("organisation"),
                "job_title": spec.get("job_title", ""),
                "roles": [tuple(role) for role in spec["roles"]],
            }
        )
    return users
