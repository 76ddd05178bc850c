"""The public list of programmes channelled to the province or accepted."""

import uuid

import pytest
from django.urls import reverse

from cadres.models import CadreProfile
from forkom import personal_data
from programs import services
from programs.models import Proposal
from tests.programs.factories import bring_to, make_proposal

State = Proposal.State
LIST = reverse("programs:public")


@pytest.fixture
def people(kecamatan_officer, coordinator, staff):
    return {"officer": kecamatan_officer, "coordinator": coordinator, "staff": staff}


def proposal_in(state, proposer, people, title, kelurahan="64.74.03.1002"):
    return bring_to(make_proposal(proposer, title=title, kelurahan=kelurahan), state, **people)


@pytest.fixture
def proposals(proposer, people):
    proposal_in(State.ACCEPTED, proposer, people, "Usulan Diterima")
    proposal_in(State.ESCALATED, proposer, people, "Usulan Tersalur", kelurahan="64.74.03.1003")
    proposal_in(State.RECOMMENDED, proposer, people, "Usulan Direkomendasikan")
    proposal_in(State.SUBMITTED, proposer, people, "Usulan Diajukan")
    proposal_in(State.DECLINED, proposer, people, "Usulan Ditolak")
    make_proposal(proposer, title="Usulan Draf")


def titles(response):
    return [proposal.title for proposal in response.context["page"].object_list]


@pytest.mark.parametrize("signed_in", [False, True])
def test_everyone_sees_the_channelled_and_accepted_programmes_with_their_state(
    client, proposals, cadre, signed_in
):
    if signed_in:
        client.force_login(cadre)
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Usulan Diterima", "Usulan Tersalur"]
    assert "Accepted into the provincial programme" in response.text
    assert "Escalated to the province" in response.text
    assert "Training, Mentoring" in response.text
    assert "Rp 12,500,000" in response.text


def test_the_list_filters_by_kecamatan_kelurahan_and_state(client, proposals):
    barat = titles(client.get(LIST, {"wilayah": "64.74.03"}))
    assert sorted(barat) == ["Usulan Diterima", "Usulan Tersalur"]
    assert titles(client.get(LIST, {"wilayah": "64.74.03.1003"})) == ["Usulan Tersalur"]
    assert titles(client.get(LIST, {"state": "accepted"})) == ["Usulan Diterima"]
    assert titles(client.get(LIST, {"wilayah": "64.74.01"})) == []
    empty = client.get(LIST, {"wilayah": "64.74.02.1001"})
    assert "No programme has reached the province yet in this area." in empty.text


@pytest.mark.parametrize(
    "query", [{"wilayah": "65"}, {"wilayah": "64.74"}, {"state": "submitted"}, {"state": "x"}]
)
def test_a_filter_outside_the_choices_is_a_bad_request(client, proposals, query):
    assert client.get(LIST, query).status_code == 400


def test_the_list_shows_nobody_behind_a_proposal(client, proposals, proposer):
    profile = proposer.cadre_profile
    text = client.get(LIST).text
    for secret in (
        profile.full_name,
        proposer.first_name,
        proposer.email,
        profile.nik,
        profile.masked_nik,
        profile.phone,
        str(profile.public_id),
    ):
        assert secret not in text
    # The proposal's own page stays with those who review it.
    for proposal in Proposal.objects.all():
        assert proposal.get_absolute_url() not in text


def test_the_list_is_paginated_in_a_fixed_number_of_queries(
    client, proposer, people, cadre, django_assert_num_queries
):
    proposal_in(State.ACCEPTED, proposer, people, "Usulan 0")
    # The area choices, the kota's and province's names, the first page with its count (one
    # kept statement), the kinds of help.
    with django_assert_num_queries(4):
        client.get(LIST)
    for number in range(1, 27):
        proposal_in(State.ESCALATED, proposer, people, f"Usulan {number}")
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(titles(response)) == 25
    assert "Page 1 of 2" in response.text
    # A later page: the count, then the page, each of its own.
    client.force_login(cadre)
    with django_assert_num_queries(5 + 3):
        assert len(titles(client.get(LIST, {"page": 2}))) == 2


