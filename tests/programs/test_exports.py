"""programs.exports.rows reads plain values a chunk at a time: every column of every row is
what the proposal itself holds, the aids of each chunk included."""

import csv
import io
from datetime import UTC, datetime

from django.urls import reverse
from django.utils import timezone

from cadres.models import Field
from programs import exports, services
from programs.models import AidKind, Proposal
from tests.conftest import streamed
from tests.programs.factories import make_proposal


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def as_the_proposal_holds_it(proposal):
    return [
        str(proposal.public_id),
        proposal.title,
        proposal.get_state_display(),
        local(proposal.state_changed_at),
        proposal.proposer.full_name,
        proposal.location.name,
        proposal.location.parent.name,
        proposal.field.name if proposal.field else "",
        ", ".join(aid.get_kind_display() for aid in proposal.aids.order_by("pk")),
        proposal.budget,
        proposal.beneficiaries,
        proposal.starts_on,
        proposal.ends_on,
        local(proposal.first_submitted_at),
    ]


def test_every_column_of_every_row_across_chunks(proposer, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    field = Field.objects.first()
    made = [
        make_proposal(proposer, title="Dengan bidang", field=field),
        make_proposal(proposer, title="Tanpa bantuan", aids=[]),
        make_proposal(
            proposer,
            title="Semua bantuan",
            aids=[(kind, 1_000_000, "catatan") for kind in reversed(AidKind.values)],
        ),
        make_proposal(proposer, title="Di kelurahan lain", kelurahan="64.74.03.1003"),
        make_proposal(proposer, title="Draf saja"),
    ]
    for proposal in [made[0], made[2], made[3]]:  # a draft without aids cannot be submitted
        services.submit_proposal(actor=proposer, proposal=proposal)
    proposals = Proposal.objects.order_by("pk")

    written = list(exports.rows(proposals))

    assert written == [as_the_proposal_holds_it(proposal) for proposal in proposals]
    assert [row[7] for row in written] == [field.name, "", "", "", ""]
    assert written[1][8] == ""
    assert written[2][8].count(", ") == len(AidKind.values) - 1
    assert [row[13] is None for row in written] == [False, True, False, False, True]


def test_the_csv_writes_times_as_local_wall_clock_to_the_minute(client, proposer, settings):
    """Found on the demo site: "In this state since" read `2026-12-06 15:26:27.116956`."""
    moment = datetime(2026, 12, 6, 7, 26, 27, 116956, tzinfo=UTC)  # 15:26 in Makassar
    proposal = services.submit_proposal(actor=proposer, proposal=make_proposal(proposer))
    Proposal.objects.filter(pk=proposal.pk).update(
        state_changed_at=moment, first_submitted_at=moment
    )
    client.force_login(proposer)
    response = client.get(reverse("programs:export", args=["csv"]))
    lines = list(csv.reader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    assert (lines[1][3], lines[1][13]) == ("2026-12-06 15:26", "2026-12-06 15:26")
