"""`{% cadre_rows %}` (cadres/templatetags/cadre_rows.py) writes the rows that the cadre
list's loop wrote (kept beside this test as cadre_rows_before.html): the same markup,
escaped and localized the same way, with the verify and reject forms where the viewer
decides for a waiting cadre."""

import re
import uuid
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from cadres.forms import RejectForm
from cadres.models import CadreProfile
from forkom.territory.models import Region

BEFORE = (Path(__file__).parent / "cadre_rows_before.html").read_text()
AFTER = "{% load cadre_rows %}\n  {% cadre_rows rows %}\n"
# Each form's one-time key is new on every rendering (forkom.templatetags.forkom).
TOKEN = re.compile(r'name="token" value="[0-9a-f-]{36}"')
HOSTILE = 'Siti <b>Aminah</b> & "Rina"'
Status = CadreProfile.Status


def rows():
    kecamatan = Region(code="64.74.03", name="Bontang <Utara>")
    kelurahan = Region(code="64.74.03.1001", name='Belimbing "Lama"', parent=kecamatan)
    orphan = Region(code="64.74.03.1002", name="Guntung")  # its kecamatan not read
    found = []
    for number, (name, nik, place, status, may_decide) in enumerate(
        [
            (HOSTILE, "6474024312880001", kelurahan, Status.WAITING, True),
            ("Budi", "", orphan, Status.WAITING, False),
            ("Ani O'Neil", "6474024312880002", kelurahan, Status.VERIFIED, True),
            ("Dewi", None, kelurahan, Status.REJECTED, False),
            ("Rina", "6474024312880003", orphan, Status.WAITING, True),
        ]
    ):
        profile = CadreProfile(
            full_name=name,
            nik=nik,
            kelurahan=place,
            status=status,
            public_id=uuid.UUID(int=number + 1),
        )
        found.append((profile, may_decide))
    return found


def render(source, context):
    return TOKEN.sub(
        'name="token" value="…"', engines["django"].from_string(source).render(context)
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_rows_are_the_loops_markup(language):
    request = RequestFactory().get("/kader/daftar-kader/?status=waiting&page=2")
    context = {
        "rows": rows(),
        "reject_form": RejectForm(),
        "csrf_token": "csrf<&>token",
        "request": request,
    }
    with translation.override(language):
        expected = render(BEFORE, context)
        written = render(AFTER, context)
    assert written == expected
    assert written.count("<tr>") == 5
    assert "Siti &lt;b&gt;Aminah&lt;/b&gt; &amp; &quot;Rina&quot;" in written
    assert "Bontang &lt;Utara&gt;" in written
    # Two waiting cadres the viewer decides for: a verify and a reject form each.
    assert written.count("<form") == 4
    assert written.count('name="token"') == 4
    assert written.count("csrf&lt;&amp;&gt;token") == 4
    assert written.count('value="/kader/daftar-kader/?status=waiting&amp;page=2"') == 4
    assert f'action="/kader/{uuid.UUID(int=5)}/verifikasi/"' in written


def test_the_rows_read_as_indonesian_writes_them():
    context = {"rows": rows()[:1], "reject_form": RejectForm(), "csrf_token": "t"}
    with translation.override("id"):
        written = render(AFTER, context)
    assert f'<a href="/kader/{uuid.UUID(int=1)}/">' in written
    assert 'data-label="Kelurahan">Belimbing &quot;Lama&quot;<br><small>' in written
    assert ">Menunggu verifikasi</td>" in written
    assert "Tolak" in written
