"""The area's proposal list ("Semua usulan", programs:list): its first page, as the menu opens
it (no filter, no page or the first), comes from one statement kept by what the viewer may
see (programs.selectors.visible_first_page); the pages after it and any filtered page from
the ORM. Together they are visible_proposals' rows in the list's order, each once, for every
viewer; a role ended, a profile made, a team joined or left and a proposal submitted show on
the next visit."""

from django.urls import reverse

from cadres.models import CadreProfile
from forkom.accounts import services as account_services
from forkom.accounts.models import RoleAssignment
from programs import services
from programs.selectors import LIST_ORDER, visible_proposals
from programs.views import PAGE_SIZE
from tests.programs.factories import make_proposal, make_verified_profile

LIST = reverse("programs:list")


def submit(proposer, title, **overrides):
    proposal = make_proposal(proposer, title=title, **overrides)
    return services.submit_proposal(actor=proposer, proposal=proposal)


def titles(response):
    assert response.status_code == 200
    return [proposal.title for proposal in response.context["page"].object_list]


def visible_titles(user):
    return [proposal.title for proposal in visible_proposals(user).order_by(*LIST_ORDER)]


def whole_list(client):
    """Every page of the list, as its first page comes and the pages after it."""
    first = client.get(LIST)
    shown = titles(first)
    for number in range(2, first.context["page"].paginator.num_pages + 1):
        shown += titles(client.get(LIST, {"page": number}))
    return first.context["page"].paginator.count, shown


def test_the_pages_are_visible_proposals_rows_in_order_for_every_viewer(
    client, proposer, teammate, kecamatan_officer, other_kecamatan_officer, coordinator
):
    for number in range(PAGE_SIZE + 2):
        submit(proposer, f"Usulan {number:02}")
    make_proposal(proposer, title="Draf pengusul")  # seen by its proposer alone
    far = make_verified_profile(kelurahan="64.74.01.1001", full_name="Kader Selatan").user
    submit(far, "Usulan Bontang Selatan", kelurahan="64.74.01.1001")
    mate = CadreProfile.objects.get(user=teammate)
    make_proposal(proposer, title="Draf dengan tim", team=[mate])
    for viewer, count in [
        (proposer, PAGE_SIZE + 4),
        (teammate, 1),
        (far, 1),
        (kecamatan_officer, PAGE_SIZE + 2),
        (other_kecamatan_officer, 1),
        (coordinator, PAGE_SIZE + 3),
    ]:
        client.force_login(viewer)
        total, shown = whole_list(client)
        assert (total, shown) == (count, visible_titles(viewer)), viewer
        assert titles(client.get(LIST, {"page": 1})) == shown[:PAGE_SIZE]
    # A filtered list is the ORM's, as before.
    client.force_login(coordinator)
    filtered = client.get(LIST, {"kecamatan": "64.74.01"})
    assert titles(filtered) == ["Usulan Bontang Selatan"]


def test_a_proposal_submitted_is_first_on_the_next_visit(client, proposer, kecamatan_officer):
    submit(proposer, "Usulan lama")
    client.force_login(kecamatan_officer)
    assert titles(client.get(LIST)) == ["Usulan lama"]
    submit(proposer, "Usulan baru")
    again = client.get(LIST)
    assert titles(again) == ["Usulan baru", "Usulan lama"]
    assert again.context["page"].paginator.count == 2


def test_a_role_ended_narrows_the_next_visit(client, proposer, kecamatan_officer):
    submit(proposer, "Usulan kecamatan")
    client.force_login(kecamatan_officer)
    assert titles(client.get(LIST)) == ["Usulan kecamatan"]
    account_services.revoke_role(
        actor=None, assignment=RoleAssignment.objects.get(user=kecamatan_officer)
    )
    after = client.get(LIST)
    assert titles(after) == []
    assert after.context["page"].paginator.count == 0


def test_a_profile_made_and_a_team_joined_or_left_show_on_the_next_visit(
    client, proposer, teammate, coordinator
):
    client.force_login(coordinator)
    assert titles(client.get(LIST)) == []
    # The coordinator becomes a cadre too, and drafts a proposal of their own.
    make_verified_profile(coordinator, kelurahan="64.74.03.1003")
    make_proposal(coordinator, title="Draf koordinator")
    assert titles(client.get(LIST)) == ["Draf koordinator"]
    # The teammate is put on a draft's team, then taken off it.
    draft = make_proposal(proposer, title="Draf pengusul")
    client.force_login(teammate)
    assert titles(client.get(LIST)) == []
    draft.team.add(CadreProfile.objects.get(user=teammate))
    assert titles(client.get(LIST)) == ["Draf pengusul"]
    draft.team.clear()
    assert titles(client.get(LIST)) == []
