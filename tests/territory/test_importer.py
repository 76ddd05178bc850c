"""import_regions: upserts on code, deactivates what a newer file lacks, writes nothing bad."""

import csv
import io
import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devdata.shared_data import BONTANG_REGIONS, NATIONAL_REGIONS
from forkom.territory.importer import ImportResult, RegionFileError, import_regions
from forkom.territory.models import Region

NATIONAL_CSV = NATIONAL_REGIONS
BONTANG_CSV = BONTANG_REGIONS
HEADER = "code,name,level,parent_code"
BONTANG_UTARA = [
    "64,Kalimantan Timur,1,",
    "64.74,Kota Bontang,2,64",
    "64.74.01,Bontang Utara,3,64.74",
    "64.74.01.1001,Bontang Kuala,4,64.74.01",
    "64.74.01.1002,Bontang Baru,4,64.74.01",
]


pytestmark = pytest.mark.usefixtures("english")


def csv_file(*rows, header=HEADER):
    return io.StringIO("\n".join([header, *rows]) + "\n")


def table():
    """Every region as a tuple, to compare the whole table before and after."""
    return list(
        Region.objects.order_by("code").values_list(
            "code", "name", "level", "kind", "parent_id", "is_active"
        )
    )


def writes(queries):
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_good_file_creates_every_row_with_level_kind_and_parent(db):
    result = import_regions(
        csv_file(
            *BONTANG_UTARA,
            "64.02,Kabupaten Kutai Kartanegara,2,64",
            "64.02.01,Semboja,3,64.02",
            "64.02.01.2001,Tanjung Harapan,4,64.02.01",
        )
    )

    assert result == ImportResult(created=8, updated=0, deactivated=0, unchanged=0)
    assert table() == [
        ("64", "Kalimantan Timur", 1, "", None, True),
        ("64.02", "Kabupaten Kutai Kartanegara", 2, "kabupaten", "64", True),
        ("64.02.01", "Semboja", 3, "", "64.02", True),
        ("64.02.01.2001", "Tanjung Harapan", 4, "desa", "64.02.01", True),
        ("64.74", "Kota Bontang", 2, "kota", "64", True),
        ("64.74.01", "Bontang Utara", 3, "", "64.74", True),
        ("64.74.01.1001", "Bontang Kuala", 4, "kelurahan", "64.74.01", True),
        ("64.74.01.1002", "Bontang Baru", 4, "kelurahan", "64.74.01", True),
    ]


def test_a_desa_adat_gets_its_own_kind(db):
    import_regions(
        csv_file(
            "51,Bali,1,",
            "51.01,Kabupaten Jembrana,2,51",
            "51.01.01,Negara,3,51.01",
            "51.01.01.3001,Desa Adat Negara,4,51.01.01",
        )
    )
    assert Region.objects.get(code="51.01.01.3001").kind == Region.Kind.DESA_ADAT


def test_children_may_come_before_their_parents_in_the_file(db):
    result = import_regions(csv_file(*reversed(BONTANG_UTARA)))
    assert result.created == 5
    assert Region.objects.get(code="64.74.01.1001").parent_id == "64.74.01"


def test_apostrophes_and_quoted_commas_in_names_are_kept_exactly(db):
    import_regions(
        csv_file(
            "53,Nusa Tenggara Timur,1,",
            "53.07,Kabupaten Sikka,2,53",
            "53.07.01,Paga,3,53.07",
            "53.07.01.2021,Regapu\u2019u,4,53.07.01",
            "53.07.01.2022,Wolo'ara,4,53.07.01",
            '53.07.01.2023,"Lubuk Pakam I,II",4,53.07.01',
            '53.07.01.2024,"Lambang Sari I, II, III",4,53.07.01',
            '53.07.01.2025,"Kampung ""Baru""",4,53.07.01',
        )
    )
    names = dict(Region.objects.filter(level=4).values_list("code", "name"))
    assert names == {
        "53.07.01.2021": "Regapu\u2019u",
        "53.07.01.2022": "Wolo'ara",
        "53.07.01.2023": "Lubuk Pakam I,II",
        "53.07.01.2024": "Lambang Sari I, II, III",
        "53.07.01.2025": 'Kampung "Baru"',
    }


