"""The imports offered, by the slug used in URLs and in the command."""

from .people import PeopleImporter

IMPORTERS = {cls.kind: cls for cls in (PeopleImporter,)}


def importer_for(kind: str):
    return IMPORTERS.get(kind)
