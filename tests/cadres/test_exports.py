"""CSV and XLSX exports of the cadre list: same scope and filters, NIK masked."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadres import exports, services
from cadres.models import Body, CadreProfile, ExportJob, Field, Topic
from forkom.accounts import services as account_services
from forkom.accounts.models import Position, Role
from forkom.territory.models import Region
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_nik, make_profile
from tests.conftest import make_persona, streamed

ADMIN_CHANGELIST = "/admin/cadres/cadreprofile/"


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    text = streamed(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def read_xlsx(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(streamed(response)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def export(client, format, **filters):
    response = client.get(reverse("cadres:export", args=[format]), filters)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return read_csv(response) if format == "csv" else read_xlsx(response)


@pytest.fixture
def bontang_utara_officer(bontang):
    return make_persona(Role.FORUM_OFFICER, "64.74.01", Position.KETUA)


@pytest.fixture
def utara_and_selatan(bontang):
    utara = make_profile(
        full_name="Kader Utara",
        kelurahan="64.74.01.1002",
        birth_place="Tenggarong",
        fields=[Field.objects.get(name="Ekonomi kreatif/UMKM")],
        memberships=[
            (Body.objects.get(name="Posyandu"), "Kader", 2019),
            (Body.objects.get(name="PKK"), "", None),
        ],
    )
    selatan = make_profile(full_name="Kader Selatan", kelurahan="64.74.02.1001")
    return utara, selatan


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_an_officer_of_bontang_utara_exports_none_of_bontang_selatan(
    client, bontang_utara_officer, utara_and_selatan, format
):
    _, selatan = utara_and_selatan
    client.force_login(bontang_utara_officer)
    rows = export(client, format)
    assert [row[0] for row in rows[1:]] == ["Kader Utara"]
    flat = repr(rows)
    assert "Kader Selatan" not in flat
    assert selatan.nik not in flat
    # Searching by name finds nothing either; a kelurahan out of reach is not even a choice.
    assert export(client, format, name="Selatan")[1:] == []
    response = client.get(
        reverse("cadres:export", args=[format]), {"name": "Selatan", "kelurahan": "64.74.02.1001"}
    )
    assert response.status_code == 400
    assert "Kader Selatan" not in response.content.decode()


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_export_masks_the_nik_and_leaves_out_birth_date_and_address(
    client, staff, utara_and_selatan, format
):
    utara, _ = utara_and_selatan
    # Dinas staff see the full NIK on screen, never in an export; phone numbers only once they
    # have turned on two-factor authentication.
    client.force_login(staff)
    header, row = export(client, format, name="Utara")
    assert len(header) == 8
    assert "0812-3456-7890" not in row
    client.force_login(with_totp(staff))
    rows = export(client, format, name="Utara")
    header, row = rows
    assert len(header) == 9
    assert row[:2] == ["Kader Utara", utara.masked_nik]
    assert row[3:5] == ["Bontang Baru", "Bontang Utara"]
    assert row[5] == "Posyandu, PKK"
    assert row[6] == "Ekonomi kreatif/UMKM"
    assert row[8] == "0812-3456-7890"
    # Less the masked NIK, whose last four digits, a test's serial number, could read 1990.
    flat = repr(rows).replace(utara.masked_nik, "")
    for hidden in (utara.nik, "1990", "Katamso", "Tenggarong"):
        assert hidden not in flat


def test_the_xlsx_opens_with_openpyxl_and_has_the_header_row(client, staff, utara_and_selatan):
    client.force_login(staff)
    response = client.get(reverse("cadres:export", args=["xlsx"]), {"language": "en"})
    workbook = load_workbook(io.BytesIO(streamed(response)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[0] in {"Name", "Nama"}
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.max_row == 3
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_export_applies_the_lists_filters(
    client, kelurahan_officer, utara_and_selatan, format
):
    verified = make_profile(full_name="Kader Terverifikasi")
    make_profile(full_name="Kader Menunggu")
    services.verify_cadre(actor=kelurahan_officer, profile=verified)
    client.force_login(kelurahan_officer)
    names = [row[0] for row in export(client, format, status="verified")[1:]]
    assert names == ["Kader Terverifikasi"]
    names = [row[0] for row in export(client, format)[1:]]
    assert names == ["Kader Menunggu", "Kader Terverifikasi"]


def test_the_list_and_the_export_filter_by_body_field_and_training_need(client, staff):
    umkm = Field.objects.get(name="Ekonomi kreatif/UMKM")
    topic = Topic.objects.first()
    pkk = Body.objects.get(name="PKK")
    make_profile(full_name="Kader PKK", memberships=[(pkk, "Anggota", 2020)])
    make_profile(full_name="Kader UMKM", fields=[umkm], training_needs=[topic])
    client.force_login(staff)
    for filters, expected in [
        ({"body": pkk.pk}, ["Kader PKK"]),
        ({"field": umkm.pk}, ["Kader UMKM"]),
        ({"training_need": topic.pk}, ["Kader UMKM"]),
        ({}, ["Kader PKK", "Kader UMKM"]),
    ]:
        response = client.get(reverse("cadres:list"), filters)
        assert [row.full_name for row, _ in response.context["rows"]] == expected
        assert [row[0] for row in export(client, "csv", **filters)[1:]] == expected


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_cell_that_looks_like_a_formula_stays_text(client, staff, format):
    make_profile(full_name='=HYPERLINK("http://evil.example","klik")')
    client.force_login(staff)
    response = client.get(reverse("cadres:export", args=[format]))
    if format == "csv":
        assert read_csv(response)[1][0].startswith("'=")
    else:
        workbook = load_workbook(io.BytesIO(streamed(response)))
        cell = workbook.active["A2"]
        # Typed as text, and quoted too: it stays harmless if the sheet is saved as CSV.
        assert (cell.data_type, cell.value) == ("s", '\'=HYPERLINK("http://evil.example","klik")')


@pytest.mark.parametrize("persona", ["cadre", "outsider_without_role"])
def test_people_without_a_cadre_list_get_404(client, request, bontang, persona):
    if persona == "cadre":
        user = request.getfixturevalue("cadre")
    else:
        user = make_persona(Role.CADRE, "64.74.01.1001")
    client.force_login(user)
    for format in ("csv", "xlsx"):
        assert client.get(reverse("cadres:export", args=[format])).status_code == 404


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_filter_value_that_is_not_a_choice_is_refused_instead_of_exporting_everything(
    client, staff, utara_and_selatan, format
):
    client.force_login(staff)
    response = client.get(reverse("cadres:export", args=[format]), {"status": "bogus"})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "Kader Utara" not in response.content.decode()


def test_an_unknown_format_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("cadres:export", args=["pdf"])).status_code == 404


def _export_queries(client, format, count):
    CadreProfile.objects.all().delete()
    posyandu, pkk = Body.objects.get(name="Posyandu"), Body.objects.get(name="PKK")
    fields = list(Field.objects.all()[:2])
    for _ in range(count):
        make_profile(
            nik=make_nik(),
            kelurahan="64.74.02.1001",
            memberships=[(posyandu, "Kader", 2019), (pkk, "", None)],
            fields=fields,
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cadres:export", args=[format]))
        rows = read_csv(response) if format == "csv" else read_xlsx(response)
    assert len(rows) == count + 1
    return len(queries)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_export_query_count_does_not_grow_with_the_rows(client, staff, format):
    client.force_login(staff)
    assert _export_queries(client, format, 1) == _export_queries(client, format, 50)


# --- Admin action -------------------------------------------------------------------------


def test_staff_export_the_selected_cadres_from_the_admin(client, staff, utara_and_selatan):
    utara, _ = utara_and_selatan
    third = make_profile(full_name="Kader Ketiga")
    client.force_login(with_totp(staff))
    response = client.post(
        ADMIN_CHANGELIST, {"action": "export_xlsx", "_selected_action": [utara.pk, third.pk]}
    )
    assert response.status_code == 200
    rows = read_xlsx(response)
    assert sorted(row[0] for row in rows[1:]) == ["Kader Ketiga", "Kader Utara"]
    assert utara.nik not in repr(rows)
    assert utara.masked_nik in repr(rows)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_coordinators_export_has_no_phone_numbers(
    client, coordinator, utara_and_selatan, format
):
    """The coordinator reads the kota's cadres without their contact details, as on a cadre's
    page; forum officers and Dinas staff keep the phone column for their own area."""
    client.force_login(coordinator)
    header, *rows = export(client, format)
    assert len(header) == 8
    assert sorted(row[0] for row in rows) == ["Kader Selatan", "Kader Utara"]
    # The number in every form, not a part of it: a masked NIK ends in a test's serial number.
    for number in ("0812-3456-7890", "081234567890", "+6281234567890", "3456-7890"):
        assert number not in repr(rows)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_an_officer_who_is_also_coordinator_gets_phones_only_for_their_own_area(
    client, bontang, utara_and_selatan, format
):
    both = make_persona(Role.CITY_COORDINATOR, "64.74")
    account_services.grant_role(
        actor=None,
        user=both,
        role=Role.FORUM_OFFICER,
        region=Region.objects.get(code="64.74.01"),
        position=Position.SEKRETARIS,
    )
    client.force_login(both)
    _header, *rows = export(client, format)
    phones = {row[0]: row[8] or "" for row in rows}  # XLSX reads an empty cell as None
    assert phones == {"Kader Utara": "0812-3456-7890", "Kader Selatan": ""}


# Long lists, built by the worker


def test_a_long_xlsx_is_prepared_by_the_worker_and_downloaded_by_who_asked(
    client, settings, staff, utara_and_selatan, media_in_tmp, django_capture_on_commit_callbacks
):
    client.force_login(with_totp(staff))
    settings.FORKOM_EXPORT_IN_BACKGROUND_ROWS = 10
    direct = export(client, "xlsx", name="Kader")  # short: built in the request
    assert len(direct) == 3  # the header and two cadres
    settings.FORKOM_EXPORT_IN_BACKGROUND_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("cadres:export", args=["xlsx"]), {"name": "Kader"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cadres:prepared_downloads")
    job = ExportJob.objects.get()
    assert (job.status, job.row_count, job.requested_by) == ("ready", 2, staff)
    page = client.get(reverse("cadres:prepared_downloads"))
    link = reverse("cadres:prepared_download", args=[job.public_id])
    assert link in page.text
    assert read_xlsx(client.get(link)) == direct

    # Nobody else, not even staff of the same region.
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64")))
    assert client.get(link).status_code == 404
    assert link not in client.get(reverse("cadres:prepared_downloads")).text


def test_prepared_files_are_deleted_after_a_day(
    client, settings, staff, utara_and_selatan, media_in_tmp, django_capture_on_commit_callbacks
):
    settings.FORKOM_EXPORT_IN_BACKGROUND_ROWS = 1
    client.force_login(with_totp(staff))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("cadres:export", args=["xlsx"]))
    job = ExportJob.objects.get()
    path = job.file.path
    assert exports.prune_exports() == 0
    assert exports.prune_exports(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert not ExportJob.objects.exists()
    assert not Path(path).exists()
