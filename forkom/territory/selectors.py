from typing import Any

from forkom.territory.codes import lineage
from forkom.territory.models import Region


def region_tree(code: str) -> Any:
    """A region with its children and grandchildren, in two queries (for kota → kelurahan)."""
    root = Region.objects.active().filter(code=code).first()
    if root is None:
        return None, []
    below = list(
        Region.objects.active()
        .below(code)
        .filter(level__lte=root.level + 2)
        .only("code", "name", "level", "kind", "parent_id")
    )
    children = [region for region in below if region.level == root.level + 1]
    grandchildren: dict[str, list[Region]] = {}
    for region in below:
        if region.level == root.level + 2:
            grandchildren.setdefault(region.parent_id, []).append(region)
    return root, [(child, grandchildren.get(child.code, [])) for child in children]


def ancestors(region: Region) -> list[Region]:
    """The chain from the provinsi down to the region's parent, in one query."""
    codes = lineage(region.parent_id) if region.parent_id else []
    return list(Region.objects.filter(code__in=codes).order_by("level"))
