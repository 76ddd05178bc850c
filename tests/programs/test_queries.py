"""The lists, the exports and the proposal page cost the same number of queries for one row
(event, comment, file) as for many: related rows come with the page, not one by one."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import CadreProfile, Field
from programs import services
from programs.models import AidKind, Proposal
from tests.conftest import streamed
from tests.programs.factories import make_proposal, make_verified_profile

State = Proposal.State
PDF = b"%PDF-1.4\n%%EOF\n"
ALL_AIDS = [(kind, 1_000_000, "catatan") for kind in AidKind.values]


def count_queries(client, url, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
        if response.streaming:
            streamed(response)
    assert response.status_code == 200
    return len(queries)


def add_submitted(proposer, count, **overrides):
    for _ in range(count):
        proposal = make_proposal(
            proposer, title=f"Usulan {uuid.uuid4().hex[:6]}", aids=ALL_AIDS, **overrides
        )
        services.submit_proposal(actor=proposer, proposal=proposal)


@pytest.mark.parametrize(
    ("url_name", "args", "viewer", "pinned"),
    [
        # Each reads the viewer's own proposals by id: their profile, their team's ids. The
        # first page of an area's list as it opens, its rows and count in one statement
        # after the team's ids, then the kinds of help (a filtered page, tested below, reads
        # its keys before its rows: KeysFirstPaginator). The first page waiting reads its
        # rows and count in one statement, leaving the viewer's own out in SQL, then the
        # kinds of help, and each queue of innovations in one; the first page of one's own,
        # its rows and count in one after the team's ids.
        ("programs:list", [], "kecamatan_officer", 9),
        ("programs:waiting", [], "kecamatan_officer", 7),
        ("programs:mine", [], "proposer", 9),
        ("programs:export", ["csv"], "coordinator", 7),
        ("programs:export", ["xlsx"], "coordinator", 7),
    ],
)
def test_a_list_costs_the_same_queries_for_one_row_and_for_many(
    client, request, proposer, teammate, url_name, args, viewer, pinned
):
    field = Field.objects.first()
    mate = CadreProfile.objects.get(user=teammate)
    add_submitted(proposer, 1, field=field, team=[mate])
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    url = reverse(url_name, args=args)
    one = count_queries(client, url)
    add_submitted(proposer, 12, field=field, team=[mate])
    other = make_verified_profile(kelurahan="64.74.03.1003", full_name="Kader Kanaan")
    add_submitted(other.user, 3)
    assert count_queries(client, url) == one == pinned


def test_the_filtered_list_costs_the_same_queries_for_one_row_and_for_many(
    client, proposer, coordinator
):
    add_submitted(proposer, 1)
    client.force_login(coordinator)
    url = reverse("programs:list")
    query = {"q": "Usulan", "aid": "csr", "kecamatan": "64.74.03", "state": "submitted"}
    one = count_queries(client, url, **query)
    add_submitted(proposer, 12)
    assert count_queries(client, url, **query) == one


def test_the_proposal_page_costs_the_same_queries_however_long_its_history(
    client, proposer, teammate, kecamatan_officer, coordinator
):
    mate = CadreProfile.objects.get(user=teammate)
    proposal = make_proposal(proposer, team=[mate], aids=ALL_AIDS)
    services.attach_file(
        actor=proposer, proposal=proposal, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    proposal = services.submit_proposal(actor=proposer, proposal=proposal)
    services.add_comment(actor=kecamatan_officer, proposal=proposal, body="Pertanyaan 1")
    url = proposal.get_absolute_url()
    before = {}
    for viewer in (proposer, kecamatan_officer, coordinator):
        client.force_login(viewer)
        before[viewer.pk] = count_queries(client, url)
    # The proposal is read by its key, then who may see it is asked of it: the proposer by
    # its proposer, the officials by their roles (get_visible_or_404, no query more). The
    # officials read the menu's counts too.
    assert before == {proposer.pk: 9, kecamatan_officer.pk: 10, coordinator.pk: 10}
    # A longer history: returned and resubmitted, files, comments from everyone.
    proposal = services.return_proposal(actor=kecamatan_officer, proposal=proposal, note="a")
    for number in range(4):
        services.attach_file(
            actor=proposer, proposal=proposal, upload=SimpleUploadedFile(f"{number}.pdf", PDF)
        )
    proposal = services.submit_proposal(actor=proposer, proposal=proposal)
    proposal = services.recommend_proposal(actor=kecamatan_officer, proposal=proposal)
    for author in (proposer, kecamatan_officer, coordinator, teammate) * 3:
        services.add_comment(actor=author, proposal=proposal, body="Komentar")
    for viewer in (proposer, kecamatan_officer, coordinator):
        client.force_login(viewer)
        assert count_queries(client, url) == before[viewer.pk]
