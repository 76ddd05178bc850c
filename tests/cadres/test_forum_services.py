"""Forum rules: who records the SK, appoints and ends officers, manages members; formation."""

import time
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from cadres.forums import selectors as selectors
from cadres.forums import services as services
from cadres.models import CadreProfile, Field, Forum, ForumEvent, ForumMember, OfficerField
from forkom import scope
from forkom.accounts.models import Position, Role, RoleAssignment
from forkom.errors import DomainError
from forkom.territory.models import Region
from tests.cadres.factories import make_profile
from tests.concurrency import require_postgresql, run_at_once
from tests.conftest import make_persona

BONTANG_BARAT = "64.74.03"
BELIMBING = "64.74.03.1001"
BONTANG_KUALA = "64.74.01.1001"  # in Bontang Utara, another kecamatan
Kind = ForumEvent.Kind


def verified_cadre(full_name="Siti Rahmawati", kelurahan=BELIMBING):
    """A cadre verified by their officer (the status is set directly: verification is tested
    in test_services.py)."""
    profile = make_profile(full_name=full_name, kelurahan=kelurahan)
    CadreProfile.objects.filter(pk=profile.pk).update(status=CadreProfile.Status.VERIFIED)
    profile.refresh_from_db()
    return profile


def forum_of(code):
    return services.get_or_create_forum(region=Region.objects.get(code=code))


def ketua_of(code):
    return selectors.current_officers().filter(region_id=code, position=Position.KETUA)


def row_of(code):
    row, _children = selectors.forum_page(code)
    return row


