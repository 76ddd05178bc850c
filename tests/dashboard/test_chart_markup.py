"""The dashboards' charts (dashboard.charts.svg) are the SVG the template loop wrote before,
escaped the same way."""

from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext_lazy

from dashboard import charts

# The chart's <svg> as templates/dashboard/_charts.html wrote it before charts.svg.
LOOP_TEMPLATE = (Path(__file__).parent / "chart_svg_before.html").read_text()


def _without_blank_lines(html):
    # The template's tag lines left lines of spaces between the elements; svg() does not.
    return "\n".join(line for line in html.splitlines() if line.strip())


CHARTS = [
    charts.bar_chart(
        "bodies",
        gettext_lazy("Verified cadres per body"),
        ("Lembaga", "Kader"),
        [("Posyandu", 12), ('Karang "Taruna" & <LPM>', 3), ("Sangat panjang " * 4, 0)],
    ),
    charts.progress_chart(
        "forums",
        "Forum kelurahan terbentuk",
        ("Kecamatan", "Terbentuk"),
        [("Bontang Utara", 2, 6), ("Bontang Selatan", 0, 6), ("Kosong", 0, 0)],
        lambda done, total: f"{done} dari {total}",
    ),
    charts.column_chart(
        "signups",
        "Pendaftaran pelatihan",
        ("Bulan", "Pendaftaran"),
        [("Jan", "Januari 2026", 5), ("Feb", "Februari 2026", 0), ("<M>", "Maret 2026", 12.5)],
    ),
    charts.bar_chart("empty", "Tanpa angka", ("A", "B"), []),
    charts.column_chart("none", "Tanpa kolom", ("A", "B"), []),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("chart", CHARTS, ids=[chart.slug for chart in CHARTS])
def test_the_chart_is_written_as_the_template_wrote_it(language, chart):
    with translation.override(language):
        expected = engines["django"].from_string(LOOP_TEMPLATE).render({"chart": chart})
        written = str(charts.svg(chart))
    # The page indents the tag as the template indented the <svg>.
    assert _without_blank_lines(written) == _without_blank_lines(expected.strip())
    assert written.startswith('<svg class="chart-svg"')
    if chart.slug == "bodies":
        assert "Karang &quot;Taruna&quot; &amp; &lt;LPM&gt;" in written
