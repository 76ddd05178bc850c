"""What the apps show on the public page of a kecamatan or kelurahan, collected by registration.

The core cannot import the apps, yet a region's page shows its forum (cadres), trainings
nearby (trainings), accepted programmes and published innovations (programs). Each app
declares its part in `<app>/region_sections.py` with `register`, as Django's admin collects
`admin.py`; the page renders the declared templates in `order`. A section reads only what
anyone may see, and returns None when it has nothing to say about the region.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

from forkom.scope import Viewer
from forkom.territory.models import Region

MODULE_NAME = "region_sections"
# Regions whose page carries the sections: where the forum and its people are.
SECTION_LEVELS = (Region.Level.KECAMATAN, Region.Level.DESA_KELURAHAN)


@dataclass(frozen=True)
class Declaration:
    name: str
    template: str
    read: Callable[[Region, Viewer], dict[str, Any] | None]
    order: int


@dataclass(frozen=True)
class Section:
    """One rendered part of the page: its template and what it read."""

    name: str
    template: str
    data: dict[str, Any]


_declarations: dict[str, Declaration] = {}
_discovered = False


def register(
    *,
    name: str,
    template: str,
    read: Callable[[Region, Viewer], dict[str, Any] | None],
    order: int,
) -> None:
    """Declare a section; called once per section from `<app>/region_sections.py`."""
    _declarations[name] = Declaration(name, template, read, order)


def declarations() -> list[Declaration]:
    global _discovered
    if not _discovered:
        autodiscover_modules(MODULE_NAME)
        _discovered = True
    return sorted(_declarations.values(), key=lambda declaration: declaration.order)


def sections_for(region: Region, viewer: Viewer) -> list[Section]:
    """The sections of an active kecamatan's or kelurahan's page, each app's in its order."""
    if not region.is_active or region.level not in SECTION_LEVELS:
        return []
    sections = []
    for declaration in declarations():
        data = declaration.read(region, viewer)
        if data is not None:
            sections.append(Section(declaration.name, declaration.template, data))
    return sections
