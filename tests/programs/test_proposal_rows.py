"""`{% proposal_rows %}` (programs/templatetags/proposals.py) writes the rows that the
proposal lists' loop wrote (kept beside this test as proposal_rows_before.html): the same
markup, escaped and localized the same way."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from cadres.models import CadreProfile
from forkom.territory.models import Region
from programs.models import Proposal, ProposalAid

BEFORE = (Path(__file__).parent / "proposal_rows_before.html").read_text()
AFTER = "{% load proposals %}  {% proposal_rows page.object_list show_waited now %}\n"
NOW = datetime(2027, 1, 3, 9, 0, tzinfo=UTC)


def proposals():
    kecamatan = Region(code="64.74.03", name="Bontang <Utara>")
    kelurahan = Region(code="64.74.03.1001", name='Belimbing "Lama"', parent=kecamatan)
    rows = []
    for title, proposer, location, budget, aids, state, changed in [
        (
            'Bank sampah <RT 3> & "Kompos"',
            "Siti O'Neil",
            kelurahan,
            12_500_000,
            [ProposalAid(kind="csr"), ProposalAid(kind="training")],
            Proposal.State.SUBMITTED,
            datetime(2026, 12, 31, 17, 30, tzinfo=UTC),  # 1 January in Bontang (WITA)
        ),
        ("Posyandu", "Budi", None, None, [], Proposal.State.DRAFT, NOW),
        (
            "Taman baca",
            "Ani",
            Region(code="64.74.03.1002", name="Guntung"),  # its kecamatan not read
            0,
            [ProposalAid(kind="bank_loan")],
            Proposal.State.ESCALATED,
            datetime(2026, 11, 1, 0, 0, tzinfo=UTC),
        ),
    ]:
        proposal = Proposal(
            public_id=uuid.uuid4(),
            title=title,
            proposer=CadreProfile(full_name=proposer),
            location=location,
            budget=budget,
            state=state,
            state_changed_at=changed,
        )
        proposal.aid_list = aids
        rows.append(proposal)
    return rows


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("show_waited", [True, False, ""])
def test_the_rows_are_the_loops_markup(language, show_waited, settings):
    settings.TIME_ZONE = "Asia/Makassar"
    rows = proposals()
    context = {"page": {"object_list": rows}, "show_waited": show_waited, "now": NOW}
    with translation.override(language):
        expected = engines["django"].from_string(BEFORE).render(context)
        written = engines["django"].from_string(AFTER).render(context)
    assert written == expected
    assert written.count("<tr>") == 3
    assert "Bank sampah &lt;RT 3&gt; &amp; &quot;Kompos&quot;" in written
    assert ("<time" in written) is not bool(show_waited)


def test_the_since_and_the_wait_read_as_indonesian_writes_them(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    context = {"page": {"object_list": proposals()}, "now": NOW}
    with translation.override("id"):
        since = engines["django"].from_string(AFTER).render(context)
        waited = engines["django"].from_string(AFTER).render({**context, "show_waited": True})
    assert '<time datetime="2027-01-01T01:30:00+08:00">01/01/2027</time>' in since
    assert 'data-label="Sejak"' in since
    assert "Rp 12.500.000" in since
    assert 'data-label="Menunggu selama"' in waited
    assert "2\xa0hari, 15\xa0jam" in waited  # 31 December 17.30 to 3 January 9.00 UTC
