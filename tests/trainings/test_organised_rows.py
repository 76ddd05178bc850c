"""`{% organised_rows %}` (trainings/templatetags/trainings.py) writes the rows that "Trainings
you organise" wrote with a loop (kept beside this test as organised_rows_before.html): the
same markup, escaped and localized the same way."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from forkom.territory.models import Region
from trainings.models import Training

BEFORE = (Path(__file__).parent / "organised_rows_before.html").read_text()
AFTER = "{% load trainings %}\n  {% organised_rows page.object_list %}\n"


def trainings():
    kecamatan = Region(code="64.74.01", name='Bontang "<Selatan>"')
    starts = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January in Bontang (WITA)
    return [
        Training(
            pk=pk,
            title=title,
            venue=venue,
            venue_kecamatan=kecamatan,
            starts_at=starts,
            state=state,
            seats_taken=taken,
            capacity=capacity,
        )
        for pk, title, venue, state, taken, capacity in [
            (7, 'Pelatihan <b>PKK</b> & "Posyandu"', "Aula <RW 3>", "published", 12, 30),
            (12_345, "Budi", "Balai", "draft", 0, 1_500),
            (99, "Ani's", "", "finished", 2_000, 2_000),
        ]
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_rows_are_the_loops_markup(language, settings):
    settings.TIME_ZONE = "Asia/Makassar"
    context = {"page": {"object_list": trainings()}}
    with translation.override(language):
        expected = engines["django"].from_string(BEFORE).render(context)
        written = engines["django"].from_string(AFTER).render(context)
    assert written == expected
    assert written.count("<tr>") == 3
    assert "Pelatihan &lt;b&gt;PKK&lt;/b&gt; &amp; &quot;Posyandu&quot;" in written
    assert 'href="/pelatihan/12345/peserta/"' in written


def test_the_labels_and_the_time_read_as_indonesian_writes_them(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    with translation.override("id"):
        written = (
            engines["django"].from_string(AFTER).render({"page": {"object_list": trainings()}})
        )
    assert 'data-label="Mulai"' in written
    assert 'data-label="Kursi terisi">2000 / 2000<' in written
    assert ">Terbit<" in written
    assert "01/01/2027 01.30" in written
