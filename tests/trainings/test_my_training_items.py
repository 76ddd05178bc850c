"""`{% my_training_items %}` (trainings/templatetags/trainings.py) writes the sign-ups of
"Pelatihan saya" that its template loops wrote (kept beside this test as
my_training_items_before.html): the same markup for every way a sign-up can stand, escaped,
translated and localized the same way."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import TemplateSyntaxError, engines
from django.utils import translation

from forkom.territory.models import Region
from trainings.models import Registration, Training

BEFORE = (Path(__file__).parent / "my_training_items_before.html").read_text()
AFTER = """{% load trainings %}
<ul class="upcoming">
  {% my_training_items mine.upcoming "upcoming" %}
</ul>
<ul class="waitlisted">
  {% my_training_items mine.waitlisted "waitlisted" %}
</ul>
<ul class="attended">
  {% my_training_items mine.attended "attended" %}
</ul>
<ul class="past">
  {% my_training_items mine.past "past" %}
</ul>
"""
Status = Registration.Status
State = Training.State


def sign_up(pk, status=Status.REGISTERED, *, attended=False, state=State.PUBLISHED, **more):
    training = Training(
        pk=pk,
        title=f'Pelatihan <b>{pk}</b> & "Posyandu"',
        venue="Aula <RW 3>",
        venue_kecamatan=Region(code="64.74.01", name='Bontang "<Selatan>"'),
        # 1 January in Bontang (WITA): the local day, not UTC's, is written.
        starts_at=datetime(2026, 12, 31, 17, 30, tzinfo=UTC),
        state=state,
    )
    registration = Registration(training=training, status=status, attended=attended)
    registration.training_id = pk
    for name, value in more.items():
        setattr(registration, name, value)
    return registration


def mine():
    return {
        "upcoming": [sign_up(1), sign_up(2)],
        "waitlisted": [sign_up(3, Status.WAITLISTED, position=1), sign_up(4, position=1500)],
        "attended": [
            sign_up(5, attended=True, state=State.FINISHED),  # the certificate is ready
            sign_up(6, attended=True),  # not closed yet
        ],
        "past": [
            sign_up(7, Status.CANCELLED),
            sign_up(8, state=State.CANCELLED),
            sign_up(9, Status.WAITLISTED, state=State.FINISHED),
            sign_up(10, state=State.FINISHED),
        ],
    }


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_items_are_the_loops_markup(language, settings):
    settings.TIME_ZONE = "Asia/Makassar"
    context = {"mine": mine()}
    with translation.override(language):
        expected = engines["django"].from_string(BEFORE).render(context)
        written = engines["django"].from_string(AFTER).render(context)
    assert written == expected
    assert written.count("<li>") == 10
    assert "Pelatihan &lt;b&gt;1&lt;/b&gt; &amp; &quot;Posyandu&quot;" in written


def test_each_item_says_what_indonesian_says(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    with translation.override("id"):
        written = engines["django"].from_string(AFTER).render({"mine": mine()})
    items = written.split("<li>")[1:]
    said = [
        "Anda mendapat kursi",
        "Anda mendapat kursi",
        "Nomor 1 dalam daftar tunggu",
        "Nomor 1500 dalam daftar tunggu",
        'href="/pelatihan/5/sertifikat.pdf"',
        "sertifikat tersedia setelah panitia menutup",
        "Anda telah membatalkan pendaftaran.",
        "Pelatihan ini dibatalkan.",
        "Tidak ada kursi yang kosong untuk Anda.",
        "Tidak tercatat hadir.",
    ]
    for item, words in zip(items, said, strict=True):
        assert words in item, (words, item)
    assert '<time datetime="2027-01-01T01:30:00+08:00">1 Januari 2027' in items[0]
    assert "Aula &lt;RW 3&gt;, Bontang &quot;&lt;Selatan&gt;&quot;" in items[0]


def test_a_section_the_page_does_not_have_is_refused():
    with pytest.raises((ValueError, TemplateSyntaxError)):
        engines["django"].from_string(
            '{% load trainings %}{% my_training_items mine "elsewhere" %}'
        ).render({"mine": []})
