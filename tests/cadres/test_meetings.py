"""Forum meetings: call, invite, answer, attendance and minutes, publish, follow-ups."""

import io
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from cadres import services as cadre_services
from cadres.forums import services as forum_services
from cadres.meetings import selectors, services
from cadres.models import FollowUp, Meeting, MeetingEvent, MeetingInvitation
from forkom.errors import BadInput, DomainError, MayNot
from forkom.notifications.models import Notification
from forkom.territory.models import Region
from tests.cadres.factories import make_profile

BARAT = "64.74.03"
UTARA = "64.74.01"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def member(bontang, kecamatan_officer):
    """A verified cadre of Bontang Barat, member of its kecamatan forum."""
    profile = make_profile(kelurahan="64.74.03.1001")
    profile = cadre_services.verify_cadre(actor=kecamatan_officer, profile=profile)
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code=BARAT))
    forum_services.add_member(actor=kecamatan_officer, forum=forum, profile=profile)
    return profile.user


def call(actor, code=BARAT, *, when=None, invitees=None, **fields):
    region = Region.objects.get(code=code)
    starts = when or timezone.now() + timedelta(days=3)
    if invitees is None:
        invitees = [c.user_id for c in selectors.candidates(region)]
    return services.schedule_meeting(
        actor=actor,
        region=region,
        title=fields.get("title", "Rapat pengurus Bontang Barat"),
        agenda="Laporan kegiatan\nRencana pelatihan",
        place="Aula Kecamatan Bontang Barat",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        invitee_ids=invitees,
    )


def held(meeting):
    """Move the meeting into the past (as if its time had come)."""
    past = timezone.now() - timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=past, ends_at=past + timedelta(hours=2))
    meeting.refresh_from_db()
    return meeting


def test_default_invitees_are_the_forums_officers_and_members(kecamatan_officer, member):
    names = {c.user_id for c in selectors.candidates(Region.objects.get(code=BARAT))}
    assert names == {kecamatan_officer.pk, member.pk}


def test_scheduling_invites_and_tells_each_invitee(kecamatan_officer, member, committed):
    with committed():
        meeting = call(kecamatan_officer)
    assert set(meeting.invitations.values_list("user_id", flat=True)) == {
        kecamatan_officer.pk,
        member.pk,
    }
    [notification] = Notification.objects.filter(user=member)
    assert notification.url == meeting.get_absolute_url()
    assert MeetingEvent.objects.filter(meeting=meeting, after="scheduled").count() == 1
    assert meeting.signed_as.startswith("Sekretaris")


def test_an_officer_of_bontang_barat_cannot_call_a_meeting_of_bontang_utara(
    kecamatan_officer, outsider
):
    with pytest.raises(MayNot):
        call(kecamatan_officer, UTARA, invitees=[])
    # Nor of a kelurahan forum below their own: its own officers call those.
    with pytest.raises(MayNot):
        call(kecamatan_officer, "64.74.03.1001", invitees=[])
    assert not Meeting.objects.exists()


def test_only_default_invitees_may_be_invited(kecamatan_officer, member, outsider):
    with pytest.raises(BadInput):
        call(kecamatan_officer, invitees=[member.pk, outsider.pk])
    assert not Meeting.objects.exists()


def test_coordinator_calls_the_kecamatan_forums_officers(coordinator, kecamatan_officer, outsider):
    meeting = call(coordinator, "64.74")
    invited = set(meeting.invitations.values_list("user_id", flat=True))
    # The kecamatan officer is invited; a kelurahan officer is not (a city meeting).
    assert kecamatan_officer.pk in invited
    assert outsider.pk not in invited


