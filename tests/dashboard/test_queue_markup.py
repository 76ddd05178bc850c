"""The dashboards' queue items (dashboard_queue.queue_items) are the markup the template loop
wrote before the tag, escaped the same way."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from forkom.territory.models import Region
from programs.models import Proposal

# The queue's loop as templates/dashboard/_queue.html wrote it before the tag.
LOOP_TEMPLATE = (Path(__file__).parent / "queue_loop_before.html").read_text()

TAG_TEMPLATE = """{% load i18n dashboard_queue %}{% translate "Escalate to the province" as forward_label %}
{% queue_items queue now=board.now may_decide=may_decide show_kota=show_kota forward_action=forward_action forward_label=forward_label %}"""  # noqa: E501


def _proposal(title, budget, waited, now):
    kota = Region(code="64.74", name="Kota Bontang")
    kecamatan = Region(code="64.74.01", name="Bontang <Selatan>", parent=kota)
    kelurahan = Region(code="64.74.01.1001", name='Tanjung "Laut"', parent=kecamatan)
    proposal = Proposal(
        public_id=uuid.uuid4(),
        title=title,
        budget=budget,
        location=kelurahan,
        state_changed_at=now - waited if waited is not None else None,
    )
    # The names as the queue's selector annotates them; the old loop read the regions.
    proposal.kelurahan_name = kelurahan.name
    proposal.kecamatan_name = kecamatan.name
    proposal.kota_name = kota.name
    return proposal


def _without_blank_lines(html):
    # The template's tag lines left lines of spaces between the elements; the tag does not.
    return "\n".join(line for line in html.splitlines() if line.strip())


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("may_decide", [True, False])
@pytest.mark.parametrize("show_kota", [True, False])
def test_the_queue_is_written_as_the_template_wrote_it(language, may_decide, show_kota):
    now = datetime.datetime(2026, 12, 5, 1, 30, tzinfo=datetime.UTC)
    queue = [
        (
            _proposal(
                'Pelatihan <b>kader</b> & "posyandu"',
                12_500_000,
                datetime.timedelta(days=40, hours=3),
                now,
            ),
            uuid.uuid4(),
        ),
        (_proposal("Bank sampah", 0, datetime.timedelta(minutes=5), now), uuid.uuid4()),
        (_proposal("Tanpa tanggal", None, None, now), uuid.uuid4()),
    ]
    request = RequestFactory().get("/dasbor/kota/64.74/?a=<1>")
    context = {
        "queue": queue,
        "board": {"now": now},
        "may_decide": may_decide,
        "show_kota": show_kota,
        "forward_action": "escalate",
        # One token for both renders (each render of {% csrf_token %} masks it anew).
        "csrf_token": "kSk2d9Qe7uT0<&>",
    }
    engine = engines["django"]
    with translation.override(language):
        expected = engine.from_string(
            '{% load i18n %}{% translate "Escalate to the province" as forward_label %}'
            + LOOP_TEMPLATE.replace("{% load i18n forkom %}", "{% load forkom %}", 1)
        ).render(context, request)
        written = engine.from_string(TAG_TEMPLATE).render(context, request)
    assert _without_blank_lines(written) == _without_blank_lines(expected)
    assert written.count('<li class="queue-item">') == 3
    assert ("csrfmiddlewaretoken" in written) is may_decide
    assert "&lt;b&gt;kader&lt;/b&gt; &amp; &quot;posyandu&quot;" in written
