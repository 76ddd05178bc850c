"""Data saya as a person reads it: a page and a PDF in Indonesian, besides the JSON."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.cadres.factories import make_profile
from tests.conftest import make_user


@pytest.fixture
def siti(bontang):
    return make_profile(user=make_user("siti@test.forkom.id"), full_name="Siti Rahmawati").user


def test_the_page_labels_every_section_in_indonesian(client, siti):
    client.force_login(siti)
    page = client.get(reverse("cadres:my_data_page"), HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")  # never cached
    text = page.text
    for label in ("Profil kader", "Nama lengkap", "Tanggal lahir", "Persetujuan", "Akun Anda"):
        assert label in text, label
    assert "Siti Rahmawati" in text
    assert "full_name" not in text  # no raw keys
    # A list of names (fields of work, training needs) is a name a line, not "1.: name".
    assert ".:</span>" not in text
    assert "Perempuan" in text or "Laki-laki" in text  # the code "P" or "L" read as a word
    profile = siti.cadre_profile
    assert profile.phone.startswith("+62")
    assert profile.phone not in text  # stored +62…, written 08…-…-… as everywhere else
    assert profile.phone_display in text
    # An empty section says so, as an empty list does, instead of a heading over nothing.
    assert "Notifikasi:</span> tidak ada" in text


def test_email_choices_read_as_they_apply_defaults_included(client, siti):
    """Data saya said "Notifikasi yang juga dikirim lewat email: tidak ada" to a person who
    had chosen nothing, while decisions about them went out by email by default (found by a
    walk through the demo site): every kind is listed as it applies."""
    client.force_login(siti)

    def applies():
        page = client.get(reverse("cadres:my_data_page"), HTTP_ACCEPT_LANGUAGE="id")
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
        assert "cadre_decision" not in text  # the kind's name, not its code
        return dict(re.findall(r"Jenis notifikasi: (.+?) Juga lewat email: (Ya|Tidak)", text))

    before = applies()
    assert before["Keputusan tentang profil kader saya"] == "Ya"  # on by default
    assert before["Pengumuman"] == "Tidak"  # off by default
    client.post(
        reverse("notifications:preferences"),
        {"email_announcement": "on", "email_cadre_decision": "on"},
    )
    after = applies()
    assert after["Pengumuman"] == "Ya"  # chosen
    assert after["Undangan rapat"] == "Tidak"  # on by default, turned off
    assert after["Keputusan tentang profil kader saya"] == "Ya"


def test_the_pdf_holds_the_same(client, siti):
    client.force_login(siti)
    response = client.get(reverse("cadres:my_data_pdf"), HTTP_ACCEPT_LANGUAGE="id")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Siti Rahmawati" in text
    assert "Nama lengkap" in text
