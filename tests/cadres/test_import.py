"""Spreadsheet import of cadres (issue 15): reading, checking, writing all or nothing."""

import codecs
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from cadres.imports.checking import check_sheet, map_columns
from cadres.imports.reading import MAX_BYTES, open_sheet
from cadres.imports.services import import_cadres
from cadres.models import CadreEvent, CadreProfile, ConsentRecord
from forkom.accounts.models import Position, Role, User
from forkom.errors import BadInput, DomainError, MayNot
from forkom.territory.models import Region
from tests.cadres.factories import make_nik, make_profile
from tests.conftest import make_persona

HEADER = ["No. KTP", "Nama Lengkap", "JK", "Tempat Lahir", "Tgl Lahir", "No HP", "Alamat",
          "Kelurahan", "Pendidikan", "Lembaga", "Jabatan", "Sejak"]  # fmt: skip


def row(nik=None, name="Siti Aminah", sex="P", born="17/08/1990", phone="0812-3456-7890",
        kelurahan="Belimbing", body="Posyandu", education="SMA"):  # fmt: skip
    nik = nik or make_nik(day=17, month=8, year=90, sex="P")
    return [nik, name, sex, "Bontang", born, phone, "Jl. Cendana 1", kelurahan, education, body,
            "Kader", "2019"]  # fmt: skip


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def csv_bytes(rows, header=HEADER, delimiter=";", encoding="cp1252"):
    lines = [delimiter.join(header)] + [delimiter.join(map(str, cells)) for cells in rows]
    return io.BytesIO("\r\n".join(lines).encode(encoding))


@pytest.fixture
def uploader(bontang):
    return make_persona(Role.DINAS_STAFF, "64.74")


def plan_of(stream, uploader, area="64.74", name="kader.xlsx"):
    return check_sheet(
        open_sheet(stream, name), actor=uploader, area=Region.objects.get(code=area)
    )


def test_header_variants_are_recognised():
    mapping = map_columns(["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "No. HP/WA"])
    assert mapping == {"nik": 0, "full_name": 1, "sex": 2, "birth_date": 3, "phone": 4}
    assert map_columns(["No. KTP", "Tgl. Lahir", "Desa/Kelurahan"]) == {
        "nik": 0, "birth_date": 1, "kelurahan": 2,
    }  # fmt: skip


def test_good_rows_are_created_and_bad_ones_are_refused_with_line_column_and_reason(uploader):
    good = [
        row(),
        row(name="Budi Santoso", sex="L", nik=make_nik()),
        row(kelurahan="64.74.03.1003"),
    ]
    bad = [row(phone="12345"), row(born="17/08/2015", nik=make_nik(year=15))]
    plan = plan_of(xlsx(good + bad), uploader)
    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 2}
    assert [(r.line, r.column) for r in plan.rejected] == [(5, "No HP"), (6, "Tanggal Lahir")]
    assert "17" in plan.rejected[1].reason  # "Kader berusia 17 tahun atau lebih"

    created, updated = import_cadres(actor=uploader, plan=plan)
    assert (created, updated) == (3, 0)
    profiles = CadreProfile.objects.order_by("pk")
    assert [p.status for p in profiles] == ["waiting"] * 3
    assert {p.registered_by for p in profiles} == {uploader}
    assert all(not p.user.has_usable_password() for p in profiles)
    assert ConsentRecord.objects.filter(recorded_by=uploader).count() == 3
    assert CadreEvent.objects.filter(actor=uploader, after="waiting").count() == 3

    # The same file again creates nothing new: the rows are already there.
    plan = plan_of(xlsx(good + bad), uploader)
    assert plan.counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 2}


def test_every_rejection_reason(uploader):
    nik = make_nik()
    rows = [
        row(nik="123"),
        row(nik=nik),
        row(nik=nik),  # the same NIK twice in the file
        row(name=""),
        row(name="محمد"),
        row(name="Siti 😀"),
        row(sex="X"),
        row(born="kemarin"),
        row(kelurahan="Bontang Kuala", nik=make_nik()),
        row(kelurahan="Rawa Makmur"),  # not in the area
        row(body="Klub Catur"),
        row(education="TK"),
        row(name="Siti " + "a" * 146),  # 151 characters: the profile holds 150
    ]
    plan = plan_of(csv_bytes(rows, encoding="utf-8-sig"), uploader, name="kader.csv")
    columns = [(r.line, r.column) for r in plan.rejected]
    assert columns == [
        (2, "NIK"), (4, "NIK"), (5, "Nama Lengkap"), (6, "Nama Lengkap"), (7, "Nama Lengkap"),
        (8, "Jenis Kelamin (L/P)"), (9, "Tanggal Lahir"), (11, "Kelurahan (kode atau nama)"),
        (12, "Lembaga"), (13, "Pendidikan Terakhir"), (14, "Nama Lengkap"),
    ]  # fmt: skip
    assert plan.counts["created"] == 2  # line 3 and Bontang Kuala (in Kota Bontang)


