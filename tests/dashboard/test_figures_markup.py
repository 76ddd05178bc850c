"""The figures table's forum state, longest wait and attendance cells
(dashboard/templatetags/dashboard_tables.py) are the markup their partials wrote before."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

# The partials of templates/dashboard/_tables.html as they were.
BEFORE = {
    "forum_status": (
        '{% load i18n %}{% if row.forum_formed %}<a href="{{ row.links.forum }}" class="status '
        'status-formed">{% translate "Formed" %}</a> <small>{% blocktranslate with '
        'date=row.sk_date|date:"SHORT_DATE_FORMAT" %}SK of {{ date }}{% endblocktranslate %}'
        '</small>{% else %}<a href="{{ row.links.forum }}" class="status status-pending">'
        '{% translate "Not formed yet" %}</a>{% endif %}'
    ),
    "waited": "{% if since %}{{ since|timesince:board.now }}{% else %}—{% endif %}",
    "attendance": (
        "{% load i18n %}{% if figures.attendance_rate is not None %}{% blocktranslate with "
        "rate=figures.attendance_rate attended=figures.attended registered=figures.registered "
        "%}{{ rate }}% ({{ attended }} of {{ registered }}){% endblocktranslate %}{% else %}—"
        "{% endif %}"
    ),
}
AFTER = {
    "forum_status": "{% load dashboard_tables %}{% forum_status row %}",
    "waited": "{% load dashboard_tables %}{% waited since board.now %}",
    "attendance": "{% load dashboard_tables %}{% attendance figures %}",
}

NOW = datetime.datetime(2026, 12, 5, 1, 30, tzinfo=datetime.UTC)
ROWS = [
    SimpleNamespace(
        forum_formed=True,
        sk_date=datetime.date(2026, 3, 9),
        links=SimpleNamespace(forum="/forum/64.74.01/?a=1&b=<2>"),
    ),
    SimpleNamespace(forum_formed=False, sk_date=None, links=SimpleNamespace(forum="/forum/x/")),
]
FIGURES = [
    SimpleNamespace(attendance_rate=80, attended=4, registered=5),
    SimpleNamespace(attendance_rate=66.7, attended=1234, registered=1850),
    SimpleNamespace(attendance_rate=0, attended=0, registered=3),
    SimpleNamespace(attendance_rate=None, attended=0, registered=0),
]
SINCE = [
    None,
    NOW - datetime.timedelta(days=3, hours=4),
    NOW - datetime.timedelta(days=400),
    NOW - datetime.timedelta(minutes=5),
]
CONTEXTS = [
    *({"row": row} for row in ROWS),
    *({"figures": figures} for figures in FIGURES),
    *({"since": since, "board": SimpleNamespace(now=NOW)} for since in SINCE),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("context", CONTEXTS, ids=range(len(CONTEXTS)))
def test_the_cell_is_written_as_its_partial_wrote_it(language, context):
    name = next(key for key in ("row", "figures", "since") if key in context)
    tag = {"row": "forum_status", "figures": "attendance", "since": "waited"}[name]
    django = engines["django"]
    with translation.override(language):
        expected = django.from_string(BEFORE[tag]).render(context)
        written = django.from_string(AFTER[tag]).render(context)
    assert written == expected
    assert written
    if name == "row" and context["row"].forum_formed:
        assert "&amp;b=&lt;2&gt;" in written