def test_blank_lines_are_skipped(db):
    result = import_regions(io.StringIO(HEADER + "\n\n" + "\n\n".join(BONTANG_UTARA) + "\n\n"))
    assert result.created == 5


def test_reimporting_the_same_file_is_all_unchanged_and_writes_nothing(db):
    import_regions(csv_file(*BONTANG_UTARA))
    before = table()

    with CaptureQueriesContext(connection) as queries:
        result = import_regions(csv_file(*BONTANG_UTARA))

    assert result == ImportResult(created=0, updated=0, deactivated=0, unchanged=5)
    assert writes(queries.captured_queries) == []
    assert table() == before


def test_a_changed_name_counts_as_updated(db):
    import_regions(csv_file(*BONTANG_UTARA))
    renamed = [row.replace("Bontang Baru", "Bontang Baru Indah") for row in BONTANG_UTARA]

    result = import_regions(csv_file(*renamed))

    assert result == ImportResult(created=0, updated=1, deactivated=0, unchanged=4)
    assert Region.objects.get(code="64.74.01.1002").name == "Bontang Baru Indah"


def test_a_code_missing_from_a_newer_file_is_deactivated_not_deleted(db):
    import_regions(csv_file(*BONTANG_UTARA))

    result = import_regions(csv_file(*BONTANG_UTARA[:-1]))

    assert result == ImportResult(created=0, updated=0, deactivated=1, unchanged=4)
    gone = Region.objects.get(code="64.74.01.1002")
    assert gone.is_active is False
    assert gone.name == "Bontang Baru"
    assert Region.objects.active().count() == 4


def test_a_region_still_missing_is_not_counted_again(db):
    import_regions(csv_file(*BONTANG_UTARA))
    import_regions(csv_file(*BONTANG_UTARA[:-1]))

    result = import_regions(csv_file(*BONTANG_UTARA[:-1]))

    assert result == ImportResult(created=0, updated=0, deactivated=0, unchanged=4)


def test_a_deactivated_code_is_reactivated_when_it_comes_back(db):
    import_regions(csv_file(*BONTANG_UTARA))
    import_regions(csv_file(*BONTANG_UTARA[:-1]))

    result = import_regions(csv_file(*BONTANG_UTARA))

    assert result == ImportResult(created=0, updated=1, deactivated=0, unchanged=4)
    assert Region.objects.get(code="64.74.01.1002").is_active is True


def test_within_limits_deactivation_to_that_subtree(bontang):
    import_regions(
        csv_file(
            "64.71,Kota Balikpapan,2,64",
            "64.71.01,Balikpapan Selatan,3,64.71",
            "64.71.01.1001,Damai,4,64.71.01",
        ),
        within="64.71",
    )
    only_bontang_utara = [
        "64.74,Kota Bontang,2,64",
        "64.74.01,Bontang Utara,3,64.74",
        "64.74.01.1001,Bontang Kuala,4,64.74.01",
    ]

    result = import_regions(csv_file(*only_bontang_utara), within="64.74.01")

    # Bontang Utara's five other kelurahan go; Bontang Selatan, Barat and Balikpapan stay.
    assert result == ImportResult(created=0, updated=0, deactivated=5, unchanged=3)
    inactive = list(Region.objects.filter(is_active=False).values_list("code", flat=True))
    assert inactive == [f"64.74.01.100{serial}" for serial in range(2, 7)]
    assert Region.objects.get(code="64.74.02.1001").is_active
    assert Region.objects.get(code="64.71.01.1001").is_active


def test_within_a_city_does_not_reach_a_sibling_city(bontang):
    import_regions(
        csv_file(
            "64.71,Kota Balikpapan,2,64",
            "64.71.01,Balikpapan Selatan,3,64.71",
        ),
        within="64.71",
    )

    result = import_regions(csv_file("64.74,Kota Bontang,2,64"), within="64.74")

    assert result.deactivated == 18
    assert Region.objects.get(code="64.71").is_active
    assert Region.objects.get(code="64.71.01").is_active
    assert Region.objects.get(code="64").is_active