def test_a_nik_stored_as_a_number_is_refused_with_what_to_do(uploader):
    plan = plan_of(xlsx([[6474035708900001, *row()[1:]]]), uploader)
    [rejection] = plan.rejected
    assert "Text" in rejection.reason or "Teks" in rejection.reason


def test_missing_columns_refuse_the_whole_file(uploader):
    plan = plan_of(xlsx([["x"]], header=["Nama"]), uploader)
    [rejection] = plan.rejected
    assert rejection.line == 1
    assert "NIK" in rejection.column


def test_semicolon_csv_in_windows_1252_and_comma_csv_in_utf8(uploader):
    plan = plan_of(csv_bytes([row(name="Sofía Rahma")]), uploader, name="kader.csv")
    assert plan.counts["created"] == 1
    assert plan.create[0][1]["full_name"] == "Sofía Rahma"
    stream = csv_bytes([row(name="Sofía Rahma")], delimiter=",", encoding="utf-8-sig")
    assert plan_of(stream, uploader, name="kader.csv").counts["created"] == 1


def test_formulas_are_kept_as_text_never_evaluated(uploader):
    plan = plan_of(xlsx([row(name="=1+2")]), uploader)
    # A formula is no name: refused, and never computed to 3.
    assert plan.rejected[0].column == "Nama Lengkap"
    plan = plan_of(xlsx([row(kelurahan='=HYPERLINK("x")')]), uploader)
    assert plan.rejected[0].column == "Kelurahan (kode atau nama)"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "foto.png", "NUL"),
        (b"PK\x03\x04 not really a zip", "kader.xlsx", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "kader.xlsx", "password"),
        (b"", "kader.csv", "empty"),
        (";".join(HEADER).encode() + b"\n" * 1_000_000, "kader.csv", "60000"),
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(
    uploader, english, content, name, message
):
    with pytest.raises(BadInput, match=message):
        plan_of(io.BytesIO(content), uploader, name=name)
    assert not CadreProfile.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_reading(uploader, english):
    stream = io.BytesIO(b"NIK;Nama\n" + b"x" * MAX_BYTES)
    with pytest.raises(BadInput, match="larger than"):
        plan_of(stream, uploader, name="kader.csv")


def test_scope_officers_import_into_their_kecamatan_staff_into_their_region(
    bontang, other_province
):
    officer = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)  # Bontang Barat
    assert plan_of(xlsx([row()]), officer, area="64.74.03").counts["created"] == 1
    with pytest.raises(MayNot):
        plan_of(xlsx([row()]), officer, area="64.74.01")  # Bontang Utara
    kelurahan_ketua = make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA)
    with pytest.raises(MayNot):
        plan_of(xlsx([row()]), kelurahan_ketua, area="64.74.03.1001")
    kaltara = make_persona(Role.DINAS_STAFF, "65")
    with pytest.raises(MayNot):
        plan_of(xlsx([row()]), kaltara, area="64.74")


def test_a_failure_on_the_last_row_writes_nothing(uploader, monkeypatch):
    rows = [row(nik=make_nik(), name="Kader Ke" + "e" * n) for n in range(40)]
    plan = plan_of(xlsx(rows), uploader)
    assert plan.counts["created"] == 40
    # The last kelurahan is closed between the check and the confirmation.
    Region.objects.filter(code="64.74.03.1003").update(is_active=False)
    plan.create[-1][1]["kelurahan"] = Region.objects.get(code="64.74.03.1003")
    with pytest.raises(DomainError, match="41"):
        import_cadres(actor=uploader, plan=plan)
    assert not CadreProfile.objects.exists()
    assert not User.objects.filter(cadre_profile__isnull=True, email=None).exists()


