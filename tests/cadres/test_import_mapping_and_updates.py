"""The import's column mapping form, updates of registered cadres, and its progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cadres.imports import services
from cadres.models import CadreEvent, CadreImport, CadreProfile
from forkom.accounts.models import Position, Role
from forkom.errors import MayNot
from forkom.territory.models import Region
from tests.cadres.factories import make_nik, make_profile
from tests.cadres.test_import import HEADER, plan_of, row, xlsx
from tests.concurrency import require_postgresql
from tests.conftest import make_persona

ODD_HEADER = ["Nomor Identitas", *HEADER[1:5], "Kontak", *HEADER[6:]]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(media_in_tmp):
    """Uploaded sheets go to the test's own folder."""


@pytest.fixture
def staff_member(bontang):
    return make_persona(Role.DINAS_STAFF, "64.74", email="staf.kota@test.forkom.id")


@pytest.fixture
def officer(bontang):
    return make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)


def upload(client, rows, run, area="64.74", header=HEADER):
    sheet = SimpleUploadedFile("kader.xlsx", xlsx(rows, header=header).getvalue())
    with run(execute=True):
        client.post(reverse("cadres:import"), {"area": area, "file": sheet, "consent": "on"})
    return CadreImport.objects.first()


# --- Mapping ---------------------------------------------------------------------------------


def test_unrecognised_columns_are_mapped_on_a_form_and_the_sheet_is_checked_again(
    client, staff_member, django_capture_on_commit_callbacks
):
    client.force_login(staff_member)
    cadre_import = upload(client, [row(), row()], django_capture_on_commit_callbacks,
                          header=ODD_HEADER)  # fmt: skip
    cadre_import.refresh_from_db()
    assert cadre_import.missing_columns == ["nik", "phone"]
    page = client.get(cadre_import.get_absolute_url())
    assert page.context["mapping_form"] is not None
    assert {"column_0", "column_5"} <= set(page.context["mapping_form"].fields)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cadres:import_map", args=[cadre_import.public_id]),
            {"column_0": "nik", "column_5": "phone"},
        )
    assert response.status_code == 302
    cadre_import.refresh_from_db()
    assert (cadre_import.status, cadre_import.to_create, cadre_import.rejected) == (
        "checked", 2, 0,
    )  # fmt: skip
    assert cadre_import.mapping == {"nik": 0, "phone": 5}
    assert client.get(cadre_import.get_absolute_url()).context["mapping_form"] is None


def test_two_columns_mapped_to_one_field_are_refused_beside_the_form(
    client, staff_member, django_capture_on_commit_callbacks
):
    client.force_login(staff_member)
    cadre_import = upload(client, [row()], django_capture_on_commit_callbacks, header=ODD_HEADER)
    response = client.post(
        reverse("cadres:import_map", args=[cadre_import.public_id]),
        {"column_0": "nik", "column_5": "nik"},
    )
    assert response.status_code == 400
    assert "NIK" in str(response.context["mapping_form"].non_field_errors())
    # A column mapped to one the header already holds (Nama Lengkap is column 1).
    response = client.post(
        reverse("cadres:import_map", args=[cadre_import.public_id]),
        {"column_0": "full_name"},
    )
    assert response.status_code == 400
    cadre_import.refresh_from_db()
    assert (cadre_import.mapping, cadre_import.status) == ({}, "checked")


