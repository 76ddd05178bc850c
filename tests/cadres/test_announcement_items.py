"""`{% announcement_items %}` (cadres/templatetags/announcements.py) writes what the partial
announcements/_item.html wrote per item (kept beside this test as
announcement_item_before.html): the same markup, escaped and localized the same way."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from cadres.models import Announcement
from cadres.templatetags.announcements import announcement_items
from forkom.territory.models import Region

BEFORE = (Path(__file__).parent / "announcement_item_before.html").read_text()


def announcements():
    kelurahan = Region(code="64.74.03.1001", name='Belimbing "<Lama>"')
    published = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January in Bontang (WITA)
    return [
        Announcement(
            region=kelurahan,
            title="Rapat <b>koordinasi</b> & evaluasi",
            signed_as="Koordinator Kota Bontang",
            pinned=True,
            audience="cadres",
            published_at=published,
            edited_at=published,
        ),
        Announcement(
            region=kelurahan, title="Pelatihan", signed_as="Forkom <KPM>", audience="public"
        ),
        Announcement(region=kelurahan, title="Draf", signed_as="Ketua", published_at=published),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_items_are_the_partials_markup(language):
    rows = announcements()
    partial = engines["django"].from_string(BEFORE)
    with translation.override(language):
        expected = "".join(partial.render({"announcement": row}) for row in rows)
        written = announcement_items(rows)
    assert written == expected
    assert "Rapat &lt;b&gt;koordinasi&lt;/b&gt; &amp; evaluasi" in written
    assert written.count('<li class="announcement-item">') == 3


def test_the_date_is_bontangs(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    with translation.override("en"):
        written = announcement_items(announcements()[:1])
    assert 'datetime="2027-01-01T01:30:00+08:00"' in written
    assert announcement_items([]) == ""


def test_the_labels_read_as_indonesian_writes_them():
    """Addressed "kepada" a region, not "menjadi" (the "to" of a change of state), and the
    labels found in the catalogue although the code writes them into f-strings."""
    with translation.override("id"):
        written = announcement_items(announcements())
    assert "· kepada Belimbing" in written
    assert "menjadi" not in written
    assert "Disematkan" in written
    assert "· diubah" in written
    assert "· hanya kader" in written
