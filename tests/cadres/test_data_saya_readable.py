"""Data saya as a person reads it: a page and a PDF in Indonesian, besides the JSON."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cadres.meetings import services as meeting_services
from forkom.notifications.models import Notification
from forkom.pdf import latin1
from tests.cadres.factories import make_profile
from tests.conftest import make_user
from tests.trainings.factories import make_cadre, make_training
from trainings import services as training_services


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


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("id", "Pendaftaran kader Anda: Terverifikasi", "Your cadre registration: Verified"),
        ("en", "Your cadre registration: Verified", "Pendaftaran kader Anda: Terverifikasi"),
    ],
)
def test_notification_subjects_read_in_the_readers_language_the_download_keeps_them(
    client, settings, siti, language, shown, not_shown
):
    """The inbox showed each subject in the reader's language, Data saya in the site's."""
    Notification.objects.create(
        user=siti,
        kind="cadre_decision",
        subject="Pendaftaran kader Anda: Terverifikasi",
        other_subjects={"en": "Your cadre registration: Verified"},
    )
    client.force_login(siti)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("cadres:my_data_page")).text
    assert shown in page
    assert not_shown not in page
    response = client.get(reverse("cadres:my_data_pdf"))
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert shown in re.sub(r"\s+", " ", pdf)
    # The download keeps what is stored: the site's language, and every other one.
    [notification] = client.get(reverse("cadres:download")).json()["notifications"]
    assert notification["subject"] == "Pendaftaran kader Anda: Terverifikasi"
    assert notification["other_subjects"] == [
        {"language": "en", "subject": "Your cadre registration: Verified"}
    ]


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        (
            "id",
            [
                "Status pelatihan: Dibatalkan",
                "Status pendaftaran: Terdaftar",
                "Pendaftaran dibatalkan pada: —",
            ],
            ["Keadaan:", "Status: Terdaftar", "Dibatalkan pada:"],
        ),
        (
            "en",
            [
                "Training status: Cancelled",
                "Sign-up status: Registered",
                "Sign-up cancelled at: —",
            ],
            ["State:", "Status: Registered", "Cancelled at:"],
        ),
    ],
)
def test_a_sign_up_to_a_cancelled_training_says_whose_status_is_which(
    client, settings, staff, language, shown, not_shown
):
    """The training's "Keadaan: Dibatalkan" stood beside the sign-up's "Status: Terdaftar":
    the cadre read that they were registered and cancelled at once (found by a walk)."""
    training = make_training()
    profile = make_cadre(user=make_user("siti@test.forkom.id"))
    training_services.sign_up(actor=profile.user, training=training, profile=profile)
    training_services.cancel_training(actor=staff, training=training, note="Aula tidak tersedia")
    client.force_login(profile.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("cadres:my_data_page"))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    pdf = client.get(reverse("cadres:my_data_pdf")).content
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    pdf_text = re.sub(r"\s+", " ", pdf_text)
    for line in shown:
        assert line in text, line
        assert latin1(line) in pdf_text, line  # the PDF's dash is a hyphen
    for words in not_shown:
        assert words not in text, words
    # The download keeps its keys and stored codes.
    [row] = client.get(reverse("cadres:download")).json()["training_registrations"]
    assert (row["training"]["state"], row["status"]) == ("cancelled", "registered")


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("id", ["Rapat pengurus", "Status rapat: Dibatalkan", "Jawaban Anda: Hadir"]),
        (
            "en",
            ["Rapat pengurus", "Meeting status: Cancelled", "Your answer: Will attend (hadir)"],
        ),
    ],
)
def test_an_invitation_to_a_cancelled_meeting_says_the_meeting_was_cancelled(
    client, settings, bontang, kecamatan_officer, language, shown
):
    """The invitation read "Jawaban Anda: Hadir" and nothing of the meeting's being
    cancelled since: the export did not hold the meeting's state (noted at stop 45)."""
    from cadres.forums import services as forum_services
    from cadres.models import Meeting
    from forkom.territory.models import Region
    from tests.programs.factories import make_verified_profile
    from tests.site.test_closed_accounts import meeting_inviting

    user = make_user("siti@test.forkom.id")
    profile = make_verified_profile(user, full_name="Siti Rahmawati")
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code="64.74.03"))
    forum_services.add_member(actor=kecamatan_officer, forum=forum, profile=profile)
    meeting = meeting_inviting(user, kecamatan_officer)
    meeting_services.answer_invitation(actor=user, meeting=meeting, answer="hadir")
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.CANCELLED)  # as in the admin
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(reverse("cadres:my_data_page")).text)
    )
    pdf = client.get(reverse("cadres:my_data_pdf")).content
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    pdf_text = re.sub(r"\s+", " ", pdf_text)
    for line in shown:
        assert line in text, line
        assert latin1(line) in pdf_text, line
    # The download keeps the stored code.
    [row] = client.get(reverse("cadres:download")).json()["meeting_invitations"]
    assert (row["meeting_state"], row["answer"]) == ("cancelled", "hadir")


# The loop the page's template ran over the lines before personal_data_readable.html wrote
# them (stop 55), word for word.
TEMPLATE_LOOP = Path(__file__).with_name("my_data_lines_before.html")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_lines_are_written_as_the_template_wrote_them(
    client, settings, bontang, kecamatan_officer, language
):
    """Headings at each depth, values with and without a label, lists of names, empty
    sections, and a name, an address and a skill that need escaping."""
    from django.template import Context, Template
    from django.utils import translation

    from cadres.forums import services as forum_services
    from cadres.models import Field, Topic
    from forkom import personal_data_readable
    from forkom.territory.models import Region
    from tests.programs.factories import make_verified_profile
    from tests.site.test_closed_accounts import meeting_inviting

    user = make_user("siti@test.forkom.id")
    profile = make_verified_profile(user, full_name='Siti <b>&amp; "Rahma"</b>')
    profile.address = "Jl. <script>alert('x')</script> & Gg. 3"
    profile.skills = "Menjahit & <i>membatik</i>"
    profile.save()
    profile.fields.set([Field.objects.create(name="Ekonomi <kreatif> & UMKM", sort_order=99)])
    profile.training_needs.set([Topic.objects.create(name="Pemasaran & <daring>")])
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code="64.74.03"))
    forum_services.add_member(actor=kecamatan_officer, forum=forum, profile=profile)
    meeting_inviting(user, kecamatan_officer)
    training = make_training(title="Pelatihan <Menjahit> & Bordir")
    training_services.sign_up(actor=user, training=training, profile=profile)
    with translation.override(language):
        lines = personal_data_readable.lines(user)
        written = personal_data_readable.html(lines)
        looped = Template(TEMPLATE_LOOP.read_text()).render(Context({"lines": lines}))
    assert {line.depth for line in lines} >= {0, 1, 2}
    assert any(line.text is not None and not line.label for line in lines)  # a list's name
    assert "&lt;script&gt;" in written
    assert "<script>" not in written

    def tags_and_text(html):
        return re.sub(r">\s+<", "><", html).strip()

    assert tags_and_text(written) == tags_and_text(looped)
