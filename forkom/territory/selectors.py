import functools
from typing import Any

from django.db.models import Q

from forkom import statements
from forkom.territory.codes import lineage
from forkom.territory.models import Region


def region_tree(code: str) -> Any:
    """An active region with its active children and their active children, in two queries
    (for kota → kelurahan on the home page), read through statements compiled once
    (forkom.statements): building the querysets took longer than running them (1.2 ms
    against 0.5 on the national seed)."""
    root = statements.one_by(Region, "code", code)
    if root is None or not root.is_active:
        return None, []
    below = statements.instances(_two_levels_below(Region.objects.db), code)
    children = [region for region in below if region.parent_id == code]
    grandchildren: dict[str, list[Region]] = {}
    for region in below:
        if region.parent_id != code:
            grandchildren.setdefault(region.parent_id, []).append(region)
    return root, [(child, grandchildren.get(child.code, [])) for child in children]


@functools.cache
def _two_levels_below(alias: str) -> statements.ModelStatement:
    # By the parents' codes (an index read each), not by a prefix of the code: the region
    # and its children are the parents of the rows wanted.
    parents = Region.objects.using(alias).filter(
        Q(code=statements.TEXT_PLACEHOLDER) | Q(parent_id=statements.TEXT_PLACEHOLDER)
    )
    return statements.compiled_models(
        Region.objects.using(alias)
        .active()
        .filter(parent_id__in=parents.values("code"))
        .only("code", "name", "level", "kind", "parent_id")
        .order_by("code")
    )


def children_of(code: str) -> list[Region]:
    """The active regions directly below the region `code`, in code order, read through a
    statement compiled once (a region's public page)."""
    return statements.instances(_children_statement(Region.objects.db), code)


@functools.cache
def _children_statement(alias: str) -> statements.ModelStatement:
    return statements.compiled_models(
        Region.objects.using(alias).active().filter(parent_id=statements.TEXT_PLACEHOLDER)
    )


def ancestors(region: Region) -> list[Region]:
    """The chain from the provinsi down to the region's parent, in one query."""
    codes = lineage(region.parent_id) if region.parent_id else []
    return list(Region.objects.filter(code__in=codes).order_by("level"))


def with_kecamatan(code: str) -> tuple[Region | None, list[Region]]:
    """The region `code` (a kabupaten/kota) with its parent (the province), and its active
    kecamatan by name: one query through a statement compiled once. The training catalogue's
    area filter names them on every visit; building the query each time took longer than
    running it."""
    rows = statements.instances(_with_kecamatan_statement(Region.objects.db), code)
    region = next((row for row in rows if row.code == code), None)
    return region, [row for row in rows if row.code != code]


@functools.cache
def _with_kecamatan_statement(alias: str) -> statements.ModelStatement:
    code = statements.TEXT_PLACEHOLDER
    return statements.compiled_models(
        Region.objects.using(alias)
        .filter(Q(code=code) | Q(parent_id=code, level=Region.Level.KECAMATAN, is_active=True))
        .select_related("parent")
        .only("code", "name", "level", "parent__code", "parent__name")
        .order_by("name")
    )
