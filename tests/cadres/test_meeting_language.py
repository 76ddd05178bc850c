"""The meeting's pages speak the reader's language: found on the demo site in English,
"Hadir (I will attend)", "Hadir: 0 · Tidak hadir: 1", "(Ketua)" and "Sekretaris, Forkom KPM
Belimbing". A position and the organiser are stored as the caller's language wrote them;
they are shown with their labels in the reader's."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from tests.cadres.test_meetings import call, member  # noqa: F401  (a fixture)


@pytest.fixture
def meeting(kecamatan_officer, member):  # noqa: F811
    with translation.override("id"):  # the site's default: stored as "Sekretaris, ..."
        return call(kecamatan_officer)


def in_english(client):
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})


def test_an_invitee_answers_with_english_buttons(client, meeting, member):  # noqa: F811
    client.force_login(member)
    in_english(client)
    page = client.get(meeting.get_absolute_url()).text
    assert "I will attend</button>" in page
    assert "I will not attend</button>" in page
    assert "Hadir" not in page
    assert "Tidak hadir" not in page
    assert "Secretary (sekretaris), Forkom KPM Bontang Barat" in page
    assert "Sekretaris" not in page


def test_the_organiser_reads_counts_and_positions_in_english(
    client,
    meeting,
    member,  # noqa: F811
    kecamatan_officer,
):
    client.force_login(member)
    client.post(reverse("meetings:answer", args=[meeting.public_id]), {"answer": "tidak_hadir"})
    client.force_login(kecamatan_officer)
    in_english(client)
    page = client.get(meeting.get_absolute_url()).text
    assert "Attending: 0 · Not attending: 1" in page
    assert "<small>Secretary (sekretaris)</small>" in page
    assert "Forum member" in page
    assert "Sekretaris" not in page
    assert "Anggota" not in page
    sheet = client.get(reverse("meetings:sheet", args=[meeting.public_id])).text
    assert "Secretary (sekretaris), Forkom KPM Bontang Barat" in sheet
    assert "Sekretaris" not in sheet
    pdf = client.get(reverse("meetings:pdf", args=[meeting.public_id]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Secretary (sekretaris), Forkom KPM Bontang Barat" in text


def test_in_indonesian_the_stored_words_read_as_before(client, meeting, kecamatan_officer):
    client.force_login(kecamatan_officer)
    page = client.get(meeting.get_absolute_url()).text
    assert "Sekretaris, Forkom KPM Bontang Barat" in page
    assert "<small>Sekretaris</small>" in page
