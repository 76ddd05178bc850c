"""The forum of a kecamatan or kelurahan, on the region's public page (territory.sections)."""

from typing import Any

from cadres.announcements.selectors import public_about
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


def announcements(region: Region, viewer: Viewer) -> dict[str, Any]:
    return {"announcements": public_about(region.code), "code": region.code}


sections.register(
    name="announcements",
    template="territory/sections/announcements.html",
    read=announcements,
    order=5,
)
