"""`{% training_cards %}` (trainings/templatetags/trainings.py) writes the catalogue's cards
that its template partial wrote (kept beside this test as training_cards_before.html): the
same markup for every state a card can tell, escaped, translated and localized the same
way."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from cadres.models import Topic
from forkom.territory.models import Region
from trainings.models import Registration, Training

BEFORE = (Path(__file__).parent / "training_cards_before.html").read_text()
AFTER = "{% load trainings %}{% training_cards pairs now %}\n"
NOW = datetime(2027, 1, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def training(pk, *, upcoming=True, opens=-DAY, closes=DAY, taken=0, capacity=30, topics=()):
    kecamatan = Region(code="64.74.01", name='Bontang "<Selatan>"')
    found = Training(
        pk=pk,
        title=f'Pelatihan <b>{pk}</b> & "Posyandu"',
        venue="Aula <RW 3>",
        venue_kecamatan=kecamatan,
        starts_at=datetime(2026, 12, 31, 17, 30, tzinfo=UTC),  # 1 January in Bontang (WITA)
        registration_opens_at=NOW + opens,
        registration_closes_at=NOW + closes,
        seats_taken=taken,
        capacity=capacity,
    )
    found.is_upcoming = upcoming
    found.topic_list = [Topic(name=name) for name in topics]
    return found


def sign_up(status, attended=False):
    return Registration(status=status, attended=attended)


Status = Registration.Status


def pairs():
    return [
        # Attended, with topics that need escaping.
        (
            training(1, upcoming=False, topics=["Kewirausahaan & UMKM", "<Pemasaran>"]),
            sign_up(Status.REGISTERED, attended=True),
        ),
        (training(2, upcoming=False), None),  # taken place
        (training(3), sign_up(Status.REGISTERED)),
        (training(4), sign_up(Status.WAITLISTED)),
        (training(5, opens=DAY * 40, closes=DAY * 50), None),  # opens on 12 February
        (training(6, opens=-DAY * 5, closes=-DAY), None),  # closed
        (training(7, taken=29), None),  # one seat left
        (training(8, taken=0, capacity=1_500), None),  # 1500 seats left
        (training(9, taken=30), sign_up(Status.CANCELLED)),  # full
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_cards_are_the_partials_markup(language, settings):
    settings.TIME_ZONE = "Asia/Makassar"
    context = {"pairs": pairs(), "now": NOW}
    with translation.override(language):
        expected = engines["django"].from_string(BEFORE).render(context)
        written = engines["django"].from_string(AFTER).render(context)
    assert written == expected
    assert written.count('<li class="card training-card">') == 9
    assert "Pelatihan &lt;b&gt;1&lt;/b&gt; &amp; &quot;Posyandu&quot;" in written
    assert "Kewirausahaan &amp; UMKM · &lt;Pemasaran&gt;" in written


def test_each_card_says_what_indonesian_says(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    with translation.override("id"):
        written = engines["django"].from_string(AFTER).render({"pairs": pairs(), "now": NOW})
    cards = written.split('<li class="card training-card">')[1:]
    said = [
        "Anda hadir",
        "Sudah berlangsung",
        "Anda terdaftar",
        "Anda dalam daftar tunggu",
        "Pendaftaran dibuka pada 12 Februari 2027",
        "Pendaftaran sudah ditutup",
        "sisa 1 kursi",
        "sisa 1500 kursi",
        "Penuh",
    ]
    for card, words in zip(cards, said, strict=True):
        assert words in card, (words, card)
    assert '<time datetime="2027-01-01T01:30:00+08:00">' in cards[0]
    assert 'href="/pelatihan/7/"' in cards[6]
