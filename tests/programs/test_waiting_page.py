""" "Waiting for me" (programs:waiting) and "Usulan saya" (programs:mine): the first page, as
the menu opens it, comes from one statement kept per viewer with its count
(programs.selectors.waiting_first_page, mine_first_page); the pages after it from the ORM.
Together they are waiting_for's (mine's) rows, in its order, each once; a reviewer's own
and their team's are left out of what waits for them."""

from django.urls import reverse

from cadres.models import CadreProfile
from programs import services
from programs.models import AidKind
from programs.selectors import waiting_for
from programs.views import PAGE_SIZE
from tests.programs.factories import make_proposal, make_verified_profile
from tests.programs.test_innovations import record


def submit(proposer, title, **overrides):
    proposal = make_proposal(proposer, title=title, **overrides)
    return services.submit_proposal(actor=proposer, proposal=proposal)


def titles(response):
    return [proposal.title for proposal in response.context["page"].object_list]


def test_the_pages_are_waiting_for_s_rows_in_order(client, proposer, kecamatan_officer):
    for number in range(PAGE_SIZE + 2):
        submit(proposer, f"Usulan {number:02}", aids=[(AidKind.CSR, 2_000_000, "")])
    own = make_verified_profile(kecamatan_officer, kelurahan="64.74.03.1002")
    submit(kecamatan_officer, "Usulan pengurus sendiri")
    submit(proposer, "Usulan dengan tim pengurus", team=[own])
    client.force_login(kecamatan_officer)
    first = client.get(reverse("programs:waiting"))
    assert first.status_code == 200
    page = first.context["page"]
    assert page.paginator.count == PAGE_SIZE + 2
    assert page.paginator.num_pages == 2
    assert page.has_next()
    assert titles(first) == [f"Usulan {number:02}" for number in range(PAGE_SIZE)]
    assert first.text.count("CSR") >= PAGE_SIZE  # each row's kind of help, read after
    second = client.get(reverse("programs:waiting"), {"page": 2})
    assert titles(second) == [f"Usulan {PAGE_SIZE:02}", f"Usulan {PAGE_SIZE + 1:02}"]
    assert titles(first) + titles(second) == [
        proposal.title for proposal in waiting_for(kecamatan_officer)
    ]
    assert "Usulan pengurus sendiri" not in first.text + second.text
    assert "Usulan dengan tim pengurus" not in first.text + second.text
    # Asked again after a decision: the rows are read afresh, the statement kept.
    services.return_proposal(
        actor=kecamatan_officer,
        proposal=page.object_list[0],
        note="Lengkapi anggarannya.",
    )
    again = client.get(reverse("programs:waiting"), {"page": "1"})
    assert again.context["page"].paginator.count == PAGE_SIZE + 1
    assert titles(again)[0] == "Usulan 01"


def test_nothing_waits_for_a_cadre(client, proposer):
    submit(proposer, "Usulan")
    client.force_login(proposer)
    response = client.get(reverse("programs:waiting"))
    assert response.status_code == 200
    assert titles(response) == []
    assert response.context["page"].paginator.count == 0
    assert CadreProfile.objects.filter(user=proposer).exists()


def test_an_officer_s_queue_of_innovations_leaves_out_their_own(
    client, proposer, kecamatan_officer
):
    """Those the officer recorded or is named in are not theirs to publish; the queue is
    read afresh on each visit."""
    own = make_verified_profile(kecamatan_officer, kelurahan="64.74.03.1002")
    record(kecamatan_officer, title="Inovasi pengurus", kelurahan=own.kelurahan)
    record(proposer, title="Inovasi bersama pengurus", cadres=[own])
    record(proposer, title="Inovasi kader")
    client.force_login(kecamatan_officer)
    queue = client.get(reverse("programs:waiting")).context["to_publish"]
    assert [innovation.title for innovation in queue] == ["Inovasi kader"]
    record(proposer, title="Inovasi kedua")
    queue = client.get(reverse("programs:waiting")).context["to_publish"]
    assert [innovation.title for innovation in queue] == ["Inovasi kader", "Inovasi kedua"]
    assert [innovation.kelurahan.name for innovation in queue] == ["Belimbing"] * 2


def test_one_s_own_first_page_follows_the_team_and_continues_on_the_next(
    client, proposer, teammate
):
    """ "Usulan saya"'s first page and count come from one statement kept per profile and team
    (programs.selectors.mine_first_page); with the next page they are mine()'s rows in its
    order. A proposal whose team the cadre joins, or leaves, shows or goes at once."""
    from programs.selectors import MINE_ORDER, mine

    for number in range(PAGE_SIZE):
        make_proposal(proposer, title=f"Usulan {number:02}")
    theirs = make_proposal(teammate, title="Usulan kawan")
    client.force_login(proposer)
    first = client.get(reverse("programs:mine"))
    assert first.context["page"].paginator.count == PAGE_SIZE
    assert titles(first) == [proposal.title for proposal in mine(proposer).order_by(*MINE_ORDER)]
    theirs.team.add(CadreProfile.objects.get(user=proposer))
    again = client.get(reverse("programs:mine"))
    assert again.context["page"].paginator.count == PAGE_SIZE + 1
    second = client.get(reverse("programs:mine"), {"page": 2})
    assert titles(again) + titles(second) == [
        proposal.title for proposal in mine(proposer).order_by(*MINE_ORDER)
    ]
    assert "Usulan kawan" in titles(again) + titles(second)
    theirs.team.clear()
    assert "Usulan kawan" not in titles(client.get(reverse("programs:mine")))
    assert client.get(reverse("programs:mine")).context["page"].paginator.count == PAGE_SIZE
    # The teammate's own page: theirs alone.
    client.force_login(teammate)
    assert titles(client.get(reverse("programs:mine"))) == ["Usulan kawan"]