def test_without_within_the_file_is_the_whole_table(bontang):
    result = import_regions(csv_file("64,Kalimantan Timur,1,", "64.74,Kota Bontang,2,64"))
    assert result.deactivated == 18


def test_a_parent_already_in_the_database_may_be_left_out_of_the_file(bontang):
    result = import_regions(
        csv_file("64.74.01.1007,Kelurahan Baru,4,64.74.01"), within="64.74.01.1007"
    )
    assert result == ImportResult(created=1, updated=0, deactivated=0, unchanged=0)
    assert Region.objects.get(code="64.74.01.1007").parent_id == "64.74.01"


def test_progress_is_reported_up_to_the_total(db):
    calls = []
    import_regions(csv_file(*BONTANG_UTARA), progress=lambda done, total: calls.append(done))
    assert calls[-1] == 5


# Each bad file: the good Bontang Utara rows on lines 2-6, then one bad row on line 7.
BAD_ROWS = {
    "unknown parent": ("64.74.09.1001,Nowhere,4,64.74.09", "unknown parent 64.74.09"),
    "malformed code": ("64.74.1.1001,Bad Code,4,64.74.1", "malformed code '64.74.1.1001'"),
    "five-digit serial": ("64.74.01.10011,Bad Code,4,64.74.01", "malformed code"),
    "level not matching code": ("64.74.02,Bontang Selatan,4,64.74", "level '4' does not match"),
    "level not a number": ("64.74.02,Bontang Selatan,x,64.74", "level 'x' does not match"),
    "empty name": ("64.74.02,,3,64.74", "empty name for code 64.74.02"),
    "blank name": ("64.74.02,   ,3,64.74", "empty name for code 64.74.02"),
    "wrong parent_code": ("64.74.02,Bontang Selatan,3,64.71", "'64.71' is not the parent"),
    "missing parent_code": ("64.74.02,Bontang Selatan,3,", "'' is not the parent"),
    "parent_code on a provinsi": ("65,Kalimantan Utara,1,64", "'64' is not the parent"),
    "duplicate code": ("64.74.01.1001,Bontang Kuala Lagi,4,64.74.01", "appears twice"),
    "name too long": ("64.74.02," + "x" * 101 + ",3,64.74", "longer than 100 characters"),
    "too few columns": ("64.74.02,Bontang Selatan,3", "expected 4 columns, found 3"),
    "too many columns": ("64.74.02,Bontang, Selatan,3,64.74", "expected 4 columns, found 5"),
}


