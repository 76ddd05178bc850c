"""manage.py import_regions FILE.csv [--within CODE]."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from forkom.territory.models import Region

ROWS = [
    "code,name,level,parent_code",
    "64,Kalimantan Timur,1,",
    "64.74,Kota Bontang,2,64",
    "64.74.01,Bontang Utara,3,64.74",
    "64.74.01.1001,Bontang Kuala,4,64.74.01",
    "64.74.01.1002,Bontang Baru,4,64.74.01",
]
SUMMARY = re.compile(
    r"Regions: created (\d+), updated (\d+), deactivated (\d+), unchanged (\d+) \(\d+\.\d s\)\n"
)


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def write_csv(tmp_path):
    def write(rows, *, name="regions.csv", encoding="utf-8", newline="\n"):
        path = tmp_path / name
        path.write_bytes(newline.join([*rows, ""]).encode(encoding))
        return path

    return write


def run(*args):
    """Run the command; returns its stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_regions", *map(str, args), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def counts(output):
    match = SUMMARY.fullmatch(output)
    assert match, output
    return tuple(int(count) for count in match.groups())


def test_the_command_prints_one_summary_line(db, write_csv):
    stdout, stderr = run(write_csv(ROWS))

    assert counts(stdout) == (5, 0, 0, 0)
    assert stderr == ""
    assert Region.objects.count() == 5


def test_running_it_again_reports_everything_unchanged(db, write_csv):
    path = write_csv(ROWS)
    run(path)

    stdout, _stderr = run(path)

    assert counts(stdout) == (0, 0, 0, 5)


def test_the_summary_counts_updates_and_deactivations(db, write_csv):
    run(write_csv(ROWS))
    newer = [row.replace("Bontang Baru", "Bontang Baru Indah") for row in ROWS[:-1]]
    newer[-1] = newer[-1].replace("Bontang Kuala", "Bontang Kuala Indah")

    stdout, _stderr = run(write_csv(newer, name="newer.csv"))

    assert counts(stdout) == (0, 1, 1, 3)
    assert not Region.objects.get(code="64.74.01.1002").is_active


def test_within_limits_deactivation_to_the_given_subtree(bontang, write_csv):
    stdout, _stderr = run(write_csv(ROWS[:4]), "--within", "64.74.01")

    # Only Bontang Utara's six kelurahan are missing and inside 64.74.01.
    assert counts(stdout) == (0, 0, 6, 3)
    assert Region.objects.active().count() == 14


def test_a_file_with_a_byte_order_mark_and_crlf_line_ends_is_read(db, write_csv):
    stdout, _stderr = run(write_csv(ROWS, encoding="utf-8-sig", newline="\r\n"))

    assert counts(stdout) == (5, 0, 0, 0)
    assert Region.objects.get(code="64.74.01.1002").name == "Bontang Baru"


def test_a_bad_file_fails_with_its_line_numbers_and_imports_nothing(bontang, write_csv):
    before = list(Region.objects.values_list("code", "name", "is_active"))
    rows = [*ROWS, "64.74.09.1001,Nowhere,4,64.74.09", "64.74.01,,3,64.74"]

    with pytest.raises(CommandError) as raised:
        run(write_csv(rows))

    message = str(raised.value)
    assert "2 bad row(s), nothing was imported." in message
    assert "line 7: unknown parent 64.74.09 of code 64.74.09.1001" in message
    assert "line 8: empty name for code 64.74.01" in message
    assert list(Region.objects.values_list("code", "name", "is_active")) == before


def test_a_wrong_header_fails_on_line_1(db, write_csv):
    with pytest.raises(CommandError, match="line 1: the header must be"):
        run(write_csv(["kode,nama,tingkat,induk", *ROWS[1:]]))
    assert not Region.objects.exists()


def test_a_missing_file_fails_with_a_clear_message(db, tmp_path):
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(CommandError, match=f"No such file: {re.escape(str(missing))}"):
        run(missing)


def test_a_file_that_is_not_utf8_fails_with_a_clear_message(db, write_csv):
    path = write_csv([*ROWS, "64.74.01.1003,Lok Tuan \u00e9,4,64.74.01"], encoding="latin-1")
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        run(path)
    assert not Region.objects.exists()


@pytest.mark.parametrize("within", ["64.7", "Bontang", "64.74."])
def test_within_must_be_a_kemendagri_code(db, write_csv, within):
    with pytest.raises(CommandError, match="is not a Kemendagri code"):
        run(write_csv(ROWS), "--within", within)
    assert not Region.objects.exists()