def test_only_the_uploader_maps_the_columns(
    client, staff_member, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(staff_member)
    cadre_import = upload(client, [row()], django_capture_on_commit_callbacks, header=ODD_HEADER)
    client.force_login(coordinator)
    response = client.post(
        reverse("cadres:import_map", args=[cadre_import.public_id]), {"column_0": "nik"}
    )
    assert response.status_code == 404
    cadre_import.refresh_from_db()
    assert cadre_import.mapping == {}


# --- Updates ---------------------------------------------------------------------------------


def registered(**fields):
    return make_profile(nik=make_nik(day=17, month=8, year=90, sex="P"), sex="P", **fields)


def test_staff_update_registered_cadres_only_when_they_ask(
    client, staff_member, django_capture_on_commit_callbacks
):
    from datetime import date

    existing = registered(birth_date=date(1990, 8, 17))
    client.force_login(staff_member)
    cadre_import = upload(
        client,
        [row(nik=existing.nik, phone="0813-1111-2222", name="Nama Lain"), row()],
        django_capture_on_commit_callbacks,
    )
    cadre_import.refresh_from_db()
    assert (cadre_import.to_create, cadre_import.to_update) == (1, 1)
    page = client.get(cadre_import.get_absolute_url())
    assert 'name="apply_updates"' in page.text
    assert cadre_import.updates[0][0] == 2

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cadres:import_confirm", args=[cadre_import.public_id]),
            {"apply_updates": "on"},
        )
    cadre_import.refresh_from_db()
    assert (cadre_import.status, cadre_import.created, cadre_import.updated) == (
        "imported", 1, 1,
    )  # fmt: skip
    existing.refresh_from_db()
    assert existing.phone == "+6281311112222"
    assert existing.address == "Jl. Cendana 1"
    assert existing.full_name == "Siti Rahmawati"  # never from a sheet
    assert CadreEvent.objects.filter(profile=existing, actor=staff_member).exists()

    # The same sheet again: nothing new, nothing to update.
    again = upload(
        client,
        [row(nik=existing.nik, phone="0813-1111-2222", name="Nama Lain")],
        django_capture_on_commit_callbacks,
    )
    again.refresh_from_db()
    assert (again.to_create, again.to_update, again.unchanged) == (0, 0, 1)


def test_without_asking_registered_cadres_are_left_as_they_are(
    client, staff_member, django_capture_on_commit_callbacks
):
    existing = registered()
    client.force_login(staff_member)
    cadre_import = upload(
        client, [row(nik=existing.nik, phone="0813-1111-2222"), row()],
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cadres:import_confirm", args=[cadre_import.public_id]))
    cadre_import.refresh_from_db()
    assert (cadre_import.created, cadre_import.updated, cadre_import.unchanged) == (1, 0, 1)
    existing.refresh_from_db()
    assert existing.phone == "+6281234567890"


def test_a_kecamatan_officer_sees_differences_but_cannot_apply_them(
    client, officer, django_capture_on_commit_callbacks
):
    existing = registered()
    client.force_login(officer)
    cadre_import = upload(
        client, [row(nik=existing.nik, phone="0813-1111-2222")],
        django_capture_on_commit_callbacks, area="64.74.03",
    )  # fmt: skip
    page = client.get(cadre_import.get_absolute_url())
    assert 'name="apply_updates"' not in page.text
    response = client.post(
        reverse("cadres:import_confirm", args=[cadre_import.public_id]), {"apply_updates": "on"}
    )
    assert response.status_code == 403
    existing.refresh_from_db()
    assert existing.phone == "+6281234567890"
    with pytest.raises(MayNot):
        services.import_cadres(
            actor=officer,
            plan=plan_of(xlsx([row(nik=existing.nik, phone="0813-1111-2222")]), officer,
                         area="64.74.03"),
            apply_updates=True,
        )  # fmt: skip


def test_a_cadre_registered_outside_the_area_is_never_offered_for_update(bontang):
    existing = registered(kelurahan="64.74.01.1001")  # Bontang Selatan
    officer = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)
    plan = plan_of(xlsx([row(nik=existing.nik, phone="0813-1111-2222")]), officer,
                   area="64.74.03")  # fmt: skip
    assert (plan.update, [line for line, _nik in plan.unchanged]) == ([], [2])


