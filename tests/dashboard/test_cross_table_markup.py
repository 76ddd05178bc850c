"""The dashboards' cross tables (dashboard/templatetags/dashboard_tables.py) are the markup the
template loop wrote before, escaped and localized the same way."""

from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from dashboard.links import Cell, CrossTable

# The partial as templates/dashboard/_tables.html#cross-table wrote it with loops.
LOOP_TEMPLATE = (Path(__file__).parent / "cross_table_before.html").read_text()

TABLES = {
    "states": CrossTable(
        rows=[
            (
                "Bontang <Utara>",
                [
                    Cell(
                        12, "/usulan/semua/?status=diajukan&kelurahan=64.74.01", 'Diajukan "baru"'
                    ),
                    Cell(0, "/usulan/semua/?status=ditolak", gettext_lazy("Draft")),
                    Cell(1234567, "/usulan/semua/?a=<b>", mark_safe("<em>Aman</em>")),
                ],
            ),
            ("Bontang Selatan", [Cell(2.5, "", "Desimal"), Cell(None, "/x/", "Kosong")]),
        ],
        total=[Cell(12, "", 'Diajukan "baru"'), Cell(0, "", gettext_lazy("Draft"))],
    ),
    "empty": CrossTable(rows=[], total=[]),
}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("row_kind", ["kota", "kecamatan", "kelurahan"])
@pytest.mark.parametrize("name", list(TABLES))
def test_the_cross_table_is_written_as_the_loops_wrote_it(language, row_kind, name):
    django = engines["django"]
    context = {"table": TABLES[name], "table_id": name, "row_kind": row_kind}
    with translation.override(language):
        expected = django.from_string(LOOP_TEMPLATE).render(context)
        written = django.get_template("dashboard/_tables.html#cross-table").render(context)
    assert written == expected
    if name == "states":
        assert "Bontang &lt;Utara&gt;" in written
        assert 'data-label="Diajukan &quot;baru&quot;"' in written
        assert "?status=diajukan&amp;kelurahan=64.74.01" in written
        assert "<em>Aman</em>" in written
        assert ("2,5" if language == "id" else "2.5") in written