@pytest.fixture(autouse=True)
def in_english():
    """The messages are matched in English (the site's default language is Indonesian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def barat(bontang):
    return forum_of(BONTANG_BARAT)


@pytest.fixture
def belimbing(bontang):
    return forum_of(BELIMBING)


@pytest.fixture
def kecamatan_ketua(bontang):
    return make_persona(Role.FORUM_OFFICER, BONTANG_BARAT, Position.KETUA)


@pytest.fixture
def kesehatan(db):
    return Field.objects.get_or_create(name="Kesehatan")[0]


# --- forums exist for kecamatan and kelurahan only -------------------------------------------


def test_a_kecamatan_and_a_kelurahan_have_a_forum_and_it_is_created_once(bontang):
    first = forum_of(BONTANG_BARAT)
    assert forum_of(BONTANG_BARAT) == first
    assert forum_of(BELIMBING).region_id == BELIMBING
    assert Forum.objects.count() == 2


@pytest.mark.parametrize("code", ["64", "64.74"])
def test_the_kota_and_the_province_have_no_forum(bontang, code):
    with pytest.raises(DomainError, match="Only a kecamatan or a kelurahan"):
        forum_of(code)
    assert not Forum.objects.exists()


@pytest.mark.parametrize(
    ("starts_on", "last_day"),
    [
        (date(2026, 1, 1), date(2030, 12, 31)),
        (date(2026, 7, 15), date(2031, 7, 14)),
        (date(2028, 2, 29), date(2033, 2, 28)),
        (date(2027, 3, 1), date(2032, 2, 29)),
    ],
)
def test_a_term_lasts_five_years_less_a_day(starts_on, last_day):
    assert services.term_end(starts_on) == last_day


# --- the SK ----------------------------------------------------------------------------------


def test_the_coordinator_records_the_sk_of_a_kecamatan_forum_with_an_event(barat, coordinator):
    sk_date = date(2026, 3, 2)
    services.record_sk(actor=coordinator, forum=barat, number=" 100/SK/2026 ", date=sk_date)
    barat.refresh_from_db()
    assert (barat.sk_number, barat.sk_date, barat.sk_recorded_by) == (
        "100/SK/2026",
        sk_date,
        coordinator,
    )
    event = ForumEvent.objects.get(forum=barat)
    assert (event.kind, event.actor, event.before, event.after) == (
        Kind.SK_RECORDED,
        coordinator,
        "",
        "100/SK/2026 (2026-03-02)",
    )


def test_dinas_staff_record_the_sk_of_a_kecamatan_forum(barat, staff):
    services.record_sk(actor=staff, forum=barat, number="7/2026", date=date(2026, 1, 5))
    assert Forum.objects.get(pk=BONTANG_BARAT).has_sk


def test_a_correction_of_the_sk_keeps_the_old_one_in_the_event(barat, coordinator):
    services.record_sk(actor=coordinator, forum=barat, number="1/2026", date=date(2026, 1, 5))
    services.record_sk(actor=coordinator, forum=barat, number="2/2026", date=date(2026, 1, 6))
    latest = ForumEvent.objects.filter(forum=barat).last()
    assert (latest.before, latest.after) == ("1/2026 (2026-01-05)", "2/2026 (2026-01-06)")


def test_recording_the_same_sk_again_is_refused_and_leaves_one_event(barat, coordinator):
    services.record_sk(actor=coordinator, forum=barat, number="1/2026", date=date(2026, 1, 5))
    with pytest.raises(DomainError, match="already recorded"):
        services.record_sk(actor=coordinator, forum=barat, number="1/2026", date=date(2026, 1, 5))
    assert ForumEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("number", "sk_date", "message"),
    [
        ("", date(2026, 1, 5), "Give the SK number"),
        ("   ", date(2026, 1, 5), "Give the SK number"),
        ("1/2026", None, "Give the date"),
        ("x" * 101, date(2026, 1, 5), "at most 100"),
        ("1/2026", timezone.localdate() + timedelta(days=1), "future"),
    ],
)
def test_a_bad_sk_is_refused_and_changes_nothing(barat, coordinator, number, sk_date, message):
    with pytest.raises(DomainError, match=message):
        services.record_sk(actor=coordinator, forum=barat, number=number, date=sk_date)
    assert not Forum.objects.get(pk=BONTANG_BARAT).has_sk
    assert not ForumEvent.objects.exists()


def test_kecamatan_officers_record_the_sk_of_their_kelurahan_forums_only(
    belimbing, kecamatan_officer
):
    services.record_sk(
        actor=kecamatan_officer, forum=belimbing, number="3/2026", date=date(2026, 2, 1)
    )
    assert Forum.objects.get(pk=BELIMBING).has_sk
    with pytest.raises(DomainError, match="You may not record the SK"):
        services.record_sk(
            actor=kecamatan_officer,
            forum=forum_of(BONTANG_BARAT),
            number="4/2026",
            date=date(2026, 2, 1),
        )
    with pytest.raises(DomainError, match="You may not record the SK"):
        services.record_sk(
            actor=kecamatan_officer,
            forum=forum_of(BONTANG_KUALA),
            number="5/2026",
            date=date(2026, 2, 1),
        )


@pytest.mark.parametrize("persona", ["kelurahan_officer", "outsider", "cadre"])
def test_others_may_not_record_an_sk(request, belimbing, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(DomainError, match="You may not record the SK"):
        services.record_sk(actor=actor, forum=belimbing, number="1/2026", date=date(2026, 1, 5))
    assert not Forum.objects.get(pk=BELIMBING).has_sk
    assert not ForumEvent.objects.exists()


def test_a_kecamatan_bendahara_may_not_record_the_sk_of_a_kelurahan_forum(belimbing):
    bendahara = make_persona(Role.FORUM_OFFICER, BONTANG_BARAT, Position.BENDAHARA)
    with pytest.raises(DomainError):
        services.record_sk(
            actor=bendahara, forum=belimbing, number="1/2026", date=timezone.localdate()
        )


def test_a_coordinator_of_another_kota_may_not_record_an_sk(barat, other_kota):
    samarinda = make_persona(Role.CITY_COORDINATOR, "64.72")
    with pytest.raises(DomainError):
        services.record_sk(
            actor=samarinda, forum=barat, number="1/2026", date=timezone.localdate()
        )


# --- officers --------------------------------------------------------------------------------


def test_the_coordinator_appoints_a_ketua_for_five_years_through_a_role(barat, coordinator):
    siti = verified_cadre()
    assignment = services.appoint_officer(
        actor=coordinator, forum=barat, user=siti.user, position=Position.KETUA
    )
    today = timezone.localdate()
    assert (assignment.role, assignment.region_id, assignment.position) == (
        Role.FORUM_OFFICER,
        BONTANG_BARAT,
        Position.KETUA,
    )
    assert (assignment.starts_on, assignment.ends_on) == (today, services.term_end(today))
    assert assignment.granted_by == coordinator
    assert scope.can_act(siti.user, BELIMBING, {Role.FORUM_OFFICER})
    event = ForumEvent.objects.get(forum=barat)
    assert (event.kind, event.actor, event.subject, event.after) == (
        Kind.OFFICER_APPOINTED,
        coordinator,
        siti.user,
        Position.KETUA,
    )


def test_a_second_ketua_is_refused_until_the_first_term_ends(barat, coordinator):
    first, second = verified_cadre("Siti"), verified_cadre("Budi")
    term = services.appoint_officer(
        actor=coordinator, forum=barat, user=first.user, position=Position.KETUA
    )
    with pytest.raises(
        DomainError, match=r"Bontang Barat already has a Chair \(ketua\)\. End that term first\."
    ):
        services.appoint_officer(
            actor=coordinator, forum=barat, user=second.user, position=Position.KETUA
        )
    assert list(ketua_of(BONTANG_BARAT).values_list("user", flat=True)) == [first.user_id]
    assert ForumEvent.objects.count() == 1

    services.end_officer_term(actor=coordinator, assignment=term)
    services.appoint_officer(
        actor=coordinator, forum=barat, user=second.user, position=Position.KETUA
    )
    assert list(ketua_of(BONTANG_BARAT).values_list("user", flat=True)) == [second.user_id]


def test_a_ketua_whose_term_ran_out_can_be_appointed_again(barat, coordinator):
    siti = verified_cadre()
    first = services.appoint_officer(
        actor=coordinator, forum=barat, user=siti.user, position=Position.KETUA
    )
    # Five years later: the term ended by its date, nobody ended it by hand.
    ended_on = timezone.localdate() - timedelta(days=1)
    RoleAssignment.objects.filter(pk=first.pk).update(
        starts_on=ended_on - timedelta(days=5 * 365), ends_on=ended_on
    )
    assert not ketua_of(BONTANG_BARAT).exists()

    second = services.appoint_officer(
        actor=coordinator, forum=barat, user=siti.user, position=Position.KETUA
    )

    first.refresh_from_db()
    assert not first.is_active
    assert first.ends_on == ended_on
    assert list(ketua_of(BONTANG_BARAT)) == [second]
    kinds = list(ForumEvent.objects.filter(forum=barat).values_list("kind", "actor"))
    assert kinds == [
        (Kind.OFFICER_APPOINTED, coordinator.pk),
        (Kind.OFFICER_ENDED, None),
        (Kind.OFFICER_APPOINTED, coordinator.pk),
    ]


@pytest.mark.parametrize(
    "position", [Position.WAKIL_KETUA, Position.SEKRETARIS, Position.BENDAHARA]
)
def test_each_single_position_has_one_holder(barat, coordinator, position):
    services.appoint_officer(
        actor=coordinator, forum=barat, user=verified_cadre("Satu").user, position=position
    )
    with pytest.raises(DomainError, match="already has"):
        services.appoint_officer(
            actor=coordinator, forum=barat, user=verified_cadre("Dua").user, position=position
        )


def test_koordinator_bidang_may_be_several_each_with_a_field(barat, coordinator, kesehatan):
    umkm = Field.objects.get_or_create(name="Ekonomi kreatif/UMKM")[0]
    for name, field in [("Satu", kesehatan), ("Dua", umkm), ("Tiga", kesehatan)]:
        services.appoint_officer(
            actor=coordinator,
            forum=barat,
            user=verified_cadre(name).user,
            position=Position.KOORDINATOR_BIDANG,
            field=field,
        )
    assert OfficerField.objects.filter(assignment__region_id=BONTANG_BARAT).count() == 3
    officers = selectors.officers_of(BONTANG_BARAT)
    assert sorted(officer.field for officer in officers) == [
        "Ekonomi kreatif/UMKM",
        "Kesehatan",
        "Kesehatan",
    ]


def test_a_koordinator_bidang_needs_a_field_and_only_they_have_one(barat, coordinator, kesehatan):
    siti = verified_cadre()
    with pytest.raises(DomainError, match="field of the koordinator bidang"):
        services.appoint_officer(
            actor=coordinator, forum=barat, user=siti.user, position=Position.KOORDINATOR_BIDANG
        )
    with pytest.raises(DomainError, match="Only a koordinator bidang"):
        services.appoint_officer(
            actor=coordinator,
            forum=barat,
            user=siti.user,
            position=Position.KETUA,
            field=kesehatan,
        )
    assert not RoleAssignment.objects.filter(user=siti.user).exists()


def test_an_unknown_position_is_refused(barat, coordinator):
    with pytest.raises(DomainError, match="positions"):
        services.appoint_officer(
            actor=coordinator, forum=barat, user=verified_cadre().user, position="raja"
        )


def test_one_person_holds_one_position_in_a_forum(barat, coordinator):
    siti = verified_cadre()
    services.appoint_officer(
        actor=coordinator, forum=barat, user=siti.user, position=Position.KETUA
    )
    with pytest.raises(DomainError, match="already holds a position"):
        services.appoint_officer(
            actor=coordinator, forum=barat, user=siti.user, position=Position.SEKRETARIS
        )


def test_an_officer_is_a_verified_cadre_of_the_forums_area(barat, coordinator):
    waiting = make_profile(full_name="Belum Diverifikasi")
    of_utara = verified_cadre("Kader Utara", kelurahan=BONTANG_KUALA)
    for profile in (waiting, of_utara):
        with pytest.raises(DomainError, match="verified cadres of Bontang Barat"):
            services.appoint_officer(
                actor=coordinator, forum=barat, user=profile.user, position=Position.KETUA
            )
    assert not ketua_of(BONTANG_BARAT).exists()


def test_an_account_without_a_cadre_profile_cannot_be_appointed(barat, coordinator, cadre):
    with pytest.raises(DomainError, match="verified cadres"):
        services.appoint_officer(
            actor=coordinator, forum=barat, user=cadre, position=Position.KETUA
        )


def test_a_term_starts_today_or_earlier_and_has_not_ended(barat, coordinator):
    siti = verified_cadre()
    today = timezone.localdate()
    with pytest.raises(DomainError, match="starts today or earlier"):
        services.appoint_officer(
            actor=coordinator,
            forum=barat,
            user=siti.user,
            position=Position.KETUA,
            starts_on=today + timedelta(days=1),
        )
    with pytest.raises(DomainError, match="already ended"):
        services.appoint_officer(
            actor=coordinator,
            forum=barat,
            user=siti.user,
            position=Position.KETUA,
            starts_on=today.replace(year=today.year - 6),
        )
    with pytest.raises(DomainError, match="starts today or earlier"):
        services.appoint_officer(
            actor=coordinator,
            forum=barat,
            user=siti.user,
            position=Position.KETUA,
            starts_on=date(9999, 12, 31),  # its term would end past the calendar's last year
        )
    earlier = today - timedelta(days=400)
    term = services.appoint_officer(
        actor=coordinator, forum=barat, user=siti.user, position=Position.KETUA, starts_on=earlier
    )
    assert (term.starts_on, term.ends_on) == (earlier, services.term_end(earlier))


def test_kecamatan_officers_appoint_the_officers_of_their_kelurahan_forums(
    belimbing, kecamatan_officer
):
    siti = verified_cadre()
    services.appoint_officer(
        actor=kecamatan_officer, forum=belimbing, user=siti.user, position=Position.KETUA
    )
    assert ketua_of(BELIMBING).get().user == siti.user


@pytest.mark.parametrize("persona", ["kecamatan_officer", "kelurahan_officer", "outsider"])
def test_forum_officers_may_not_appoint_at_their_own_level_or_elsewhere(request, bontang, persona):
    actor = request.getfixturevalue(persona)
    kuala = verified_cadre("Kader Kuala", kelurahan=BONTANG_KUALA)
    siti = verified_cadre()
    attempts = [
        (forum_of(BONTANG_BARAT), siti),  # kecamatan forums: coordinator and staff only
        (forum_of(BONTANG_KUALA), kuala),  # another kecamatan's kelurahan
    ]
    if persona != "kecamatan_officer":
        attempts.append((forum_of(BELIMBING), siti))
    for forum, profile in attempts:
        with pytest.raises(DomainError, match="You may not appoint"):
            services.appoint_officer(
                actor=actor, forum=forum, user=profile.user, position=Position.KETUA
            )
    assert not ForumEvent.objects.exists()


def test_ending_a_term_records_an_event_and_takes_the_officer_role(barat, coordinator):
    siti = verified_cadre()
    term = services.appoint_officer(
        actor=coordinator, forum=barat, user=siti.user, position=Position.SEKRETARIS
    )
    ended = services.end_officer_term(actor=coordinator, assignment=term)
    assert (ended.is_active, ended.ends_on) == (False, timezone.localdate())
    assert not scope.can_act(siti.user, BONTANG_BARAT, {Role.FORUM_OFFICER})
    event = ForumEvent.objects.filter(forum=barat).last()
    assert (event.kind, event.subject, event.before, event.actor) == (
        Kind.OFFICER_ENDED,
        siti.user,
        Position.SEKRETARIS,
        coordinator,
    )
    with pytest.raises(DomainError, match="already ended"):
        services.end_officer_term(actor=coordinator, assignment=term)
    assert ForumEvent.objects.filter(kind=Kind.OFFICER_ENDED).count() == 1


def test_an_officer_of_another_kecamatan_may_not_end_a_term(
    belimbing, kecamatan_officer, outsider
):
    term = services.appoint_officer(
        actor=kecamatan_officer,
        forum=belimbing,
        user=verified_cadre().user,
        position=Position.KETUA,
    )
    with pytest.raises(DomainError, match="You may not end"):
        services.end_officer_term(actor=outsider, assignment=term)
    assert ketua_of(BELIMBING).exists()


# --- members ---------------------------------------------------------------------------------


def test_the_forums_own_officer_adds_and_removes_a_member_with_events(
    belimbing, kelurahan_officer
):
    siti = verified_cadre()
    member = services.add_member(actor=kelurahan_officer, forum=belimbing, profile=siti)
    assert (member.started_on, member.ended_on) == (timezone.localdate(), None)
    with pytest.raises(DomainError, match="already a member"):
        services.add_member(actor=kelurahan_officer, forum=belimbing, profile=siti)

    services.remove_member(actor=kelurahan_officer, forum=belimbing, profile=siti)
    assert not ForumMember.objects.current().filter(forum=belimbing).exists()
    with pytest.raises(DomainError, match="not a member"):
        services.remove_member(actor=kelurahan_officer, forum=belimbing, profile=siti)

    services.add_member(actor=kelurahan_officer, forum=belimbing, profile=siti)  # back again
    kinds = list(ForumEvent.objects.filter(forum=belimbing).values_list("kind", "subject"))
    assert (
        kinds
        == [
            (Kind.MEMBER_ADDED, siti.user_id),
            (Kind.MEMBER_REMOVED, siti.user_id),
            (Kind.MEMBER_ADDED, siti.user_id),
        ][::-1]
    )
    assert ForumMember.objects.filter(forum=belimbing, profile=siti).count() == 2


@pytest.mark.parametrize("persona", ["kecamatan_officer", "coordinator", "staff"])
def test_kecamatan_officers_the_coordinator_and_staff_manage_kelurahan_members(
    request, belimbing, persona
):
    actor = request.getfixturevalue(persona)
    siti = verified_cadre()
    services.add_member(actor=actor, forum=belimbing, profile=siti)
    services.remove_member(actor=actor, forum=belimbing, profile=siti)
    assert ForumEvent.objects.filter(actor=actor).count() == 2


@pytest.mark.parametrize("persona", ["kelurahan_officer", "outsider", "cadre"])
def test_others_may_not_change_the_members_of_the_kecamatan_forum(request, barat, persona):
    actor = request.getfixturevalue(persona)
    siti = verified_cadre()
    with pytest.raises(DomainError, match="You may not change the members"):
        services.add_member(actor=actor, forum=barat, profile=siti)
    assert not ForumMember.objects.exists()


def test_an_officer_of_another_kecamatan_may_not_remove_a_member(
    belimbing, kelurahan_officer, outsider
):
    siti = verified_cadre()
    services.add_member(actor=kelurahan_officer, forum=belimbing, profile=siti)
    with pytest.raises(DomainError, match="You may not change the members"):
        services.remove_member(actor=outsider, forum=belimbing, profile=siti)
    assert ForumMember.objects.current().filter(forum=belimbing).count() == 1


def test_members_are_verified_cadres_of_the_area(belimbing, barat, coordinator):
    waiting = make_profile(full_name="Belum")
    of_kanaan = verified_cadre("Kader Kanaan", kelurahan="64.74.03.1003")
    for profile in (waiting, of_kanaan):
        with pytest.raises(DomainError, match="verified cadres of Belimbing"):
            services.add_member(actor=coordinator, forum=belimbing, profile=profile)
    services.add_member(actor=coordinator, forum=barat, profile=of_kanaan)  # same kecamatan
    assert list(ForumMember.objects.values_list("forum", flat=True)) == [BONTANG_BARAT]


# --- formation -------------------------------------------------------------------------------


def test_a_forum_is_formed_with_a_ketua_and_an_sk(barat, coordinator):
    assert not row_of(BONTANG_BARAT).formed
    services.record_sk(actor=coordinator, forum=barat, number="1/2026", date=date(2026, 1, 5))
    assert not row_of(BONTANG_BARAT).formed
    sekretaris = services.appoint_officer(
        actor=coordinator, forum=barat, user=verified_cadre("Dua").user, position="sekretaris"
    )
    assert not row_of(BONTANG_BARAT).formed
    ketua = services.appoint_officer(
        actor=coordinator, forum=barat, user=verified_cadre("Satu").user, position="ketua"
    )
    assert row_of(BONTANG_BARAT).formed
    services.end_officer_term(actor=coordinator, assignment=ketua)
    assert not row_of(BONTANG_BARAT).formed
    assert sekretaris.pk in {o.assignment_id for o in row_of(BONTANG_BARAT).officers}


def test_a_ketua_without_an_sk_is_not_formed(belimbing, kecamatan_officer):
    services.appoint_officer(
        actor=kecamatan_officer, forum=belimbing, user=verified_cadre().user, position="ketua"
    )
    assert row_of(BELIMBING).has_ketua
    assert not row_of(BELIMBING).formed


def test_the_milestone_counts_formed_kecamatan_and_kelurahan_forums(barat, belimbing, coordinator):
    for forum, name in [(barat, "Satu"), (belimbing, "Dua")]:
        services.record_sk(
            actor=coordinator, forum=forum, number="1/2026", date=timezone.localdate()
        )
        services.appoint_officer(
            actor=coordinator, forum=forum, user=verified_cadre(name).user, position="ketua"
        )
    _kota, rows = selectors.directory("64.74")
    by_name = {row.region.name: row for row in rows}
    assert [name for name, row in by_name.items() if row.formed] == ["Bontang Barat"]
    assert (
        by_name["Bontang Barat"].kelurahan_formed,
        by_name["Bontang Barat"].kelurahan_count,
    ) == (
        1,
        3,
    )
    assert by_name["Bontang Utara"].kelurahan_formed == 0


# --- concurrency -----------------------------------------------------------------------------


@require_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_appointing_a_ketua_at_once_make_one_ketua(bontang, monkeypatch):
    barat = forum_of(BONTANG_BARAT)
    coordinator = make_persona(Role.CITY_COORDINATOR, "64.74")
    staff = make_persona(Role.DINAS_STAFF, "64")
    candidates = [verified_cadre("Satu").user, verified_cadre("Dua").user]
    grant = services.account_services.grant_role

    def slow_grant(**kwargs):
        time.sleep(0.3)  # both checks would pass here if the forum row were not locked
        return grant(**kwargs)

    monkeypatch.setattr(services.account_services, "grant_role", slow_grant)

    def appoint(actor, user):
        try:
            services.appoint_officer(actor=actor, forum=barat, user=user, position="ketua")
        except DomainError:
            return "refused"
        return "appointed"

    outcomes = run_at_once(
        *(
            lambda actor=actor, user=user: appoint(actor, user)
            for actor, user in zip([coordinator, staff], candidates, strict=True)
        )
    )
    assert sorted(outcomes) == ["appointed", "refused"]
    assert ketua_of(BONTANG_BARAT).count() == 1
