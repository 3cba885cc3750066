"""One seed project from its data file: the project, its territory and households, then
its ``[[steps]]``, then everything written."""

from __future__ import annotations

from labs.models import Building, Lab, Neighbourhood, Project

from . import loader
from .households import populate_building, save_households
from .reference import create_project
from .state import Demo, ProjectBatch, flush
from .steps import run_steps


def project_municipalities(demo: Demo, data: dict) -> list:
    """``municipalities`` by name, or every municipality of the ``districts``."""
    if "districts" in data:
        districts = set(data["districts"])
        return [
            demo.municipalities[m["name"]]
            for m in loader.reference()["municipalities"]
            if m.get("district") in districts
        ]
    return [demo.municipalities[name] for name in data["municipalities"]]


def new_batch(demo: Demo, project: Project, data: dict, municipalities: list) -> ProjectBatch:
    calendar, people = data["calendar"], data.get("people", {})
    batch = ProjectBatch(
        project=project,
        today=calendar["today"],
        activity_start=calendar["activity_start"],
        ref=people.get("ref"),
        local_places=people.get("local_places", [m.name for m in municipalities]),
        suspensions=[(s["from"], s["to"], s["reason"]) for s in calendar.get("suspensions", [])],
    )
    batch.axes = {a.code: a for a in project.axes.all()}
    return batch


def build_neighbourhoods(demo: Demo, project: Project, data: dict) -> dict[str, Neighbourhood]:
    """The project's neighbourhoods (``reuse``: the one of that name if it exists)."""
    neighbourhoods = {}
    for spec in data.get("neighbourhoods", []):
        municipality = demo.municipalities[spec["municipality"]]
        if spec.get("reuse"):
            neighbourhood, _ = Neighbourhood.objects.get_or_create(
                municipality=municipality,
                name=spec["name"],
                defaults={"description": spec["description"]},
            )
        else:
            neighbourhood = Neighbourhood.objects.create(
                municipality=municipality, name=spec["name"], description=spec["description"]
            )
        neighbourhood.projects.add(project)
        neighbourhoods[spec["key"]] = neighbourhood
    return neighbourhoods


def build_labs(demo: Demo, batch: ProjectBatch, data: dict, neighbourhoods: dict) -> None:
    """The labs or hubs of the project with their operators."""
    for spec in data.get("labs", []):
        fields = {k: v for k, v in spec.items() if k not in ("key", "operators")}
        fields["municipality"] = demo.municipalities[spec["municipality"]]
        if "neighbourhood" in spec:
            fields["neighbourhood"] = neighbourhoods[spec["neighbourhood"]]
        lab = Lab.objects.create(project=batch.project, **fields)
        lab.operators.add(*(demo.users[username] for username in spec["operators"]))
        batch.labs[spec["key"]] = lab


def build_households(demo: Demo, batch: ProjectBatch, data: dict, neighbourhoods) -> None:
    """Each building with its flats and the households living there (exact figures)."""
    households = []
    for spec in data.get("buildings", []):
        building = Building.objects.create(
            neighbourhood=neighbourhoods[spec["neighbourhood"]],
            name=spec["name"],
            address=spec["address"],
            owner=demo.organisations[spec["owner"]],
            owner_code=spec["owner_code"],
            declared_units=spec["units"],
        )
        households += populate_building(demo, batch, building, spec, data["people"])
    if households:
        save_households(demo, batch, households)


def build_project(demo: Demo, name: str) -> ProjectBatch:
    """The seed project of ``data/<name>.toml``, built and written."""
    data = loader.project(name)
    project = create_project(demo, data)
    municipalities = project_municipalities(demo, data)
    project.municipalities.add(*municipalities)
    batch = new_batch(demo, project, data, municipalities)
    neighbourhoods = build_neighbourhoods(demo, project, data)
    build_labs(demo, batch, data, neighbourhoods)
    build_households(demo, batch, data, neighbourhoods)
    run_steps(demo, batch, data.get("steps", []))
    flush(batch)
    return batch
