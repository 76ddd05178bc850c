"""forkom.spreadsheets: one rule for every download, CSV and XLSX."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from itertools import product

import pytest
from openpyxl import load_workbook

from forkom import spreadsheets
from tests.conftest import streamed

DANGEROUS = ["=1+1", "+62 812", "-2", "@SUM(A1)", "\tx", "\rx"]
ROWS = [
    ["Name", "Count", "When"],
    *[[text, 3, date(2026, 11, 28)] for text in DANGEROUS],
    # Spreadsheet cells hold wall-clock times: the exports write local, naive values.
    ["Plain", None, datetime(2026, 11, 28, 9, 30)],  # noqa: DTZ001
    ["Total", Decimal("1500000"), ""],
]


def body(response):
    return streamed(response)


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert spreadsheets.safe_value(text) == "'" + text


@pytest.mark.parametrize("value", ["Siti", "", 0, -2, 3.5, Decimal("-1"), date(2026, 1, 1)])
def test_other_values_stay_as_they_are(value):
    assert spreadsheets.safe_value(value) == value


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("Rapat;=1+2", "Rapat;'=1+2"),
        ("Rapat, =HYPERLINK(1)", "Rapat, '=HYPERLINK(1)"),
        ("a\t@SUM(A1)", "a\t'@SUM(A1)"),
        ("a|+1", "a|'+1"),
        ("baris\n=1", "baris\n'=1"),
        ("Jl. Sudirman - RT 3", "Jl. Sudirman - RT 3"),
    ],
)
def test_every_place_a_field_could_start_is_guarded(text, safe):
    """Excel with Indonesian settings splits a CSV on ";": the text after it is a field."""
    assert spreadsheets.safe_value(text) == safe


def test_the_quick_check_skips_only_text_the_substitution_would_leave_alone():
    """safe_value looks for a formula's first character before it substitutes: every text
    of these characters up to four long gets what the substitution alone gives."""
    alphabet = "a =+-@\t\r\n,;|'"
    for length in range(5):
        for characters in product(alphabet, repeat=length):
            text = "".join(characters)
            by_substitution = spreadsheets._FORMULA_AT_FIELD_START.sub(r"\1\2'\3", text)
            assert spreadsheets.safe_value(text) == by_substitution, repr(text)


def test_no_field_of_a_csv_read_with_any_separator_is_a_formula():
    rows = [["Rapat;=1+2", "x,@A1", "y\t-3", "z|+4"]]
    content = body(spreadsheets.response("csv", iter(rows), "daftar")).decode("utf-8-sig")
    for separator in ",;\t|":
        for line in content.splitlines():
            for field in line.split(separator):
                assert not field.strip().strip('"').lstrip().startswith(("=", "+", "-", "@"))


def test_none_is_an_empty_cell():
    assert spreadsheets.safe_value(None) == ""


def test_csv_is_utf8_with_a_byte_order_mark_and_quotes_formulas():
    response = spreadsheets.response("csv", iter(ROWS), "daftar")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="daftar.csv"' in response["Content-Disposition"]
    content = body(response)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:7]] == ["'" + text for text in DANGEROUS]
    assert rows[7] == ["Plain", "", "2026-11-28 09:30:00"]


def test_xlsx_types_text_as_text_and_keeps_numbers_and_dates():
    response = spreadsheets.response(
        "xlsx", iter(ROWS), "daftar", sheet_name="Kader: a/b", widths=(30, 10), bold_last=True
    )
    assert 'filename="daftar.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet.title == "Kader  a b"
    cells = list(sheet.iter_rows())
    for row, text in zip(cells[1:7], DANGEROUS, strict=True):
        # (XML reads a carriage return back as a line feed.)
        assert row[0].value == ("'" + text).replace("\r", "\n")
        assert row[0].data_type == "s"
        assert row[1].value == 3
        assert row[1].data_type == "n"
        assert row[2].value == datetime(2026, 11, 28)  # noqa: DTZ001
    assert cells[8][1].value == 1500000
    assert [cell.font.bold for cell in cells[0]] == [True] * 3
    assert cells[8][0].font.bold
    assert not cells[1][0].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30


def test_a_control_character_stored_before_forms_refused_it_does_not_break_the_workbook():
    """One cadre's name with a bell character made every XLSX export of their area answer
    500 (openpyxl refuses it; found by a walk through the demo site). Forms refuse them now;
    what was stored before is written without them."""
    rows = [["Nama"], ["Siti Kader\x07\x0b"], ["Judul\x1bdengan kontrol\x00"], ["Baris\tdua\nx"]]
    response = spreadsheets.response("xlsx", iter(rows), "daftar", sheet_name="Kader")
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert [row[0].value for row in sheet.iter_rows()] == [
        "Nama",
        "Siti Kader",
        "Juduldengan kontrol",
        "Baris\tdua\nx",
    ]
