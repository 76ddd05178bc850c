"""Trainings coming up near a kecamatan or kelurahan, on the region's public page.

Trainings are held at a venue in a kecamatan: a kelurahan's page shows those of its kecamatan.
"""

from typing import Any

from django.utils import timezone

from forkom.scope import Viewer
from forkom.territory import sections
from forkom.territory.models import Region
from trainings import selectors
from trainings.models import Training

SHOWN = 5


def upcoming_trainings(region: Region, viewer: Viewer) -> dict[str, Any]:
    kecamatan_code = region.code if region.level == Region.Level.KECAMATAN else region.parent_id
    upcoming = (
        selectors.catalogue()
        .filter(
            state=Training.State.PUBLISHED,
            venue_kecamatan_id=kecamatan_code,
            ends_at__gte=timezone.now(),
        )
        .prefetch_related(None)
    )
    return {"trainings": list(upcoming[:SHOWN])}


sections.register(
    name="trainings",
    template="territory/sections/trainings.html",
    read=upcoming_trainings,
    order=20,
)
