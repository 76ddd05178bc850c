"""An officer's and Dinas staff's home: the cadres waiting for verification and the
proposals waiting for a decision, each its first five rows and its count in one statement
kept per viewer (forkom.statements.first_and_count). The rows and counts are the ORM's, read
afresh; a role moved takes effect on the next request; the officer's own proposals and
those of their team are left out."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres import selectors as cadre_selectors
from forkom.accounts.models import RoleAssignment
from forkom.territory.models import Region
from programs import selectors as program_selectors
from programs import services as program_services
from programs.models import Proposal
from tests.cadres.factories import make_profile
from tests.conftest import make_user
from tests.dashboard.test_work import work as home_visit
from tests.programs.factories import bring_to, make_proposal, make_verified_profile

SUBMITTED = Proposal.State.SUBMITTED


def work(client, user):
    """The home's lists for `user` (tests.dashboard.test_work's visit, without the text)."""
    return home_visit(client, user)[0]


def submitted(proposer, title, people, **details):
    return bring_to(make_proposal(proposer, title=title, **details), SUBMITTED, **people)


def test_the_lists_and_counts_are_the_orm_s_and_read_afresh(
    client, kecamatan_officer, coordinator, staff
):
    people = {"officer": kecamatan_officer, "coordinator": coordinator, "staff": staff}
    for number in range(7):  # Bontang Barat's (64.74.03), the officer's
        make_profile(full_name=f"Kader Menunggu {number}", kelurahan="64.74.03.1002")
    make_profile(full_name="Kader Bontang Utara", kelurahan="64.74.01.1001")
    proposer = make_verified_profile(kelurahan="64.74.03.1001").user
    for number in range(6):
        submitted(proposer, f"Usulan ke-{number}", people)
    found = work(client, kecamatan_officer)
    assert found.waiting_cadre_count == 7
    assert found.waiting_cadres == list(
        cadre_selectors.waiting_for_verification(kecamatan_officer)[:5]
    )
    assert [cadre.kelurahan.name for cadre in found.waiting_cadres] == [
        Region.objects.get(code="64.74.03.1002").name
    ] * 5
    assert found.proposal_queue_count == 6
    assert found.proposal_queue == list(program_selectors.waiting_for(kecamatan_officer)[:5])
    assert [proposal.title for proposal in found.proposal_queue] == [
        f"Usulan ke-{number}" for number in range(5)
    ]
    # The rows are read again on the next request: one more waits, one is decided.
    make_profile(full_name="Kader Baru", kelurahan="64.74.03.1003")
    program_services.return_proposal(
        actor=kecamatan_officer, proposal=found.proposal_queue[0], note="Lengkapi RAB."
    )
    found = work(client, kecamatan_officer)
    assert found.waiting_cadre_count == 8
    assert found.proposal_queue_count == 5
    assert "Usulan ke-0" not in [proposal.title for proposal in found.proposal_queue]
    # Dinas staff of the province: every waiting cadre of it; no submitted proposal is theirs
    # to decide (a kecamatan officer's step).
    found = work(client, staff)
    assert found.waiting_cadre_count == 9
    assert found.proposal_queue_count == 0
    assert found.proposal_queue == []


def test_a_role_moved_takes_effect_on_the_next_request(client, kecamatan_officer):
    make_profile(full_name="Kader Bontang Barat", kelurahan="64.74.03.1002")
    make_profile(full_name="Kader Bontang Utara", kelurahan="64.74.01.1001")
    make_profile(full_name="Kader Bontang Utara 2", kelurahan="64.74.01.1002")
    found = work(client, kecamatan_officer)
    assert [cadre.full_name for cadre in found.waiting_cadres] == ["Kader Bontang Barat"]
    RoleAssignment.objects.filter(user=kecamatan_officer).update(region_id="64.74.01")
    found = work(client, kecamatan_officer)
    assert found.waiting_cadre_count == 2
    assert {cadre.full_name for cadre in found.waiting_cadres} == {
        "Kader Bontang Utara",
        "Kader Bontang Utara 2",
    }


def test_the_officer_s_own_and_team_proposals_are_left_out(
    client, kecamatan_officer, coordinator, staff
):
    people = {"officer": kecamatan_officer, "coordinator": coordinator, "staff": staff}
    own = make_verified_profile(user=kecamatan_officer, kelurahan="64.74.03.1001")
    colleague = make_verified_profile(kelurahan="64.74.03.1002").user
    submitted(kecamatan_officer, "Usulan sendiri", people)
    submitted(colleague, "Usulan tim", people, team=[own])
    submitted(colleague, "Usulan lain", people)
    found = work(client, kecamatan_officer)
    assert [proposal.title for proposal in found.proposal_queue] == ["Usulan lain"]
    assert found.proposal_queue_count == 1


def test_a_viewer_whose_lists_match_nothing_asks_nothing(db):
    """An account without roles: its lists can match nothing, no statement is asked."""
    nobody = make_user("tamu@test.forkom.id")
    with CaptureQueriesContext(connection) as captured:
        assert program_selectors.first_to_decide(nobody, 5) == ([], 0)
        assert cadre_selectors.first_waiting(nobody, 5) == ([], 0)
    assert [q["sql"] for q in captured if "kept_total" in q["sql"]] == []


def test_the_statement_is_planned_for_the_officer_s_area(
    client, kecamatan_officer, postgresql_only
):
    """Prepared with the area's code prefix written in (a plan for any prefix could not read
    the index as a range), once per connection; the rows read afresh."""
    make_profile(full_name="Kader Menunggu", kelurahan="64.74.03.1002")
    assert work(client, kecamatan_officer).waiting_cadre_count == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        kept = [statement for (statement,) in cursor.fetchall() if "kept_total" in statement]
    cadres = [statement for statement in kept if '"cadres_cadreprofile"."full_name"' in statement]
    assert len(cadres) == 1
    assert "'64.74.03%'" in cadres[0]
    assert "$1" not in cadres[0]
    make_profile(full_name="Kader Menunggu 2", kelurahan="64.74.03.1003")
    assert work(client, kecamatan_officer).waiting_cadre_count == 2
