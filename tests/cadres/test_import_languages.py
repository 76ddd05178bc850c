"""What the worker stores about an import reads in the reader's language: the worker speaks
the site's (Indonesian), a Dinas staff member or officer may read the site in English."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cadres.imports import services
from cadres.imports.services import import_cadres
from cadres.models import CadreImport
from forkom import texts
from forkom.accounts.models import Position, Role
from forkom.errors import DomainError
from forkom.territory.models import Region
from tests.cadres.test_import import plan_of, row, xlsx
from tests.conftest import make_persona, streamed

PHONE_EN = "Enter an Indonesian mobile number, such as 0812-3456-7890."
PHONE_ID = "Masukkan nomor HP Indonesia, misalnya 0812-3456-7890."
NIK_EN = "A NIK has exactly 16 digits (0-9); this one has 5 characters."
NIK_ID = "NIK terdiri dari tepat 16 angka (0-9); yang ini berisi 5 karakter."
DAMAGED_EN = "The file could not be read as an Excel workbook; it may be damaged."
DAMAGED_ID = "Berkas tidak dapat dibaca sebagai buku kerja Excel; mungkin rusak."


@pytest.fixture(autouse=True)
def _uploads_in_tmp(media_in_tmp):
    """Uploaded sheets go to the test's own folder."""


@pytest.fixture
def officer(bontang):
    return make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)  # Bontang Barat


def checked_by_the_worker(officer, content, name="kader.xlsx"):
    """An upload checked as the worker checks it: in the site's language."""
    area = Region.objects.get(code="64.74.03")
    cadre_import = CadreImport.objects.create(
        uploaded_by=officer,
        area=area,
        file=SimpleUploadedFile(name, content),
        file_name=name,
    )
    with translation.override("id"):
        services.run_check(cadre_import.pk)
    cadre_import.refresh_from_db()
    return cadre_import


def read_in(client, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})


def rejected_sheet(client, cadre_import, *, title):
    response = client.get(reverse("cadres:import_rejected", args=[cadre_import.public_id]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(streamed(response))).active
    assert sheet.title == title  # the tab, in the reader's language too
    return [[cell.value for cell in line] for line in sheet.iter_rows()]


def test_rejected_rows_checked_in_indonesian_read_in_english_on_the_page_and_the_download(
    client, officer
):
    cadre_import = checked_by_the_worker(
        officer, xlsx([row(), row(phone="12345"), row(nik="12345")]).getvalue()
    )
    assert (cadre_import.status, cadre_import.rejected) == ("checked", 2)
    client.force_login(officer)

    read_in(client, "en")
    page = client.get(cadre_import.get_absolute_url()).text
    assert PHONE_EN in page
    assert NIK_EN in page
    assert PHONE_ID not in page
    assert NIK_ID not in page
    lines = rejected_sheet(client, cadre_import, title="Rejected")
    assert lines[0][:3] == ["Line", "Column", "Reason"]
    assert [line[:3] for line in lines[1:]] == [[3, "No HP", PHONE_EN], [4, "NIK", NIK_EN]]

    read_in(client, "id")
    page = client.get(cadre_import.get_absolute_url()).text
    assert PHONE_ID in page
    assert NIK_ID in page
    assert PHONE_EN not in page
    lines = rejected_sheet(client, cadre_import, title="Ditolak")
    assert [line[2] for line in lines[1:]] == [PHONE_ID, NIK_ID]


def test_a_refused_file_s_message_reads_in_the_reader_s_language_page_and_admin(client, officer):
    from tests.accounts.test_admin import with_totp

    cadre_import = checked_by_the_worker(officer, b"PK\x03\x04 rusak")
    assert cadre_import.status == "failed"
    # The site's language stays in `message` (what the history and older code read).
    assert (cadre_import.message, cadre_import.other_messages) == (DAMAGED_ID, {"en": DAMAGED_EN})

    client.force_login(officer)
    read_in(client, "en")
    page = client.get(cadre_import.get_absolute_url()).text
    assert DAMAGED_EN in page
    assert DAMAGED_ID not in page
    read_in(client, "id")
    assert DAMAGED_ID in client.get(cadre_import.get_absolute_url()).text

    staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    client.force_login(staff)
    read_in(client, "en")
    change = reverse("admin:cadres_cadreimport_change", args=[cadre_import.pk])
    page = client.get(change).text
    assert DAMAGED_EN in page
    assert DAMAGED_ID not in page


def test_a_check_run_while_english_is_active_still_keeps_the_site_language_in_message(
    officer,
):
    area = Region.objects.get(code="64.74.03")
    cadre_import = CadreImport.objects.create(
        uploaded_by=officer,
        area=area,
        file=SimpleUploadedFile("kader.xlsx", b"PK\x03\x04 rusak"),
        file_name="kader.xlsx",
    )
    with translation.override("en"):
        services.run_check(cadre_import.pk)
    cadre_import.refresh_from_db()
    assert (cadre_import.message, cadre_import.other_messages) == (DAMAGED_ID, {"en": DAMAGED_EN})


def test_an_unconfirmed_sheet_s_message_reads_in_english(client, officer):
    from datetime import timedelta

    from django.utils import timezone

    cadre_import = checked_by_the_worker(officer, xlsx([row()]).getvalue())
    CadreImport.objects.update(uploaded_at=timezone.now() - timedelta(days=2))
    with translation.override("id"):
        assert services.prune_unconfirmed_imports() == 1
    client.force_login(officer)
    read_in(client, "en")
    page = client.get(cadre_import.get_absolute_url()).text
    assert "Not confirmed within a day: the sheet was deleted. Upload it again." in page


def test_an_import_stored_before_with_plain_strings_still_shows_them(client, officer):
    cadre_import = CadreImport.objects.create(
        uploaded_by=officer,
        area=Region.objects.get(code="64.74.03"),
        file_name="lama.xlsx",
        status=CadreImport.Status.CHECKED,
        rejected=1,
        message="Pesan lama.",
        rejections=[[3, "No HP", "Alasan lama.", ["6474035708900001", "Siti"]]],
    )
    client.force_login(officer)
    for language, title in (("en", "Rejected"), ("id", "Ditolak")):
        read_in(client, language)
        page = client.get(cadre_import.get_absolute_url()).text
        assert "Pesan lama." in page
        assert "Alasan lama." in page
        lines = rejected_sheet(client, cadre_import, title=title)
        assert lines[1][:5] == [3, "No HP", "Alasan lama.", "6474035708900001", "Siti"]


def test_a_row_refused_while_writing_reads_in_english_too(officer):
    """The write checks each row again (register_assisted): its refusal, wrapped in "Line N:
    ... Nothing was imported.", is stored in every language like the check's."""
    with translation.override("id"):
        plan = plan_of(xlsx([row(kelurahan="Belimbing")]), officer, area="64.74.03")
        [(_line, details)] = plan.create
        details["kelurahan"].is_active = False  # closed between the check and the write
        with pytest.raises(DomainError) as refused:
            import_cadres(actor=officer, plan=plan)
    assert texts.in_each_language(refused.value.message) == {
        "id": "Baris 2: Pilih kelurahan atau desa yang masih berlaku. Tidak ada yang diimpor.",
        "en": "Line 2: Choose a current kelurahan or desa. Nothing was imported.",
    }