def test_the_check_reads_in_queries_that_do_not_grow_with_the_rows(
    uploader, django_assert_max_num_queries
):
    small = xlsx([row(nik=make_nik()) for _ in range(10)])
    large = xlsx([row(nik=make_nik()) for _ in range(900)])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan_of(xlsx([row(nik=make_nik())]), uploader)  # what is read once per process
    with CaptureQueriesContext(connection) as few:
        plan_of(small, uploader)
    with CaptureQueriesContext(connection) as many:
        plan_of(large, uploader)
    assert len(many) == len(few)


def test_an_existing_cadre_is_reported_not_changed(uploader):
    existing = make_profile(nik=make_nik(day=17, month=8, year=90, sex="P"), sex="P",
                            birth_date=date(1990, 8, 17))  # fmt: skip
    plan = plan_of(xlsx([row(nik=existing.nik, name="Nama Lain")]), uploader)
    # The name is never taken from a sheet; the address differs, and is offered.
    assert [(line, sorted(changes)) for line, _pk, changes in plan.update] == [(2, ["address"])]
    assert plan.counts == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    import_cadres(actor=uploader, plan=plan)  # without apply_updates
    existing.refresh_from_db()
    assert (existing.full_name, existing.phone) == ("Siti Rahmawati", "+6281234567890")
    assert existing.address == "Jl. Brigjend Katamso No. 1"


def test_the_command_dry_runs_by_default_and_commits_with_as(uploader, tmp_path, capsys):
    path = tmp_path / "kader.xlsx"
    path.write_bytes(xlsx([row(), row(phone="123")]).getvalue())
    call_command("import_cadres", str(path), "--into", "64.74")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("line 3: No HP: ")
    assert out[-1] == "created 1, updated 0, unchanged 0, rejected 1"
    assert not CadreProfile.objects.exists()

    with pytest.raises(CommandError, match="--as"):
        call_command("import_cadres", str(path), "--into", "64.74", "--commit")
    path.write_bytes(xlsx([row()]).getvalue())
    call_command("import_cadres", str(path), "--into", "64.74", "--commit", "--as", uploader.email)
    assert (
        capsys.readouterr().out.splitlines()[-1] == "created 1, updated 0, unchanged 0, rejected 0"
    )
    assert CadreProfile.objects.get().registered_by == uploader


def test_the_example_sheet_of_the_demo_data_shows_three_good_rows_and_two_refused(uploader):
    """README points to it: 3 cadres to import, a wrong phone number and a child refused."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "devdata" / "examples" / "kader-contoh.csv"
    with path.open("rb") as stream:
        plan = check_sheet(open_sheet(stream, path.name), actor=uploader,
                           area=Region.objects.get(code="64.74.03"))  # fmt: skip
    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 2}
    assert [(r.line, r.column) for r in plan.rejected] == [(5, "No HP"), (6, "Tanggal Lahir")]


def test_a_control_character_in_any_column_is_refused_with_its_column(uploader):
    """The name refused one, the address, place of birth and position took it, and the
    rejected rows' workbook then failed to be written (found by a walk through the demo
    site)."""
    address, position = row(), row()
    address[6] = "Jl. Cendana\x07 1"
    position[10] = "Ketua\x07RT"
    plan = plan_of(csv_bytes([address, position], encoding="utf-8"), uploader, name="kader.csv")
    assert [(r.line, r.column) for r in plan.rejected] == [(2, "Alamat"), (3, "Jabatan")]
    assert plan.counts["created"] == 0


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-16", "\t"), ("utf-16", ";"), ("utf-16-be", ",")]
)
def test_excel_s_unicode_text_in_utf16_is_read(uploader, encoding, delimiter):
    """Excel's "Unicode Text" (UTF-16, tabs) was refused as "not a CSV text file" for its NUL
    bytes (found by a walk through the demo site)."""
    stream = csv_bytes([row(name="Sofía Rahma")], delimiter=delimiter, encoding=encoding)
    if encoding == "utf-16-be":  # the big-endian mark, which this codec does not write
        stream = io.BytesIO(codecs.BOM_UTF16_BE + stream.getvalue())
    plan = plan_of(stream, uploader, name="kader.csv")
    assert plan.rejected == []
    assert plan.create[0][1]["full_name"] == "Sofía Rahma"
