"""`{% found_cadre_rows %}`, `{% member_items %}` and `{% event_items %}`
(cadres/templatetags/forums.py) write the rows that a forum's manage page's loops wrote
(kept beside this test as forum_manage_rows_before.html): the same markup, escaped and
localized the same way, for every choice of what the officer may do."""

import re
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from cadres.models import CadreProfile, ForumEvent
from forkom.territory.models import Region

BEFORE = (Path(__file__).parent / "forum_manage_rows_before.html").read_text()
AFTER = (
    "{% load forums %}\n"
    "        {% found_cadre_rows found may_shape may_manage_members manage_url page_query "
    "row.region.code search.form.cleaned_data.name %}\n"
    "<!-- members -->\n"
    "      {% member_items members may_manage_members row.region.code %}\n"
    "<!-- events -->\n"
    "      {% event_items events %}\n"
)
# Each form's one-time key is new on every rendering (forkom.templatetags.forkom).
TOKEN = re.compile(r'name="token" value="[0-9a-f-]{36}"')
HOSTILE = 'Siti <b>Aminah</b> & "Rina"'


def kelurahan():
    return Region(code="64.74.01.1001", name='Belimbing "<Lama>"')


def found():
    rows = []
    for number, (name, nik, position, is_member) in enumerate(
        [
            (HOSTILE, "6474024312880001", "ketua", True),
            ("Budi", None, "", True),
            ("Ani O'Neil", "6474024312880002", "", False),
            ("Dewi", "6474024312880003", "koordinator_bidang", False),
        ]
    ):
        cadre = CadreProfile(
            full_name=name,
            nik=nik,
            kelurahan=kelurahan(),
            public_id=uuid.UUID(int=number + 1),
        )
        cadre.forum_position = position
        cadre.position_label = "" if not position else f"<{position}>"
        cadre.is_member = is_member
        rows.append(cadre)
    return rows


def members():
    """Rows as members_of gives them (four columns), each also as the former loop read it
    (member.profile...), for the loop kept beside this test."""
    rows = []
    for number, (name, started) in enumerate(
        [(HOSTILE, date(2026, 1, 31)), ("Budi", date(2026, 12, 6))]
    ):
        public_id, place = uuid.UUID(int=100 + number), kelurahan()
        rows.append(
            SimpleNamespace(
                full_name=name,
                public_id=public_id,
                kelurahan_name=place.name,
                started_on=started,
                profile=CadreProfile(full_name=name, kelurahan=place, public_id=public_id),
            )
        )
    return rows


def events():
    at = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January in Bontang (WITA)
    rows = []
    for kind, note, extra in [
        (ForumEvent.Kind.SK_RECORDED, "", {"sk_before": "", "sk_after": "188.4/1 <a>"}),
        (ForumEvent.Kind.SK_RECORDED, "", {"sk_before": "1 & 2", "sk_after": "3"}),
        (ForumEvent.Kind.OFFICER_APPOINTED, "", {}),
        (ForumEvent.Kind.OFFICER_ENDED, "masa bakti <selesai>", {}),
        (ForumEvent.Kind.MEMBER_ADDED, "", {}),
        (ForumEvent.Kind.MEMBER_REMOVED, "pindah & keluar", {}),
    ]:
        event = ForumEvent(kind=kind, note=note, at=at)
        event.actor_name = HOSTILE if kind != ForumEvent.Kind.MEMBER_ADDED else ""
        event.subject_name = "" if kind == ForumEvent.Kind.SK_RECORDED else "Budi <x>"
        event.position_label = "Ketua <forum>"
        for name, value in extra.items():
            setattr(event, name, value)
        rows.append(event)
    return rows


def page_context(*, may_shape, may_manage_members, page_query, name, csrf_token):
    """What the manage page gives its lists: the rows, what the officer may do, the search."""
    return {
        "found": found(),
        "members": members(),
        "events": events(),
        "may_shape": may_shape,
        "may_manage_members": may_manage_members,
        "manage_url": "/forum/64.74.01.1001/kelola/",
        "page_query": page_query,
        "row": {"region": kelurahan()},
        "search": SimpleNamespace(form=SimpleNamespace(cleaned_data={"name": name})),
        "csrf_token": csrf_token,
    }


def render(source, context):
    return TOKEN.sub(
        'name="token" value="…"', engines["django"].from_string(source).render(context)
    )


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("may_shape", [True, False])
@pytest.mark.parametrize("may_manage_members", [True, False])
def test_the_rows_are_the_loops_markup(language, may_shape, may_manage_members, settings):
    settings.TIME_ZONE = "Asia/Makassar"
    context = page_context(
        may_shape=may_shape,
        may_manage_members=may_manage_members,
        page_query=QueryDict("name=siti+%3Cb%3E&page=2&appoint=old"),
        name=HOSTILE,
        csrf_token="csrf<&>token",
    )
    with translation.override(language):
        expected = render(BEFORE, context)
        written = render(AFTER, context)
    assert written == expected
    assert written.count("<tr>") == 4
    assert written.count("<li>") == 8
    assert "Siti &lt;b&gt;Aminah&lt;/b&gt; &amp; &quot;Rina&quot;" in written
    # Who may do what decides the links and forms, and each form has its key.
    appoints = written.count("#appoint")
    assert appoints == (2 if may_shape else 0)
    forms = written.count("<form")
    assert forms == (2 + 2 if may_manage_members else 0)
    assert written.count('name="token"') == forms
    assert written.count("csrf&lt;&amp;&gt;token") == forms


def test_the_rows_read_as_indonesian_writes_them(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    context = page_context(
        may_shape=True,
        may_manage_members=True,
        page_query=QueryDict("name=siti"),
        name="siti",
        csrf_token="t",
    )
    with translation.override("id"):
        written = render(AFTER, context)
    assert 'href="/forum/64.74.01.1001/kelola/?name=siti&amp;appoint=' in written
    assert 'action="/forum/64.74.01.1001/kelola/anggota/"' in written
    assert "sejak 31 Januari 2026" in written
    assert ">1 Januari 2027, 01.30</time>" in written
    assert "oleh Siti &lt;b&gt;" in written
    assert 'data-label="Kelurahan"' in written