@pytest.mark.parametrize("bad_row", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(db, bad_row):
    row, message = bad_row

    with pytest.raises(RegionFileError) as raised:
        import_regions(csv_file(*BONTANG_UTARA, row))

    [(line, problem)] = raised.value.problems
    assert line == 7
    assert message in problem
    assert f"line 7: {problem}" in str(raised.value)
    assert table() == []


@pytest.mark.parametrize("bad_row", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_file_leaves_the_database_exactly_as_it_was(bontang, bad_row):
    Region.objects.filter(code="64.74.03.1003").update(is_active=False)
    before = table()
    renamed = [row.replace("Bontang Baru", "Bontang Baru Indah") for row in BONTANG_UTARA]

    with pytest.raises(RegionFileError):
        # Good rows that would create, update, reactivate and deactivate come first.
        import_regions(
            csv_file(
                *renamed,
                "64.74.01.1007,Kelurahan Baru,4,64.74.01",
                "64.74.03,Bontang Barat,3,64.74",
                "64.74.03.1003,Kanaan,4,64.74.03",
                bad_row[0],
            )
        )

    assert table() == before


def test_every_bad_row_is_reported_in_line_order(db):
    with pytest.raises(RegionFileError) as raised:
        import_regions(
            csv_file(
                "64.74.09.1001,Nowhere,4,64.74.09",
                "64,Kalimantan Timur,1,",
                "64.7,Bad,2,64",
                "64.74,Kota Bontang,2,64",
                "64.74,Kota Bontang,2,64",
                "64.74.01,,3,64.74",
            )
        )

    assert [line for line, _problem in raised.value.problems] == [2, 4, 6, 7]


def test_line_numbers_count_lines_of_the_file_including_blank_ones(db):
    with pytest.raises(RegionFileError) as raised:
        import_regions(io.StringIO(HEADER + "\n\n64,Kalimantan Timur,1,\n\n64.7,Bad,2,64\n"))
    assert [line for line, _problem in raised.value.problems] == [5]


def test_a_record_spanning_several_lines_does_not_shift_later_line_numbers(db):
    # An unbalanced quote on line 3 swallows line 4; the malformed code is on line 5.
    text = (
        HEADER + "\n"
        "64,Kalimantan Timur,1,\n"
        '64.74,"Kota Bontang,2,64\n'
        '64.74.01,Bontang Utara",3,64.74\n'
        "64.7,Bad,2,64\n"
    )
    with pytest.raises(RegionFileError) as raised:
        import_regions(io.StringIO(text))
    assert [line for line, _problem in raised.value.problems] == [3, 5]


def test_a_name_of_exactly_100_characters_is_kept(db):
    import_regions(csv_file("64," + "x" * 100 + ",1,"))
    assert Region.objects.get(code="64").name == "x" * 100


@pytest.mark.parametrize(
    "header",
    ["code,name,level", "kode,nama,tingkat,kode_induk", "name,code,level,parent_code", ""],
)
def test_a_wrong_header_is_reported_on_line_1(db, header):
    with pytest.raises(RegionFileError) as raised:
        import_regions(csv_file(*BONTANG_UTARA, header=header))
    assert raised.value.problems == [(1, "the header must be: code,name,level,parent_code")]
    assert table() == []


def test_an_empty_file_is_a_wrong_header(db):
    with pytest.raises(RegionFileError) as raised:
        import_regions(io.StringIO(""))
    assert [line for line, _problem in raised.value.problems] == [1]


def test_the_header_may_differ_in_case_and_spacing(db):
    result = import_regions(csv_file(*BONTANG_UTARA, header="Code, Name ,LEVEL,parent_code"))
    assert result.created == 5


def test_a_long_list_of_problems_is_cut_short_in_the_message(db):
    rows = [f"64.74.01.{serial:04d},Nowhere,4,64.74.01" for serial in range(1001, 1061)]
    with pytest.raises(RegionFileError) as raised:
        import_regions(csv_file(*rows))
    assert len(raised.value.problems) == 60
    assert str(raised.value).endswith("… and 10 more bad rows")


def kalimantan_timur_rows():
    """The rows of provinsi 64 from the national table (the file must exist)."""
    if not NATIONAL_CSV.exists():
        reason = f"the national region table is not at {NATIONAL_CSV}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with NATIONAL_CSV.open(encoding="utf-8-sig", newline="") as lines:
        reader = csv.reader(lines)
        header = next(reader)
        rows = [row for row in reader if row[0] == "64" or row[0].startswith("64.")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def test_the_real_kalimantan_timur_rows_import_level_by_level(db):
    started = time.monotonic()
    text = kalimantan_timur_rows()

    first = import_regions(io.StringIO(text))
    second = import_regions(io.StringIO(text))

    assert first == ImportResult(created=1154, updated=0, deactivated=0, unchanged=0)
    assert second == ImportResult(created=0, updated=0, deactivated=0, unchanged=1154)
    per_level = {
        level: Region.objects.filter(level=level).count() for level in Region.Level.values
    }
    assert per_level == {1: 1, 2: 10, 3: 105, 4: 1038}
    cities = Region.objects.filter(kind=Region.Kind.KOTA).values_list("name", flat=True)
    assert sorted(cities) == ["Kota Balikpapan", "Kota Bontang", "Kota Samarinda"]
    assert Region.objects.filter(kind=Region.Kind.KABUPATEN).count() == 7
    # The Bontang file the project ships is the same as this part of the national table.
    with BONTANG_CSV.open(encoding="utf-8", newline="") as lines:
        shipped = import_regions(lines, within="64.74")
    assert shipped == ImportResult(created=0, updated=0, deactivated=0, unchanged=20)
    assert time.monotonic() - started < 3