def test_a_page_picks_its_proposals_before_reading_their_rows(client, proposer, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(27):
        proposal_in(State.ESCALATED, proposer, people, f"Usulan {number}")
    newest_first = [f"Usulan {number}" for number in reversed(range(27))]
    shown = []
    for page in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            shown += titles(client.get(LIST, {"page": page}))
        (rows,) = [q["sql"] for q in queries if '"programs_proposal"."title"' in q["sql"]]
        # The page's keys in a subquery of the proposals alone, then only their rows
        # joined to kelurahan, kecamatan, field and proposer (on the first page, with the
        # count of all in a subquery of the columns).
        where = rows.split(' WHERE "programs_proposal"."id" IN (SELECT', 1)[1]
        assert ") ORDER BY " in where
        assert " LIMIT " in where.rsplit(") ORDER BY ", 1)[0], rows
    assert shown == newest_first


def test_the_first_page_and_its_count_are_read_afresh_on_each_visit(client, proposer, people):
    """The first page, as most visitors open it, comes with its count from one statement
    kept per area and state (programs.selectors.public_first_page); the rows are not kept:
    a proposal channelled since shows on the next visit, and the pages after it continue
    where it ends."""
    for number in range(26):
        proposal_in(State.ESCALATED, proposer, people, f"Usulan {number}")
    first = client.get(LIST)
    assert first.context["page"].paginator.count == 26
    assert titles(first) == [f"Usulan {number}" for number in reversed(range(1, 26))]
    assert titles(client.get(LIST, {"page": 2})) == ["Usulan 0"]
    proposal_in(State.ACCEPTED, proposer, people, "Usulan Baru")
    again = client.get(LIST, {"page": "1"})
    assert again.context["page"].paginator.count == 27
    assert titles(again)[0] == "Usulan Baru"
    assert titles(client.get(LIST, {"page": 2})) == ["Usulan 1", "Usulan 0"]
    # Each state and area its own statement: the accepted one alone, and none elsewhere.
    accepted = client.get(LIST, {"state": "accepted"})
    assert titles(accepted) == ["Usulan Baru"]
    assert accepted.context["page"].paginator.count == 1
    elsewhere = client.get(LIST, {"wilayah": "64.74.01"})
    assert titles(elsewhere) == []
    assert elsewhere.context["page"].paginator.count == 0
    assert client.get(LIST, {"state": "escalated"}).context["page"].paginator.count == 26


def show_name(client, proposal, shown):
    return client.post(
        reverse("programs:show_name", kwargs={"public_id": proposal.public_id}), {"shown": shown}
    )


def test_the_proposer_may_show_their_name_and_take_it_back(
    client, proposer, teammate, people, django_assert_num_queries
):
    proposal = make_proposal(
        proposer, title="Usulan Bernama", team=[CadreProfile.objects.get(user=teammate)]
    )
    proposal = bring_to(proposal, State.ACCEPTED, **people)
    client.force_login(proposer)
    detail = client.get(proposal.get_absolute_url()).text
    assert "without any name" in detail
    response = show_name(client, proposal, "yes")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.name_public_since is not None
    client.logout()
    with django_assert_num_queries(4):
        text = client.get(LIST).text
    assert "Siti Rahmawati" in text  # "Proposed by …", in the language of the page
    assert "Rudi Hartono" not in text

    client.force_login(proposer)
    show_name(client, proposal, "no")
    proposal.refresh_from_db()
    assert proposal.name_public_since is None
    client.logout()
    assert "Siti Rahmawati" not in client.get(LIST).text


@pytest.mark.parametrize("persona", ["teammate", "kecamatan_officer", "coordinator"])
def test_nobody_but_the_proposer_may_show_the_proposers_name(
    client, request, proposer, teammate, people, persona
):
    proposal = make_proposal(proposer, team=[CadreProfile.objects.get(user=teammate)])
    proposal = bring_to(proposal, State.ESCALATED, **people)
    client.force_login(request.getfixturevalue(persona))
    assert show_name(client, proposal, "yes").status_code == 403
    proposal.refresh_from_db()
    assert proposal.name_public_since is None


def test_forgetting_the_proposer_takes_their_name_off_the_list(client, proposer, people):
    proposal = bring_to(make_proposal(proposer), State.ACCEPTED, **people)
    services.set_name_shown_publicly(actor=proposer, proposal=proposal, shown=True)
    personal_data.forget(actor=None, user=proposer)
    proposal.refresh_from_db()
    assert proposal.name_public_since is None
    assert "Siti Rahmawati" not in client.get(LIST).text


def test_the_list_opens_on_the_portals_kota_and_widens_to_the_province_and_the_country(
    client, proposer, people, other_kota, bulungan
):
    """At national scale a visitor from Bontang got every channelled proposal of the
    country, counted; the list now opens on the portal's kota and widens on request."""
    from programs.forms import EVERYWHERE

    proposal_in(State.ACCEPTED, proposer, people, "Usulan Bontang")
    elsewhere = Proposal.objects.get(title="Usulan Bontang")
    for code, title in (
        ("64.72.01.1001", "Usulan Samarinda"),
        ("65.01.01.1001", "Usulan Bulungan"),
    ):
        copy = Proposal.objects.get(pk=elsewhere.pk)  # the same proposal, another place
        copy.pk = None
        copy.public_id = uuid.uuid4()
        copy.token = None
        copy.title = title
        copy.location_id = code
        copy.save()

    def listed(query=""):
        return [proposal.title for proposal in client.get(LIST + query).context["page"]]

    assert listed() == ["Usulan Bontang"]
    assert sorted(listed("?wilayah=64")) == ["Usulan Bontang", "Usulan Samarinda"]
    assert sorted(listed(f"?wilayah={EVERYWHERE}")) == [
        "Usulan Bontang", "Usulan Bulungan", "Usulan Samarinda",
    ]  # fmt: skip


def test_the_review_lists_and_the_proposers_list_name_the_help_asked_for(
    client, proposals, proposer, coordinator
):
    """Each row's kinds of help, in the order they were asked for (the proposal table that
    "Usulan saya", the review queue and the coordinator's list share)."""
    for user, page, title in (
        (coordinator, "programs:list", "Usulan Diterima"),
        (proposer, "programs:mine", "Usulan Draf"),
    ):
        client.force_login(user)
        text = client.get(reverse(page)).text
        assert title in text
        assert '<td data-label="Help asked for">Training, Mentoring</td>' in text


def test_the_public_forms_area_choices_follow_a_renamed_or_retired_region(client, bontang):
    """The public programme list's and the gallery's area choices are the same for every
    visitor, read through statements kept per home region: the rows afresh."""
    from forkom.territory.models import Region

    def offered(path, name):
        form = client.get(path).context["form" if path == LIST else "filter"]
        form = getattr(form, "form", form)
        return [label for _value, label in form.fields[name].choices]

    gallery = reverse("programs:gallery")
    assert "Bontang Barat" in offered(gallery, "kecamatan")
    assert "All of Kecamatan Bontang Barat" in str(offered(LIST, "wilayah"))
    assert "All of Kota Bontang" in str(offered(LIST, "wilayah"))
    Region.objects.filter(code="64.74.03").update(name="Bontang Barat Baru")
    Region.objects.filter(code="64.74").update(name="Kota Bontang Baru")
    assert "Bontang Barat Baru" in offered(gallery, "kecamatan")
    assert "All of Kecamatan Bontang Barat Baru" in str(offered(LIST, "wilayah"))
    assert "All of Kota Bontang Baru" in str(offered(LIST, "wilayah"))
    Region.objects.filter(code="64.74.03").update(is_active=False)
    assert "Bontang Barat Baru" not in offered(gallery, "kecamatan")
    assert "Bontang Barat Baru" not in str(offered(LIST, "wilayah"))