def test_answer_then_minutes_then_publish(client, kecamatan_officer, member, committed):
    meeting = call(kecamatan_officer)
    client.force_login(member)
    response = client.post(
        reverse("meetings:answer", args=[meeting.public_id]), {"answer": "hadir"}
    )
    assert response.status_code == 302
    invitation = MeetingInvitation.objects.get(meeting=meeting, user=member)
    assert invitation.answer == "hadir"
    # The invitee does not manage the meeting.
    assert client.get(reverse("meetings:minutes", args=[meeting.public_id])).status_code == 404
    held(meeting)
    # Answers close once it has started.
    response = client.post(
        reverse("meetings:answer", args=[meeting.public_id]), {"answer": "tidak_hadir"}
    )
    assert response.status_code == 409
    client.force_login(kecamatan_officer)
    page = client.get(reverse("meetings:minutes", args=[meeting.public_id]))
    assert page.status_code == 200
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = client.post(
        reverse("meetings:minutes", args=[meeting.public_id]),
        {
            "attended": [invitation.pk],
            "minutes": "Laporan diterima.",
            "decisions": "Pelatihan digelar Maret",
            "followup-TOTAL_FORMS": "3",
            "followup-INITIAL_FORMS": "0",
            "followup-MIN_NUM_FORMS": "0",
            "followup-MAX_NUM_FORMS": "20",
            "followup-0-text": "Menyusun RAB pelatihan",
            "followup-0-responsible": str(invitation.pk),
            "followup-0-due_on": due,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.state == "held"
    attendance = dict(meeting.invitations.values_list("user_id", "attended"))
    assert attendance == {member.pk: True, kecamatan_officer.pk: False}
    with committed():
        client.post(reverse("meetings:publish_minutes", args=[meeting.public_id]))
    meeting.refresh_from_db()
    assert meeting.state == "published"
    subjects = list(Notification.objects.filter(user=member).values_list("kind", flat=True))
    assert sorted(subjects) == ["follow_up", "meeting", "meeting_minutes"]
    assert [f.text for f in selectors.follow_ups_due(member)] == ["Menyusun RAB pelatihan"]
    client.force_login(member)
    page = client.get(meeting.get_absolute_url())
    assert "Laporan diterima." in page.text
    follow_up = FollowUp.objects.get()
    client.post(reverse("meetings:complete_follow_up", args=[meeting.public_id, follow_up.pk]))
    assert selectors.follow_ups_due(member) == []


def test_each_invitee_reads_their_own_answer_on_the_meeting_page(
    client, kecamatan_officer, member, django_assert_num_queries
):
    """The organiser, who also sees every invitation, finds theirs among them; an invitee
    who does not manage the meeting has theirs read on its own."""
    meeting = call(kecamatan_officer)
    answers = {kecamatan_officer: "tidak_hadir", member: "hadir"}
    for user, answer in answers.items():
        services.answer_invitation(actor=user, meeting=meeting, answer=answer)
    for user, queries in ((kecamatan_officer, 7), (member, 6)):
        client.force_login(user)
        with django_assert_num_queries(queries):
            response = client.get(meeting.get_absolute_url())
        invitation = response.context["invitation"]
        assert (invitation.user_id, invitation.answer) == (user.pk, answers[user])
        assert f"<strong>{invitation.get_answer_display()}</strong>" in response.text


def test_minutes_before_the_meeting_are_refused(kecamatan_officer, member):
    meeting = call(kecamatan_officer)
    with pytest.raises(DomainError):
        services.record_minutes(
            actor=kecamatan_officer, meeting=meeting, attended_ids=[], minutes="x",
            decisions="", follow_ups=[],
        )  # fmt: skip


def test_a_follow_up_half_filled_is_an_error_beside_it(client, kecamatan_officer, member):
    meeting = held(call(kecamatan_officer))
    client.force_login(kecamatan_officer)
    response = client.post(
        reverse("meetings:minutes", args=[meeting.public_id]),
        {
            "minutes": "Laporan.",
            "followup-TOTAL_FORMS": "1",
            "followup-INITIAL_FORMS": "0",
            "followup-0-text": "Sesuatu",
        },
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.state == "scheduled"


def test_strangers_do_not_find_the_meeting(client, kecamatan_officer, member, outsider):
    meeting = call(kecamatan_officer)
    for path in (
        meeting.get_absolute_url(),
        reverse("meetings:ics", args=[meeting.public_id]),
        reverse("meetings:sheet", args=[meeting.public_id]),
    ):
        client.force_login(outsider)
        assert client.get(path).status_code == 404
    client.logout()
    assert client.get(meeting.get_absolute_url()).status_code == 302  # to sign in


def test_ics_sheet_and_pdf(client, kecamatan_officer, member):
    meeting = call(kecamatan_officer)
    client.force_login(member)
    ics = client.get(reverse("meetings:ics", args=[meeting.public_id]))
    for response in (ics, client.get(meeting.get_absolute_url())):
        assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert b"BEGIN:VEVENT" in ics.content
    assert b"TZID=Asia/Makassar" in ics.content
    assert b"BEGIN:VALARM" in ics.content
    assert b"SEQUENCE:0" in ics.content
    client.force_login(kecamatan_officer)
    sheet = client.get(reverse("meetings:sheet", args=[meeting.public_id]))
    assert "sheet-signature" in sheet.text
    pdf = client.get(reverse("meetings:pdf", args=[meeting.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Rapat pengurus Bontang Barat" in text
    assert "Laporan kegiatan" in text


def test_meeting_page_and_sheet_give_the_day_and_date_in_words(client, kecamatan_officer, member):
    """ "Jumat, 15 Januari 2027": a format setting's name inside a format string ("l,
    DATE_FORMAT") was written letter by letter, "Jumat, JumAMWITAJanuari_Januari+0800..."."""
    starts = datetime(2027, 1, 15, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))  # a Friday
    meeting = call(kecamatan_officer, when=starts)
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).text
    assert "Jumat, 15 Januari 2027, 10.00\u201312.00" in page
    client.force_login(kecamatan_officer)
    sheet = client.get(reverse("meetings:sheet", args=[meeting.public_id])).text
    assert "Jumat, 15 Januari 2027, 10.00\u201312.00 WITA" in sheet
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    sheet = client.get(reverse("meetings:sheet", args=[meeting.public_id])).text
    assert "Friday, 15 January 2027, 10:00\u201312:00 WITA" in sheet
    # The invitation by email says it as the pages do.
    with translation.override("id"):
        email = render_to_string("cadres/email/meeting_invitation.txt", {"meeting": meeting})
    assert "Jumat, 15 Januari 2027, 10.00\u201312.00 WITA" in email
    # And so does the PDF of the minutes ("09:00-11:00 WITA", found by a walk through the
    # demo site); its Helvetica writes the en dash as a hyphen.
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "id"})
    pdf = client.get(reverse("meetings:pdf", args=[meeting.public_id]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "15 Januari 2027, 10.00" in text
    assert "12.00 WITA" in text


@pytest.mark.parametrize("count", [1, 8])
def test_meeting_page_queries_do_not_grow_with_invitees(
    client, kecamatan_officer, count, django_assert_max_num_queries
):
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code=BARAT))
    for _ in range(count):
        profile = cadre_services.verify_cadre(
            actor=kecamatan_officer, profile=make_profile(kelurahan="64.74.03.1002")
        )
        forum_services.add_member(actor=kecamatan_officer, forum=forum, profile=profile)
    meeting = call(kecamatan_officer)
    client.force_login(kecamatan_officer)
    with django_assert_max_num_queries(10):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:list")).status_code == 200


def test_each_reads_the_meetings_they_are_invited_to_organised_or_oversee(
    client, coordinator, kecamatan_officer, member, outsider
):
    city = call(coordinator, "64.74", title="Rapat kota")  # invites the kecamatan officer
    barat = call(kecamatan_officer, title="Rapat Bontang Barat")  # invites the member
    kelurahan = call(outsider, "64.74.01.1001", title="Rapat Api-Api")
    # Organised by the member, who is neither invited nor an officer there.
    Meeting.objects.filter(pk=kelurahan.pk).update(organiser=member)

    def readable(user):
        return set(selectors.readable(user).values_list("title", flat=True))

    assert readable(coordinator) == {city.title, barat.title, kelurahan.title}
    assert readable(kecamatan_officer) == {city.title, barat.title}
    assert readable(member) == {barat.title, kelurahan.title}
    assert readable(outsider) == {kelurahan.title}
    client.force_login(kecamatan_officer)
    listed = client.get(reverse("meetings:list")).context["meetings"]
    assert sorted(meeting.title for meeting in listed) == sorted([city.title, barat.title])


def schedule_form(when, invitees):
    local = timezone.localtime(when)
    return {
        "wilayah": BARAT,
        "title": "Rapat pengurus",
        "agenda": "Laporan kegiatan",
        "place": "Aula Kecamatan",
        "day": local.date().isoformat(),
        "starts": local.strftime("%H:%M"),
        "ends": (local + timedelta(minutes=90)).strftime("%H:%M"),
        "invitees": invitees,
    }


def test_a_meeting_is_called_ahead_and_answers_close_when_it_starts(
    client, kecamatan_officer, member
):
    """A meeting dated 1 January 2020 was scheduled and its invitees asked hadir or tidak
    hadir, answers the service then refused (found by a walk through the demo site)."""
    client.force_login(kecamatan_officer)
    past = datetime(2020, 1, 1, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    refused = client.post(reverse("meetings:schedule"), schedule_form(past, [member.pk]))
    assert refused.status_code == 400
    assert "day" in refused.context["form"].errors
    assert not Meeting.objects.exists()
    # 10.00 two days ahead: a meeting of 90 minutes from now + 2 days crossed midnight when
    # the tests ran after 22.30 WITA, and the form refused its end before its start.
    ahead = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    ahead += timedelta(days=2)
    scheduled = client.post(reverse("meetings:schedule"), schedule_form(ahead, [member.pk]))
    assert scheduled.status_code == 302
    meeting = Meeting.objects.get()

    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).text
    assert 'name="answer" value="hadir"' in page
    held(meeting)
    page = client.get(meeting.get_absolute_url()).text
    assert 'name="answer" value="hadir"' not in page
    assert "Jawaban ditutup saat rapat dimulai." in page


def test_a_meeting_is_found_by_its_page_exactly_for_those_who_read_it_in_the_list(
    client, coordinator, kecamatan_officer, member, outsider, staff, other_kota
):
    """get_readable_or_404 (the meeting's pages) reads the meeting by its key and asks
    may_read; readable (the list) asks the database. Both answer alike for every meeting and
    person: organisers, invitees, officers above the region, the coordinator, Dinas staff,
    strangers, another kota's staff, a superuser, an anonymous visitor."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from forkom.accounts.models import Position, Role
    from tests.conftest import found_or_none, make_persona, make_user

    city = call(coordinator, "64.74", title="Rapat kota")
    barat = call(kecamatan_officer, title="Rapat Bontang Barat")
    kelurahan = call(outsider, "64.74.01.1001", title="Rapat Api-Api")
    Meeting.objects.filter(pk=kelurahan.pk).update(organiser=member)
    utara_officer = make_persona(Role.FORUM_OFFICER, UTARA, Position.KETUA)
    people = [
        coordinator,
        kecamatan_officer,
        member,
        outsider,
        staff,
        utara_officer,
        make_persona(Role.DINAS_STAFF, "64.72"),
        make_persona(Role.CITY_COORDINATOR, "64.72"),
        make_profile(kelurahan="64.74.03.1001").user,  # a cadre of Barat, not invited
        make_user(is_superuser=True),
        make_user(is_superuser=True, is_active=False),
        AnonymousUser(),
    ]
    found = refused = 0
    for meeting in (city, barat, kelurahan):
        for person in people:
            listed = selectors.readable(person).filter(pk=meeting.pk).exists()
            page = found_or_none(selectors.get_readable_or_404, person, meeting.public_id)
            assert (page is not None) is listed, (meeting.title, person)
            assert page is None or (page.pk, page.region.code) == (meeting.pk, meeting.region_id)
            found += listed
            refused += not listed
    assert found >= 12
    assert refused >= 12
    with pytest.raises(Http404):
        selectors.get_readable_or_404(coordinator, uuid.uuid4())  # no meeting's key


def test_the_regions_a_person_may_call_meetings_in_are_theirs_in_code_order(
    kecamatan_officer, coordinator, staff, member, django_assert_num_queries
):
    """The schedule form's and the list's choice of region: where each role calls meetings
    (an officer at their forum's region, the coordinator at the kota, Dinas staff at the
    province), in code order, each read by its code; none for a plain cadre."""
    from forkom.accounts import services as account_services
    from forkom.accounts.models import Position, Role
    from tests.conftest import make_persona

    utara_officer = make_persona(Role.FORUM_OFFICER, UTARA, Position.KETUA)
    officer_twice = make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA)
    account_services.grant_role(
        actor=None,
        user=officer_twice,
        role=Role.FORUM_OFFICER,
        region=Region.objects.get(code=BARAT),
        position=Position.BENDAHARA,
    )

    def codes(user):
        return [region.code for region in selectors.organisable_regions(user)]

    assert codes(kecamatan_officer) == [BARAT]
    assert codes(utara_officer) == [UTARA]
    assert codes(coordinator) == ["64.74"]
    assert codes(staff) == ["64"]
    assert codes(member) == []
    assert codes(officer_twice) == [BARAT, "64.74.03.1001"]
    found = selectors.organisable_regions(officer_twice)
    assert [region.name for region in found] == [
        Region.objects.get(code=code).name for code in (BARAT, "64.74.03.1001")
    ]
    officer_twice.__dict__.pop("_forkom_grants", None)
    with django_assert_num_queries(3):  # the grants, then each region by its code
        selectors.organisable_regions(officer_twice)