def test_the_command_updates_with_update(tmp_path, staff_member):
    existing = registered()
    path = tmp_path / "kader.xlsx"
    path.write_bytes(xlsx([row(nik=existing.nik, phone="0813-1111-2222")]).getvalue())
    from io import StringIO

    out = StringIO()
    call_command("import_cadres", str(path), "--into", "64.74", "--update", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == (
        "created 0, updated 1, unchanged 0, rejected 0"
    )
    existing.refresh_from_db()
    assert existing.phone == "+6281234567890"  # a dry run
    out = StringIO()
    call_command("import_cadres", str(path), "--into", "64.74", "--commit", "--update",
                 "--as", staff_member.email, stdout=out)  # fmt: skip
    assert out.getvalue().strip().splitlines()[-1] == (
        "created 0, updated 1, unchanged 0, rejected 0"
    )
    existing.refresh_from_db()
    assert existing.phone == "+6281311112222"


# --- Progress --------------------------------------------------------------------------------


def test_the_page_shows_rows_checked_and_written(client, staff_member):
    cadre_import = CadreImport.objects.create(
        uploaded_by=staff_member,
        area=Region.objects.get(code="64.74"),
        file_name="kader.xlsx",
        status=CadreImport.Status.CHECKING,
        checked=1200,
    )
    client.force_login(staff_member)
    assert "1200" in client.get(cadre_import.get_absolute_url()).text
    cadre_import.status, cadre_import.to_create, cadre_import.written = "importing", 900, 300
    cadre_import.save()
    text = client.get(cadre_import.get_absolute_url()).text
    assert "300" in text
    assert "900" in text


@require_postgresql
@pytest.mark.django_db(transaction=True)
def test_rows_written_are_seen_while_the_import_transaction_is_open(bontang):
    staff_member = make_persona(Role.DINAS_STAFF, "64.74")
    cadre_import = CadreImport.objects.create(
        uploaded_by=staff_member, area=Region.objects.get(code="64.74"), file_name="x.xlsx"
    )
    plan = plan_of(xlsx([row(nik=make_nik()) for _ in range(services.PROGRESS_EVERY + 5)]),
                   staff_member)  # fmt: skip
    reporter = services._ProgressReporter(cadre_import.pk)
    seen = []

    def report(written):
        reporter.report(written)
        # Read through yet another connection: what the page would see now.
        from django.db import DEFAULT_DB_ALIAS, connections

        other = connections.create_connection(DEFAULT_DB_ALIAS)
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT written FROM cadres_cadreimport WHERE id = %s", [cadre_import.pk]
            )
            seen.append(cursor.fetchone()[0])
            cursor.execute("SELECT count(*) FROM cadres_cadreprofile")
            seen.append(cursor.fetchone()[0])
        other.close()

    services.import_cadres(actor=staff_member, plan=plan, on_progress=report)
    reporter.close()
    # After 100 rows: the count is visible, the 100 cadres are not (all or nothing).
    assert seen[:2] == [services.PROGRESS_EVERY, 0]
    assert CadreProfile.objects.count() == services.PROGRESS_EVERY + 5


@pytest.mark.parametrize("rows", [1, 150])
def test_the_preview_page_reads_the_same_queries_however_many_rows(
    client, staff_member, django_assert_num_queries, rows
):
    cadre_import = CadreImport.objects.create(
        uploaded_by=staff_member,
        area=Region.objects.get(code="64.74"),
        file_name="kader.xlsx",
        status=CadreImport.Status.CHECKED,
        to_create=rows,
        to_update=rows,
        rejected=rows,
        updates=[[line, ["No HP"]] for line in range(2, rows + 2)],
        rejections=[[line, "NIK", "x", ["1"]] for line in range(2, rows + 2)],
    )
    client.force_login(staff_member)
    client.get(cadre_import.get_absolute_url())  # what is read once per process
    # session, user, roles, the import
    with django_assert_num_queries(5):
        response = client.get(cadre_import.get_absolute_url())
    assert response.text.count("No HP") >= min(rows, 200)


def test_a_sheet_of_updates_only_offers_to_apply_them_not_to_import_none(client, staff_member):
    """With nothing to create, the button read "Impor 0 kader" (found by a walk through the
    demo site)."""
    cadre_import = CadreImport.objects.create(
        uploaded_by=staff_member,
        area=Region.objects.get(code="64.74"),
        file_name="kader.xlsx",
        status=CadreImport.Status.CHECKED,
        to_create=0,
        to_update=1,
        updates=[[2, ["No HP"]]],
    )
    client.force_login(staff_member)
    page = client.get(cadre_import.get_absolute_url()).text
    assert "Terapkan pembaruan" in page
    assert "Impor 0 kader" not in page
