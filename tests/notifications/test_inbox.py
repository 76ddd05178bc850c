"""The notification inbox: every message lands here, email only for those who want it."""

import pytest
from django.core import mail as outbox
from django.urls import reverse

from cadres import services as cadre_services
from forkom.accounts.models import User
from forkom.notifications import kinds, services
from forkom.notifications.models import EmailPreference, Notification
from tests.cadres.factories import make_profile, profile_details
from tests.conftest import make_user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def unread(user):
    return User.objects.get(pk=user.pk).unread_notifications


def test_a_decision_reaches_the_inbox_and_the_email_of_a_cadre_who_has_one(
    client, kelurahan_officer, committed
):
    profile = make_profile(user=make_user("siti@test.forkom.id"))
    with committed():
        cadre_services.verify_cadre(actor=kelurahan_officer, profile=profile)
    [notification] = Notification.objects.filter(user=profile.user)
    assert notification.url == reverse("cadres:mine")
    [message] = [m for m in outbox.outbox if m.to == ["siti@test.forkom.id"]]
    assert message.subject.endswith(notification.subject)
    assert "http://testserver" not in message.body  # built from FORKOM_SITE_URL
    assert reverse("cadres:mine") in message.body  # the link to what it is about
    assert unread(profile.user) == 1


def test_a_cadre_without_email_hears_of_it_in_the_inbox_only(kelurahan_officer, committed):
    profile = cadre_services.register_assisted(actor=kelurahan_officer, **profile_details())
    with committed():
        cadre_services.verify_cadre(actor=kelurahan_officer, profile=profile)
    assert Notification.objects.filter(user=profile.user).count() == 1
    assert outbox.outbox == []
    assert unread(profile.user) == 1


def test_the_menu_counts_unread_and_opening_one_marks_it_read(
    client, kelurahan_officer, committed
):
    profile = make_profile(user=make_user("siti@test.forkom.id"))
    with committed():
        cadre_services.verify_cadre(actor=kelurahan_officer, profile=profile)
    client.force_login(profile.user)
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200
    assert 'class="count">1' in page.text
    notification = Notification.objects.get(user=profile.user)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("cadres:mine")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread(profile.user) == 0
    assert 'class="count"' not in client.get(reverse("notifications:inbox")).text


def test_mark_all_read(client, cadre):
    for number in range(3):
        services.tell([cadre], kind="cadre_decision", template="cadres/email/deletion_done",
                      context={}, key=f"test-{number}")  # fmt: skip
    assert unread(cadre) == 3
    client.force_login(cadre)
    client.post(reverse("notifications:mark_all_read"))
    assert unread(cadre) == 0
    assert not Notification.objects.filter(user=cadre, read_at__isnull=True).exists()


def test_the_same_key_twice_is_one_notification_and_one_email(cadre, committed):
    with committed():
        for _ in range(2):
            services.tell([cadre], kind="cadre_decision", template="cadres/email/deletion_done",
                          context={}, key="once")  # fmt: skip
    assert Notification.objects.filter(user=cadre).count() == 1
    assert len(outbox.outbox) == 1
    assert unread(cadre) == 1


def test_a_person_turns_an_email_off_and_still_finds_it_in_the_inbox(client, cadre, committed):
    client.force_login(cadre)
    page = client.get(reverse("notifications:preferences"))
    assert 'name="email_cadre_decision"' in page.text
    assert 'id="email-cadre_decision" checked' in page.text  # on by default
    client.post(reverse("notifications:preferences"), {})  # every box unticked
    assert EmailPreference.objects.get(user=cadre, kind="cadre_decision").email is False
    with committed():
        services.tell([cadre], kind="cadre_decision", template="cadres/email/deletion_done",
                      context={})  # fmt: skip
    assert outbox.outbox == []
    assert Notification.objects.filter(user=cadre).count() == 1


def test_nobody_opens_anothers_notification(client, cadre, kelurahan_officer):
    services.tell([cadre], kind="cadre_decision", template="cadres/email/deletion_done",
                  context={})  # fmt: skip
    notification = Notification.objects.get()
    client.force_login(kelurahan_officer)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
    assert "deletion" not in client.get(reverse("notifications:inbox")).text.lower()
    assert notification.subject not in client.get(reverse("notifications:inbox")).text


def test_every_kind_has_a_label_and_announcements_do_not_email_by_default():
    names = {kind.name for kind in kinds.all_kinds()}
    assert {"cadre_decision", "data_request", "proposal", "training"} <= names


