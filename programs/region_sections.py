"""A kecamatan's or kelurahan's accepted programmes and published innovations, on the region's
public page (forkom.territory.sections)."""

from typing import Any

from forkom.scope import Viewer
from forkom.territory import sections
from forkom.territory.models import Region
from programs import selectors
from programs.innovations import selectors as innovation_selectors

SHOWN = 5


def programmes(region: Region, viewer: Viewer) -> dict[str, Any]:
    return {"proposals": list(selectors.public_rows(selectors.public_keys(region.code)[:SHOWN]))}


def innovations(region: Region, viewer: Viewer) -> dict[str, Any]:
    published = (
        innovation_selectors.published_innovations()
        .filter(kelurahan_id__in=Region.objects.within(region.code).values("code"))
        .prefetch_related(None)
    )
    kecamatan_code = region.code if region.level == Region.Level.KECAMATAN else region.parent_id
    return {"innovations": list(published[:SHOWN]), "kecamatan_code": kecamatan_code}


sections.register(
    name="programmes",
    template="territory/sections/programmes.html",
    read=programmes,
    order=30,
)
sections.register(
    name="innovations",
    template="territory/sections/innovations.html",
    read=innovations,
    order=40,
)
