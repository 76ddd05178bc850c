"""The consent statement's retention promise: two years after a profile became inactive, the
person's data is deleted (anonymised) by delete_expired_personal_data."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from cadres import services
from cadres.forums import services as forum_services
from cadres.models import CadreEvent, CadreProfile, ForumEvent, ForumMember
from forkom.accounts.models import RoleAssignment
from forkom.models import ForgottenPerson
from programs.innovations import services as innovation_services
from tests.cadres.factories import make_nik, make_profile

Status = CadreProfile.Status
DAY = timedelta(days=1)


def inactive_since(moment, before_leaving=None, **details):
    """A verified cadre who stepped down at `moment`."""
    profile = make_profile(nik=make_nik(), **details)
    staff_verifies(profile)
    if before_leaving:
        before_leaving(profile)
    services.deactivate_cadre(actor=profile.user, profile=profile, note="Pindah ke Samarinda")
    CadreEvent.objects.filter(profile=profile, after=Status.INACTIVE).update(at=moment)
    return CadreProfile.objects.get(pk=profile.pk)


def staff_verifies(profile):
    CadreProfile.objects.filter(pk=profile.pk).update(status=Status.VERIFIED)


def two_years_ago():
    now = timezone.now()
    return now.replace(year=now.year - 2)


def test_a_profile_inactive_for_two_years_is_anonymised_by_the_system(bontang):
    profile = inactive_since(two_years_ago() - DAY, full_name="Rina Marlina")
    user = profile.user

    assert services.delete_expired_personal_data() == 1

    profile.refresh_from_db()
    user.refresh_from_db()
    assert profile.full_name == services.ANONYMISED_NAME
    assert (profile.nik, profile.phone, profile.address) == (None, "", "")
    assert profile.birth_date.month == profile.birth_date.day == 1
    assert user.email is None
    assert not user.is_active
    assert not user.has_usable_password()
    last = profile.events.order_by("at", "pk").last()
    assert last.actor is None
    assert "dua tahun" in last.note
    # Free text others wrote about the person goes too.
    assert not profile.events.exclude(pk=last.pk).exclude(note="").exists()


def test_a_profile_inactive_for_less_than_two_years_is_kept(bontang):
    profile = inactive_since(two_years_ago() + DAY, full_name="Rina Marlina")
    assert services.delete_expired_personal_data() == 0
    profile.refresh_from_db()
    assert profile.full_name == "Rina Marlina"
    assert profile.nik


def test_active_cadres_and_those_who_left_again_recently_are_kept(bontang):
    verified = make_profile(nik=make_nik(), full_name="Aktif")
    staff_verifies(verified)
    CadreEvent.objects.filter(profile=verified).update(at=two_years_ago() - 300 * DAY)
    came_back = inactive_since(two_years_ago() - 300 * DAY, full_name="Kembali")
    # Verified again a year later, and stepped down last month: the two years start again.
    CadreEvent.objects.create(profile=came_back, before=Status.INACTIVE, after=Status.VERIFIED)
    CadreEvent.objects.create(profile=came_back, before=Status.VERIFIED, after=Status.INACTIVE)
    CadreEvent.objects.filter(profile=came_back, at__gt=two_years_ago()).update(
        at=timezone.now() - 30 * DAY
    )

    assert services.delete_expired_personal_data() == 0
    assert set(CadreProfile.objects.values_list("full_name", flat=True)) == {"Aktif", "Kembali"}


def test_forum_memberships_and_officer_terms_end_with_the_data(
    bontang, kelurahan_officer, staff, formed_belimbing_forum
):
    def join_the_forum(profile):
        forum = formed_belimbing_forum
        forum_services.add_member(actor=kelurahan_officer, forum=forum, profile=profile)
        forum_services.appoint_officer(
            actor=staff, forum=forum, user=profile.user, position="bendahara"
        )

    profile = inactive_since(two_years_ago() - DAY, before_leaving=join_the_forum)
    assert ForumMember.objects.current().filter(profile=profile).exists()
    assert RoleAssignment.objects.current().filter(user=profile.user).exists()

    services.delete_expired_personal_data()

    assert not ForumMember.objects.current().filter(profile=profile).exists()
    assert not RoleAssignment.objects.current().filter(user=profile.user).exists()
    kinds = set(formed_belimbing_forum.events.filter(actor=None).values_list("kind", flat=True))
    assert kinds == {ForumEvent.Kind.OFFICER_ENDED, ForumEvent.Kind.MEMBER_REMOVED}


def test_the_public_innovation_page_no_longer_names_a_cadre_whose_data_expired(
    bontang, client, kelurahan_officer
):
    recorded = []

    def record_and_publish_an_innovation(profile):
        innovation = innovation_services.record_innovation(
            actor=profile.user,
            title="Bank sampah RT 05",
            description="Warga menabung sampah.",
            kelurahan=profile.kelurahan,
            results="Dua ton sampah terpilah.",
            impact="Lingkungan bersih.",
        )
        innovation_services.publish_innovation(actor=kelurahan_officer, innovation=innovation)
        recorded.append(innovation)

    inactive_since(
        two_years_ago() - DAY,
        before_leaving=record_and_publish_an_innovation,
        full_name="Rina Marlina",
    )
    url = recorded[0].get_absolute_url()
    assert "Rina Marlina" in client.get(url).text

    services.delete_expired_personal_data()

    response = client.get(url)
    assert "Rina Marlina" not in response.text
    assert services.ANONYMISED_NAME in response.text


def test_the_daily_command_can_run_again_and_finds_nothing_more(bontang):
    inactive_since(two_years_ago() - DAY)
    inactive_since(two_years_ago() - 100 * DAY)
    out = StringIO()

    call_command("delete_expired_personal_data", stdout=out)
    call_command("delete_expired_personal_data", stdout=out)

    assert out.getvalue().splitlines() == [
        "Anonymised 2 profile(s) inactive for two years or more.",
        "Anonymised 0 profile(s) inactive for two years or more.",
    ]
    assert CadreProfile.objects.filter(full_name=services.ANONYMISED_NAME).count() == 2


def test_the_deletion_log_records_each_profile_the_system_anonymises(bontang):
    profile = inactive_since(two_years_ago() - DAY)

    services.delete_expired_personal_data()

    forgotten = ForgottenPerson.objects.get()
    assert (forgotten.user_id, forgotten.public_id) == (profile.user_id, profile.public_id)


def test_an_open_deletion_request_is_done_once_the_data_has_expired(bontang):
    profile = inactive_since(two_years_ago() - DAY)
    request = services.request_deletion(actor=profile.user, reason="Pindah ke Surabaya")

    services.delete_expired_personal_data()

    request.refresh_from_db()
    assert (request.status, request.handled_by, request.reason) == ("done", None, "")
    assert "dua tahun" in request.note
