"""`{% public_proposal_rows %}` (programs/templatetags/proposals.py) writes the rows that the
public programme list's loop wrote (kept beside this test as public_rows_before.html): the
same markup, escaped, translated and localized the same way."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from cadres.models import Field
from forkom.territory.models import Region
from programs.models import Proposal, ProposalAid

BEFORE = (Path(__file__).parent / "public_rows_before.html").read_text()
AFTER = "{% load proposals %}  {% public_proposal_rows page.object_list %}\n"


def programmes():
    kecamatan = Region(code="64.74.03", name="Bontang <Utara>")
    kelurahan = Region(code="64.74.03.1001", name='Belimbing "Lama"', parent=kecamatan)
    rows = []
    for title, field, public_name, location, budget, aids, state, changed in [
        (
            'Bank sampah <RT 3> & "Kompos"',
            Field(name="Lingkungan & <kebersihan>"),
            "Siti O'Neil <b>",
            kelurahan,
            12_500_000,
            [ProposalAid(kind="csr"), ProposalAid(kind="training")],
            Proposal.State.ESCALATED,
            datetime(2026, 12, 31, 17, 30, tzinfo=UTC),  # 1 January in Bontang (WITA)
        ),
        (
            "Posyandu",
            None,
            "",
            None,
            None,
            [],
            Proposal.State.ACCEPTED,
            datetime(2027, 1, 3, tzinfo=UTC),
        ),
        (
            "Taman baca",
            None,
            "Ani",
            Region(code="64.74.03.1002", name="Guntung"),  # its kecamatan not read
            0,
            [ProposalAid(kind="bank_loan")],
            Proposal.State.ACCEPTED,
            datetime(2026, 11, 1, 0, 0, tzinfo=UTC),
        ),
    ]:
        proposal = Proposal(
            public_id=uuid.uuid4(),
            title=title,
            field=field,
            location=location,
            budget=budget,
            state=state,
            state_changed_at=changed,
        )
        proposal.public_name = public_name
        proposal.aid_list = aids
        rows.append(proposal)
    return rows


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_rows_are_the_loops_markup(language, settings):
    settings.TIME_ZONE = "Asia/Makassar"
    context = {"page": {"object_list": programmes()}}
    with translation.override(language):
        expected = engines["django"].from_string(BEFORE).render(context)
        written = engines["django"].from_string(AFTER).render(context)
    assert written == expected
    assert written.count("<tr>") == 3
    assert "Bank sampah &lt;RT 3&gt; &amp; &quot;Kompos&quot;" in written
    assert "Lingkungan &amp; &lt;kebersihan&gt;" in written
    assert "Siti O&#x27;Neil &lt;b&gt;" in written


def test_the_rows_read_as_indonesian_writes_them(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    with translation.override("id"):
        written = (
            engines["django"].from_string(AFTER).render({"page": {"object_list": programmes()}})
        )
    assert '<time datetime="2027-01-01T01:30:00+08:00">01/01/2027</time>' in written
    assert "Diusulkan oleh Ani" in written
    assert 'data-label="Sejak"' in written
    assert "Rp 12.500.000" in written
    assert '<a href="/wilayah/64.74.03.1001/">Belimbing &quot;Lama&quot;</a>' in written
