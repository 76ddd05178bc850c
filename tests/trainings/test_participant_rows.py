"""`{% seated_rows %}` and `{% waitlist_rows %}` (trainings/templatetags/trainings.py) write
the rows that the participants page's loops wrote (kept beside this test as
participant_rows_before.html): the same markup, escaped and localized the same way."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from cadres.models import CadreProfile
from forkom.territory.models import Region
from trainings.models import Registration, Training

BEFORE = (Path(__file__).parent / "participant_rows_before.html").read_text()
AFTER = (
    "{% load trainings %}    {% seated_rows seated takes_attendance %}\n"
    "<!-- waitlist -->\n  {% waitlist_rows waiting %}\n"
)


def registrations():
    kelurahan = Region(code="64.74.03.1001", name='Belimbing "<Lama>"')
    signed_up = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January in Bontang (WITA)
    rows = []
    for pk, name, nik, attended, bodies in [
        (7, 'Siti <b>Aminah</b> & "Rina"', "6474024312880001", True, "PKK, Posyandu <RW 3>"),
        (12_345, "Budi", None, False, ""),
        (99, "Ani O'Neil", "6474024312880002", False, "Karang Taruna"),
    ]:
        profile = CadreProfile(full_name=name, nik=nik, kelurahan=kelurahan)
        registration = Registration(pk=pk, profile=profile, attended=attended)
        registration.created_at = signed_up
        registration.bodies = bodies
        rows.append(registration)
    return rows


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("takes_attendance", [True, False])
def test_the_rows_are_the_loops_markup(language, takes_attendance, settings):
    settings.TIME_ZONE = "Asia/Makassar"
    rows = registrations()
    context = {"seated": rows, "waiting": rows[::-1], "takes_attendance": takes_attendance}
    with translation.override(language):
        expected = engines["django"].from_string(BEFORE).render(context)
        written = engines["django"].from_string(AFTER).render(context)
    assert written == expected
    assert written.count("<tr>") == 6
    assert "Siti &lt;b&gt;Aminah&lt;/b&gt; &amp; &quot;Rina&quot;" in written
    assert ("disabled" in written) is not takes_attendance
    assert written.count(" checked") == 1


def test_the_labels_and_the_time_read_as_indonesian_writes_them(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    rows = registrations()
    with translation.override("id"):
        written = (
            engines["django"]
            .from_string(AFTER)
            .render({"seated": rows, "waiting": rows, "takes_attendance": True})
        )
    assert 'aria-label="Budi hadir"' in written
    assert 'data-label="Hadir"' in written
    assert 'data-label="Mendaftar pada"' in written
    assert "01/01/2027 01.30" in written


SHEET_BEFORE = (Path(__file__).parent / "sheet_rows_before.html").read_text()
SHEET_AFTER = "{% load trainings %}\n  {% sheet_rows rows %}\n"


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("count", [3, 0])
def test_the_daftar_hadir_rows_are_the_loops_markup(language, count):
    context = {"rows": registrations()[:count]}
    with translation.override(language):
        expected = engines["django"].from_string(SHEET_BEFORE).render(context)
        written = engines["django"].from_string(SHEET_AFTER).render(context)
    assert written == expected
    assert written.count("<tr>") == max(count, 1)
    assert ('colspan="5"' in written) is (count == 0)
    if count:
        assert "<td>Siti &lt;b&gt;Aminah&lt;/b&gt; &amp; &quot;Rina&quot;</td>" in written
        assert '<td class="sheet-number">3</td>' in written
    else:
        assert (language == "id") is ("Belum ada yang mendaftar" in written)


ATTENDED_BEFORE = (Path(__file__).parent / "attended_items_before.html").read_text()
ATTENDED_AFTER = "{% load trainings %}\n  {% attended_items registrations own %}\n"


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("own", [True, False])
def test_the_trainings_attended_are_the_loops_markup(language, own, settings):
    settings.TIME_ZONE = "Asia/Makassar"
    starts = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January in Bontang (WITA)
    rows = [
        Registration(training=Training(pk=pk, title=title, starts_at=starts), training_id=pk)
        for pk, title in [(7, 'Pelatihan <b>PKK</b> & "Posyandu"'), (12_345, "Budi")]
    ]
    context = {"registrations": rows, "own": own}
    with translation.override(language):
        expected = engines["django"].from_string(ATTENDED_BEFORE).render(context)
        written = engines["django"].from_string(ATTENDED_AFTER).render(context)
    assert written == expected
    assert written.count("<li>") == 2
    assert '<time datetime="2027-01-01">' in written
    assert "Pelatihan &lt;b&gt;PKK&lt;/b&gt; &amp; &quot;Posyandu&quot;" in written
    assert ('href="/pelatihan/12345/sertifikat.pdf"' in written) is own
