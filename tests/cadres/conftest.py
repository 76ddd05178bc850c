import datetime

import pytest

from cadres.models import Forum


@pytest.fixture
def formed_belimbing_forum(kelurahan_officer):
    """The Belimbing kelurahan forum, formed: its ketua (kelurahan_officer) and its SK."""
    return Forum.objects.create(
        region_id="64.74.03.1001",
        sk_number="01/SK/FORKOM-BELIMBING/2026",
        sk_date=datetime.date(2026, 3, 1),
    )
