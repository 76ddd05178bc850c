import pytest
from django.conf import settings
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import formats, timezone, translation

from forkom.accounts.models import Role
from programs import services
from programs.models import Proposal
from tests.accounts.test_admin import with_totp
from tests.conftest import make_persona
from tests.programs.factories import bring_to, make_proposal, make_verified_profile

State = Proposal.State
CHANGELIST = "/admin/programs/proposal/"


@pytest.fixture
def escalated(proposer, kecamatan_officer, coordinator, staff):
    return bring_to(
        make_proposal(proposer, title="Usulan Bontang Barat"),
        State.ESCALATED,
        officer=kecamatan_officer,
        coordinator=coordinator,
        staff=staff,
    )


def titles(response):
    return sorted(proposal.title for proposal in response.context["cl"].result_list)


def act(client, action, proposals, note=None):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [p.pk for p in proposals]}
    if note is not None:
        data.update({"apply": "1", "note": note})
    return client.post(CHANGELIST, data)


def test_staff_see_submitted_proposals_of_their_region_only_never_drafts(
    client, escalated, proposer, elsewhere
):
    make_proposal(proposer, title="Masih draf")
    other = make_verified_profile(kelurahan="64.72.01.1001", full_name="Kader Samarinda")
    services.submit_proposal(
        actor=other.user,
        proposal=make_proposal(other.user, title="Usulan Samarinda", kelurahan="64.72.01.1001"),
    )
    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    assert titles(client.get(CHANGELIST)) == ["Usulan Bontang Barat"]
    samarinda = Proposal.objects.get(title="Usulan Samarinda")
    response = client.get(reverse("admin:programs_proposal_change", args=[samarinda.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_the_admin_filters_by_state_kecamatan_and_aid(client, escalated, proposer, staff):
    services.submit_proposal(
        actor=proposer,
        proposal=make_proposal(proposer, title="Pinjaman", aids=[("bank_loan", 10, "")]),
    )
    client.force_login(with_totp(staff))
    assert titles(client.get(CHANGELIST, {"state": "escalated"})) == ["Usulan Bontang Barat"]
    assert titles(client.get(CHANGELIST, {"aid": "bank_loan"})) == ["Pinjaman"]
    assert titles(client.get(CHANGELIST, {"kecamatan": "64.74.03"})) == [
        "Pinjaman",
        "Usulan Bontang Barat",
    ]
    assert titles(client.get(CHANGELIST, {"kecamatan": "64.74.01"})) == []


def test_the_proposal_page_is_read_only_with_its_timeline(client, escalated, staff):
    client.force_login(with_totp(staff))
    url = reverse("admin:programs_proposal_change", args=[escalated.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="state"' not in response.text
    assert "Escalated to the province" in response.text
    assert response.text.count("Submitted to the kecamatan forum") >= 2  # timeline rows
    # Each history row is titled with the states' labels, not their codes.
    assert "Recommended by the kecamatan forum → Escalated to the province" in response.text
    assert "recommended → escalated" not in response.text
    # The search box's icon speaks the page's language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("admin:programs_proposal_changelist")).text
    assert 'alt="Cari"' in page
    client.post(url, {"state": "accepted", "title": "Diubah"})
    escalated.refresh_from_db()
    assert (escalated.state, escalated.title) == (State.ESCALATED, "Usulan Bontang Barat")


def test_staff_accept_through_the_service_after_giving_a_note(
    client, escalated, staff, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(with_totp(staff))
    response = act(client, "accept", [escalated])
    assert response.status_code == 200
    assert 'name="note"' in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, "accept", [escalated], note="Masuk program 2027.")
    assert response.status_code == 302
    escalated.refresh_from_db()
    assert escalated.state == State.ACCEPTED
    event = escalated.events.last()
    assert (event.actor, event.note, event.after) == (staff, "Masuk program 2027.", "accepted")
    assert {message.to[0] for message in mailoutbox} == {"pengusul@test.forkom.id"}


def test_returning_in_the_admin_needs_a_note(client, escalated, staff):
    client.force_login(with_totp(staff))
    response = act(client, "send_back", [escalated], note="")
    assert response.status_code == 400
    assert Proposal.objects.get().state == State.ESCALATED


def test_a_note_beyond_2000_characters_in_the_admin_is_refused_and_moves_nothing(
    client, escalated, staff
):
    client.force_login(with_totp(staff))
    response = act(client, "decline", [escalated], note="x" * 2001)
    assert response.status_code == 400
    assert Proposal.objects.get().state == State.ESCALATED


def test_an_action_the_staff_member_may_not_take_changes_nothing_and_says_why(
    client, escalated, proposer, staff
):
    submitted = services.submit_proposal(
        actor=proposer, proposal=make_proposal(proposer, title="Baru diajukan")
    )
    client.force_login(with_totp(staff))
    response = act(client, "recommend", [submitted, escalated], note="")
    assert response.status_code == 302
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("You may not decide on this proposal." in message for message in messages)
    assert Proposal.objects.get(pk=submitted.pk).state == State.SUBMITTED
    assert Proposal.objects.get(pk=escalated.pk).state == State.ESCALATED


def test_the_list_reads_its_page_keys_first_in_the_lists_order(
    client, proposer, staff, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.admin import ProposalAdmin

    for number in range(5):
        services.submit_proposal(
            actor=proposer, proposal=make_proposal(proposer, title=f"Usulan {number}")
        )
    monkeypatch.setattr(ProposalAdmin, "list_per_page", 2)
    client.force_login(with_totp(staff))
    newest_first = list(
        Proposal.objects.order_by("-state_changed_at", "-pk").values_list("title", flat=True)
    )
    shown = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CHANGELIST, {"p": page})
        shown += [proposal.title for proposal in response.context["cl"].result_list]
        keys = [
            query["sql"]
            for query in queries
            if query["sql"].startswith('SELECT "programs_proposal"."id" AS "pk" FROM')
        ]
        assert len(keys) == 1, "the page's keys are read on their own"
    assert shown == newest_first


def test_the_list_shows_each_state_with_since_when_in_the_readers_language(
    client, escalated, staff
):
    """State and date share one column (a laptop's width): the state's label, then "sejak"
    and the local date and time as the admin's date filters write them."""
    client.force_login(with_totp(staff))
    since = timezone.localtime(escalated.state_changed_at)
    for language, word in (("id", "sejak"), ("en", "since")):
        with translation.override(language):
            when = formats.date_format(since, "DATETIME_FORMAT")
            expected = (
                f'{escalated.get_state_display()}<br><span class="quiet">{word} {when}</span>'
            )
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        assert expected in client.get(CHANGELIST).content.decode()