@pytest.mark.parametrize("count", [1, 30])
def test_the_inbox_reads_the_same_queries_however_many(client, cadre, count,
                                                        django_assert_num_queries):  # fmt: skip
    for number in range(count):
        services.tell([cadre], kind="cadre_decision", template="cadres/email/deletion_done",
                      context={}, key=f"k{number}")  # fmt: skip
    client.force_login(cadre)
    client.get(reverse("notifications:inbox"))
    # session, user, roles, the count for the pages, the page of notifications
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:inbox"))
    assert response.text.count("/buka/") == min(count, 25)


def test_in_development_an_emails_link_follows_the_port_that_serves(
    client, kelurahan_officer, committed, settings
):
    """runserver on 8101: the link says 8101, not FORKOM_SITE_URL's 8000."""
    settings.DEBUG = True
    settings.FORKOM_SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    profile = make_profile(user=make_user("siti@test.forkom.id"))
    client.force_login(kelurahan_officer)
    with committed():
        response = client.post(
            reverse("cadres:verify", args=[profile.public_id]), HTTP_HOST="127.0.0.1:8101"
        )
    assert response.status_code == 302
    [message] = [m for m in outbox.outbox if m.to == ["siti@test.forkom.id"]]
    assert "http://127.0.0.1:8101" + reverse("cadres:mine") in message.body
    assert ":8000" not in message.body


def test_in_production_a_forged_host_does_not_reach_the_links(
    client, kelurahan_officer, committed, settings
):
    settings.FORKOM_SITE_URL = "https://forkom.example"
    settings.ALLOWED_HOSTS = ["forkom.example", "evil.example"]
    profile = make_profile(user=make_user("siti@test.forkom.id"))
    client.force_login(kelurahan_officer)
    with committed():
        client.post(reverse("cadres:verify", args=[profile.public_id]), HTTP_HOST="evil.example")
    [message] = [m for m in outbox.outbox if m.to == ["siti@test.forkom.id"]]
    assert "https://forkom.example" + reverse("cadres:mine") in message.body
    assert "evil.example" not in message.body


@pytest.mark.parametrize(
    ("language", "subject"),
    [("id", "Pendaftaran kader Anda: Terverifikasi"), ("en", "Your cadre registration: Verified")],
)
def test_the_inbox_reads_in_the_language_of_its_reader(
    client, settings, kelurahan_officer, committed, language, subject
):
    """The subject was stored in Indonesian only: a cadre reading the site in English saw
    Indonesian notifications between English words (noticed at stop 42)."""
    profile = make_profile(user=make_user("siti@test.forkom.id"))
    with committed():
        cadre_services.verify_cadre(actor=kelurahan_officer, profile=profile)
    client.force_login(profile.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("notifications:inbox")).text
    assert subject in page
    # Data saya and the admin keep the subject in the site's language.
    assert Notification.objects.get(user=profile.user).subject == (
        "Pendaftaran kader Anda: Terverifikasi"
    )


def test_the_preferences_page_shows_what_wants_email_answers_in_one_query(
    client, cadre, django_assert_num_queries
):
    """Each kind's box as wants_email decides for the person, read in one query for all the
    kinds (the page asked once per kind)."""
    every = kinds.all_kinds()
    off = next(kind for kind in every if kind.email_default)
    EmailPreference.objects.create(user=cadre, kind=off.name, email=False)
    on = next((kind for kind in every if not kind.email_default), None)
    if on is not None:
        EmailPreference.objects.create(user=cadre, kind=on.name, email=True)
    assert services.email_choices(cadre) == {
        kind.name: cadre.pk in services.wants_email([cadre], kind.name) for kind in every
    }
    assert services.email_choices(cadre)[off.name] is False
    client.force_login(cadre)
    client.get(reverse("notifications:preferences"))
    # Session, user, roles (a cadre has no menu count); the choices.
    with django_assert_num_queries(4):
        page = client.get(reverse("notifications:preferences"))
    assert f'id="email-{off.name}">' in page.text
    for kind in every:
        if kind is not off and (kind.email_default or kind is on):
            assert f'id="email-{kind.name}" checked' in page.text
    User.objects.filter(pk=cadre.pk).update(email="")
    cadre.refresh_from_db()
    assert not any(services.email_choices(cadre).values())  # no address: only here
