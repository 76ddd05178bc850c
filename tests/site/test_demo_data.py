import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from cadres.forums.services import term_end
from cadres.models import Announcement, CadreProfile, Meeting
from forkom.accounts.models import Role, RoleAssignment
from forkom.notifications.models import Notification
from programs.models import Innovation, Proposal


def test_demo_cadres_give_the_demo_accounts_verified_profiles_once(bontang, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("create_demo_cadres", stdout=io.StringIO())
    call_command("create_demo_cadres", stdout=io.StringIO())
    verified = CadreProfile.objects.filter(status=CadreProfile.Status.VERIFIED)
    assert set(verified.values_list("user__email", flat=True)) == {
        "kader@demo.forkom.id",
        "pengurus.kelurahan@demo.forkom.id",
        "pengurus.kecamatan@demo.forkom.id",
    }
    assert CadreProfile.objects.filter(status=CadreProfile.Status.WAITING).count() == 6


def test_demo_forum_officers_hold_the_five_year_term_the_appointment_form_gives(bontang, settings):
    settings.DEBUG = True
    today = timezone.localdate()
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("create_demo_accounts", stdout=io.StringIO())
    terms = RoleAssignment.objects.filter(role=Role.FORUM_OFFICER)
    assert sorted(terms.values_list("user__email", "starts_on", "ends_on")) == [
        ("pengurus.kecamatan@demo.forkom.id", today, term_end(today)),
        ("pengurus.kelurahan@demo.forkom.id", today, term_end(today)),
    ]


def test_a_demo_officer_seeded_without_an_end_gets_the_terms_end(bontang, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    # A demo database seeded before the terms had an end.
    RoleAssignment.objects.filter(role=Role.FORUM_OFFICER).update(ends_on=None)
    call_command("create_demo_accounts", stdout=io.StringIO())
    terms = RoleAssignment.objects.filter(role=Role.FORUM_OFFICER)
    assert terms.count() == 2
    assert all(term.ends_on == term_end(term.starts_on) for term in terms)


def test_demo_cadres_are_refused_when_debug_is_off(bontang, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_cadres")


def test_demo_programmes_fill_the_public_side_once(bontang, settings, client):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("create_demo_cadres", stdout=io.StringIO())
    call_command("create_demo_programmes", stdout=io.StringIO())
    call_command("create_demo_programmes", stdout=io.StringIO())
    assert sorted(Proposal.objects.values_list("state", flat=True)) == ["accepted", "escalated"]
    assert Innovation.objects.filter(state=Innovation.State.PUBLISHED).count() == 1
    page = client.get(reverse("territory:region", kwargs={"code": "64.74.03.1001"})).text
    assert "Pelatihan pengolahan rumput laut" in page
    assert "Dodol rumput laut Belimbing" in page


def test_demo_programmes_are_refused_when_debug_is_off(bontang, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_programmes")


def test_demo_announcement_and_meeting_reach_the_demo_cadres_once(
    bontang, settings, client, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("create_demo_cadres", stdout=io.StringIO())
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("create_demo_communication", stdout=io.StringIO())
    [announcement] = Announcement.objects.all()
    assert announcement.state == Announcement.State.PUBLISHED
    assert Notification.objects.filter(user__email="kader@demo.forkom.id").count() == 1
    assert announcement.title in client.get(reverse("home")).text
    [meeting] = Meeting.objects.all()
    assert meeting.state == Meeting.State.PUBLISHED
    assert meeting.follow_ups.count() == 1
    forum_page = client.get(reverse("forums:detail", args=["64.74.03"])).text
    assert meeting.title in forum_page
