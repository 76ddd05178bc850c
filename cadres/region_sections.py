"""The forum of a kecamatan or kelurahan, on the region's public page (territory.sections)."""

from typing import Any

from cadres.forums import selectors as forum_selectors
from forkom.scope import Viewer
from forkom.territory import sections
from forkom.territory.models import Region


def forum(region: Region, viewer: Viewer) -> dict[str, Any]:
    row, kelurahan_rows = forum_selectors.forum_page(region.code)
    return {
        "row": row,
        "kelurahan_rows": kelurahan_rows,
        "kelurahan_total": len(kelurahan_rows),
        "kelurahan_formed": sum(child.formed for child in kelurahan_rows),
    }


sections.register(name="forum", template="territory/sections/forum.html", read=forum, order=10)
