"""The import pages: template, upload, the worker's check, confirmation, refused rows."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import CadreImport, CadreProfile
from forkom.accounts.models import Position, Role
from tests.cadres.test_import import plan_of, row, xlsx
from tests.conftest import make_persona, streamed


@pytest.fixture(autouse=True)
def _uploads_in_tmp(media_in_tmp):
    """Uploaded sheets go to the test's own folder."""


@pytest.fixture
def officer(bontang):
    return make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)  # Bontang Barat


def upload(client, rows, area="64.74.03", run=None, consent="on"):
    sheet = SimpleUploadedFile("kader.xlsx", xlsx(rows).getvalue())
    data = {"area": area, "file": sheet}
    if consent:
        data["consent"] = consent
    if run is None:
        return client.post(reverse("cadres:import"), data)
    with run(execute=True):
        return client.post(reverse("cadres:import"), data)


def test_the_template_has_the_indonesian_columns_and_an_example(client, officer):
    client.force_login(officer)
    response = client.get(reverse("cadres:import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, example = [[cell.value for cell in line] for line in sheet.iter_rows(max_row=2)]
    assert header[:3] == ["NIK", "Nama Lengkap", "Jenis Kelamin (L/P)"]
    assert example[1] == "Siti Aminah"
    # Every column is text below the example too: a NIK typed on row 3 in Excel kept its
    # digits only on the rows the template had written (found by a walk through the demo
    # site).
    assert sheet.column_dimensions["A"].number_format == "@"
    assert all(sheet.column_dimensions[letter].number_format == "@" for letter in "ABCDEFGHIJKL")


def test_upload_check_fix_and_confirm(client, officer, django_capture_on_commit_callbacks):
    client.force_login(officer)
    response = upload(client, [row(), row(phone="12345")], run=django_capture_on_commit_callbacks)
    cadre_import = CadreImport.objects.get()
    assert response["Location"] == cadre_import.get_absolute_url()
    page = client.get(cadre_import.get_absolute_url())
    cadre_import.refresh_from_db()
    assert (cadre_import.status, cadre_import.to_create, cadre_import.rejected) == (
        "checked", 1, 1,
    )  # fmt: skip
    assert "No HP" in page.text
    # Rows are refused: nothing can be confirmed.
    confirm = reverse("cadres:import_confirm", args=[cadre_import.public_id])
    assert client.post(confirm).status_code == 409
    assert not CadreProfile.objects.exists()

    # The refused rows, with the reason, to fix.
    rejected = client.get(reverse("cadres:import_rejected", args=[cadre_import.public_id]))
    sheet = load_workbook(io.BytesIO(streamed(rejected))).active
    lines = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert lines[1][:2] == [3, "No HP"]
    assert lines[1][3 + 5] == "12345"  # the row as it was, after line, column and reason

    upload(client, [row()], run=django_capture_on_commit_callbacks)
    fixed = CadreImport.objects.first()  # the newest
    confirm = reverse("cadres:import_confirm", args=[fixed.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm).status_code == 302
    fixed.refresh_from_db()
    assert (fixed.status, fixed.created) == ("imported", 1)
    assert not fixed.file  # the sheet is not kept once imported
    profile = CadreProfile.objects.get()
    assert (profile.status, profile.registered_by) == ("waiting", officer)
    # Confirmed again (a double tap): nothing more.
    assert client.post(confirm).status_code == 302
    assert CadreProfile.objects.count() == 1


def test_the_consent_must_be_confirmed(client, officer):
    client.force_login(officer)
    response = upload(client, [row()], consent="")
    assert response.status_code == 400
    assert not CadreImport.objects.exists()


def test_an_area_outside_the_officers_kecamatan_is_not_offered(client, officer):
    client.force_login(officer)
    response = upload(client, [row()], area="64.74.01")  # Bontang Utara
    assert response.status_code == 400
    assert not CadreImport.objects.exists()


def test_cadres_and_kelurahan_officers_have_no_import(client, cadre, kelurahan_officer):
    for user in (cadre, kelurahan_officer):
        client.force_login(user)
        assert client.get(reverse("cadres:import")).status_code == 404
        assert client.get(reverse("cadres:import_template")).status_code == 404


def test_a_bad_file_is_refused_by_the_check(client, officer, django_capture_on_commit_callbacks):
    client.force_login(officer)
    sheet = SimpleUploadedFile("kader.xlsx", b"PK\x03\x04 rusak")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cadres:import"), {"area": "64.74.03", "file": sheet, "consent": "on"})
    cadre_import = CadreImport.objects.get()
    assert cadre_import.status == "failed"
    assert cadre_import.message
    assert not CadreProfile.objects.exists()


def test_the_admin_keeps_the_import_history_of_the_region(
    client, officer, django_capture_on_commit_callbacks
):
    from tests.accounts.test_admin import with_totp

    client.force_login(officer)
    upload(client, [row()], run=django_capture_on_commit_callbacks)
    staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    client.force_login(staff)
    response = client.get(reverse("admin:cadres_cadreimport_changelist"))
    assert [item.file_name for item in response.context["cl"].result_list] == ["kader.xlsx"]
    assert reverse("cadres:import") in response.text


def test_a_sheet_nobody_confirms_is_deleted_after_a_day(
    client, officer, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(officer)
    upload(client, [row()], run=django_capture_on_commit_callbacks)
    cadre_import = CadreImport.objects.get()
    stored = cadre_import.file.name
    assert cadre_import.file.storage.exists(stored)
    call_command("prune_prepared_downloads")  # not a day old yet
    cadre_import.refresh_from_db()
    assert cadre_import.status == "checked"
    CadreImport.objects.update(uploaded_at=timezone.now() - timedelta(days=1, minutes=1))
    call_command("prune_prepared_downloads")
    cadre_import.refresh_from_db()
    assert (cadre_import.status, cadre_import.file.name) == ("failed", "")
    assert not cadre_import.file.storage.exists(stored)
    assert cadre_import.to_create == 1  # the history keeps the counts


def test_the_template_uploaded_as_it_is_imports_nobody(client, officer):
    """The template's example row (a NIK that looks real) was imported as a cadre, "Siti
    Aminah" (found by a walk through the demo site)."""
    client.force_login(officer)
    template = client.get(reverse("cadres:import_template")).content
    plan = plan_of(io.BytesIO(template), officer, area="64.74.03", name="templat.xlsx")
    assert plan.counts["created"] == 0
    [rejection] = plan.rejected
    assert rejection.column == "NIK"
    assert "example row" in rejection.reason or "contoh" in rejection.reason


def _damaged(part, change):
    """A good workbook of three rows with one of its parts changed."""
    good = zipfile.ZipFile(xlsx([row(), row(), row()]))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as out:
        for info in good.infolist():
            data = good.read(info)
            out.writestr(info, change(data) if info.filename == part else data)
    return damaged.getvalue()


@pytest.mark.parametrize(
    ("part", "change"),
    [
        ("xl/worksheets/sheet1.xml", lambda data: data[: len(data) * 2 // 3]),  # cut short
        ("xl/worksheets/sheet1.xml", lambda data: b""),
        ("xl/workbook.xml", lambda data: data[: len(data) // 2]),
        # a cell that names a shared string the table lacks
        (
            "xl/worksheets/sheet1.xml",
            lambda data: re.sub(
                rb'<c r="B2"[^>]*>.*?</c>', b'<c r="B2" t="s"><v>99999</v></c>', data
            ),
        ),
    ],
)
def test_a_damaged_workbook_ends_the_check_with_a_message_instead_of_checking_for_ever(
    client, officer, django_capture_on_commit_callbacks, part, change
):
    """The check failed in the worker and the page said "sedang diperiksa" for ever (found by
    a walk through the demo site)."""
    client.force_login(officer)
    sheet = SimpleUploadedFile("kader.xlsx", _damaged(part, change))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cadres:import"), {"area": "64.74.03", "file": sheet, "consent": "on"})
    cadre_import = CadreImport.objects.get()
    assert (cadre_import.status, cadre_import.message) == (
        "failed",
        "Berkas tidak dapat dibaca sebagai buku kerja Excel; mungkin rusak.",
    )
    assert not CadreProfile.objects.exists()
