"""The admin's pages read in queries that do not grow with the rows they show: the same
count with one row as with many (a per-row query would add one for each)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.forums import services as forum_services
from forkom.territory.models import Region
from programs import services as proposal_services
from tests.accounts.test_admin import with_totp
from tests.conftest import make_user
from tests.programs.factories import make_proposal, make_verified_profile
from tests.trainings.factories import make_cadre, make_training
from trainings import services as training_services
from trainings.models import Training

MANY = 6


@pytest.fixture
def signed_in_staff(client, staff):
    client.force_login(with_totp(staff))
    return staff


def queries_of(client, path):
    client.get(path)  # the first request of a session writes to it: count a later one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_training_form_reads_its_sign_ups_and_events_in_a_fixed_number_of_queries(
    client, signed_in_staff
):
    training = make_training(capacity=MANY + 1)
    path = reverse("admin:trainings_training_change", args=[training.pk])
    cadres = [make_cadre() for _ in range(MANY)]
    training_services.sign_up(actor=cadres[0].user, training=training, profile=cadres[0])
    one = queries_of(client, path)
    for profile in cadres[1:]:
        training_services.sign_up(actor=profile.user, training=training, profile=profile)
    training_services.change_capacity(
        actor=signed_in_staff, training=Training.objects.get(pk=training.pk), capacity=MANY + 2
    )
    assert queries_of(client, path) == one


def test_the_proposal_form_reads_its_timeline_in_a_fixed_number_of_queries(
    client, signed_in_staff, kecamatan_officer
):
    proposer = make_user("pengusul@test.forkom.id")
    make_verified_profile(proposer)
    proposal = make_proposal(proposer)
    proposal = proposal_services.submit_proposal(actor=proposer, proposal=proposal)
    path = reverse("admin:programs_proposal_change", args=[proposal.pk])
    one = queries_of(client, path)
    for _ in range(3):  # returned and submitted again: two events a round
        proposal = proposal_services.return_proposal(
            actor=kecamatan_officer, proposal=proposal, note="Lengkapi anggaran."
        )
        proposal = proposal_services.submit_proposal(actor=proposer, proposal=proposal)
    assert proposal.events.count() > 2
    assert queries_of(client, path) == one


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:cadres_cadreprofile_changelist",
        "admin:accounts_user_changelist",
        "admin:accounts_roleassignment_changelist",
    ],
)
def test_the_lists_of_cadres_accounts_and_roles_read_a_fixed_number_of_queries(
    client, signed_in_staff, changelist
):
    make_cadre()
    path = reverse(changelist)
    one = queries_of(client, path)
    for _ in range(MANY):
        make_cadre()
    assert queries_of(client, path) == one


def test_the_forum_form_reads_its_events_in_a_fixed_number_of_queries(client, signed_in_staff):
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code="64.74.03"))
    path = reverse("admin:cadres_forum_change", args=[forum.pk])
    forum_services.record_sk(
        actor=signed_in_staff, forum=forum, number="SK 1/2026", date=date(2026, 1, 5)
    )
    one = queries_of(client, path)
    for number in range(2, 2 + MANY):
        forum_services.record_sk(
            actor=signed_in_staff, forum=forum, number=f"SK {number}/2026", date=date(2026, 1, 5)
        )
    assert forum.events.count() > MANY
    assert queries_of(client, path) == one


@pytest.mark.parametrize("view", ["change", "history"])
def test_a_rows_own_pages_read_the_rows_its_name_shows_with_it(
    client, signed_in_staff, kecamatan_officer, view
):
    """A forum member's name is its cadre's and its forum's kelurahan (ForumMember.__str__):
    read with the member (the admin's list_select_related), not one query each."""
    profile = make_cadre()
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code="64.74.03"))
    member = forum_services.add_member(actor=kecamatan_officer, forum=forum, profile=profile)
    path = reverse(f"admin:cadres_forummember_{view}", args=[member.pk])
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    assert profile.full_name in response.content.decode()
    tables = [
        query["sql"].split(" FROM ", 1)[1].split()[0]
        for query in captured
        if " FROM " in query["sql"]
    ]
    for table in ('"cadres_cadreprofile"', '"cadres_forum"', '"territory_region"'):
        assert table not in tables


def test_every_admin_s_name_select_related_names_related_rows():
    """A wrong name fails here rather than on the row's page (select_related raises then)."""
    from django.contrib import admin

    named = {
        model: model_admin.name_select_related
        for model, model_admin in admin.site._registry.items()
        if getattr(model_admin, "name_select_related", ())
    }
    assert len(named) >= 5
    for model, paths in named.items():
        str(model._default_manager.select_related(*paths).query)
