"""`{% notification_items %}` (forkom/notifications/templatetags/inbox.py) writes what the
inbox's loop wrote (kept beside this test as inbox_items_before.html): the same markup,
escaped and localized the same way, read or unread, in either language."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import Context, engines
from django.utils import translation

from forkom.notifications.models import Notification
from forkom.notifications.templatetags.inbox import notification_items

BEFORE = (Path(__file__).parent / "inbox_items_before.html").read_text().removesuffix("\n")
AFTER = "{% load inbox %}{% notification_items page %}"


def notifications():
    came = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January in Bontang (WITA)
    return [
        Notification(
            pk=7,
            subject='Usulan <b>"Bank Sampah"</b> & kawan dikembalikan',
            other_subjects={"en": 'Proposal <b>"Bank Sampah"</b> & co returned'},
            created_at=came,
        ),
        Notification(
            pk=1234567,
            subject="Pengumuman: Rapat koordinasi",
            created_at=came.replace(month=6, day=30),
            read_at=came,
        ),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_items_are_the_loops_markup(language):
    rows = notifications()
    context = {"page": rows, "csrf_token": 'csrf<&>"token'}
    django = engines["django"]
    with translation.override(language):
        expected = django.from_string(BEFORE).render(context)
        written = django.from_string(AFTER).render(context)
    assert written == expected
    assert written.count("<li") == 2
    assert written.count("csrf&lt;&amp;&gt;&quot;token") == 2


def test_each_item_reads_in_the_pages_language_and_bontangs_time(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    rows = notifications()
    context = Context({"csrf_token": "t"})
    with translation.override("en"):
        english = notification_items(context, rows)
    with translation.override("id"):
        indonesian = notification_items(context, rows)
    assert "Proposal &lt;b&gt;&quot;Bank Sampah&quot;&lt;/b&gt; &amp; co returned" in english
    assert "Usulan &lt;b&gt;&quot;Bank Sampah&quot;&lt;/b&gt; &amp; kawan" in indonesian
    assert '<li class="unread">' in english
    assert '<li class="read">' in english
    assert english.count("<strong>New:</strong>") == 1
    assert indonesian.count("<strong>Baru:</strong>") == 1
    assert 'action="/notifikasi/7/buka/"' in english
    assert 'action="/notifikasi/1234567/buka/"' in english
    assert 'datetime="2027-01-01T01:30:00+08:00"' in english
    assert notification_items(context, []) == ""
