"""The email that gives a cadre a seat carries the training's calendar entry, with a reminder."""

from datetime import timedelta

from django.core import mail
from icalendar import Calendar

from forkom.outbox import services as outbox_services
from forkom.outbox.models import OutgoingEmail
from tests.trainings.factories import make_cadre, make_training
from trainings import exports, services


def calendar_of(message):
    """The one .ics attached to `message`, parsed."""
    files = [item for item in message.attachments if item.mimetype.startswith("text/calendar")]
    assert len(files) == 1
    assert files[0].filename.endswith(".ics")
    return Calendar.from_ical(files[0].content)


def test_the_sign_up_confirmation_carries_the_ics_with_a_reminder_the_day_before(
    bontang, django_capture_on_commit_callbacks, settings
):
    settings.FORKOM_SITE_URL = "https://forkom.example.id/"
    training = make_training(title="Pelatihan Posyandu", capacity=2)
    profile = make_cadre()
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up(actor=profile.user, training=training, profile=profile)
    [message] = mail.outbox
    [event] = calendar_of(message).walk("VEVENT")
    assert str(event["summary"]) == "Pelatihan Posyandu"
    assert event.decoded("dtstart") == training.starts_at.replace(microsecond=0)
    assert str(event["url"]) == f"https://forkom.example.id/pelatihan/{training.pk}/"
    [alarm] = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -timedelta(days=1)
    # Delivered: the stored copy keeps neither the text nor the file.
    assert OutgoingEmail.objects.get().attachments == []


def test_a_place_on_the_waitlist_puts_nothing_in_the_calendar_until_a_seat_frees_up(
    bontang, django_capture_on_commit_callbacks
):
    training = make_training(capacity=1)
    seated, waiting = make_cadre(full_name="Ani"), make_cadre(full_name="Budi")
    services.sign_up(actor=seated.user, training=training, profile=seated)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.sign_up(actor=waiting.user, training=training, profile=waiting)
    assert [message.attachments for message in mail.outbox] == [[]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(actor=seated.user, registration=training.registrations.get(profile=seated))
    [promoted] = [message for message in mail.outbox if message.to == [waiting.user.email]]
    assert registration.training.title in str(calendar_of(promoted).walk("VEVENT")[0]["summary"])


def test_the_cancellation_marks_the_seat_in_the_calendar_cancelled(
    bontang, staff, django_capture_on_commit_callbacks
):
    """Whoever put the seat in their calendar from the confirmation finds it cancelled there:
    the same UID, STATUS:CANCELLED and no reminder."""
    training = make_training(capacity=1)
    seated, waiting = make_cadre(full_name="Ani"), make_cadre(full_name="Budi")
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up(actor=seated.user, training=training, profile=seated)
    [imported] = calendar_of(mail.outbox[0]).walk("VEVENT")
    services.sign_up(actor=waiting.user, training=training, profile=waiting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_training(actor=staff, training=training, note="Aula banjir")
    [told_seated] = [message for message in mail.outbox if message.to == [seated.user.email]]
    [event] = calendar_of(told_seated).walk("VEVENT")
    assert str(event["uid"]) == str(imported["uid"])
    assert str(event["status"]) == "CANCELLED"
    assert not event.walk("VALARM")
    # The waitlist never had it in the calendar.
    [told_waiting] = [message for message in mail.outbox if message.to == [waiting.user.email]]
    assert told_waiting.attachments == []


def test_a_message_waiting_for_the_mail_server_keeps_its_attachment_until_sent(
    bontang, django_capture_on_commit_callbacks, smtp
):
    smtp.mode = "refuse"
    profile = make_cadre()
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up(actor=profile.user, training=make_training(), profile=profile)
    row = OutgoingEmail.objects.get()
    assert row.status == OutgoingEmail.Status.PENDING
    [[name, content, mimetype]] = row.attachments
    assert name.endswith(".ics")
    assert mimetype == "text/calendar"
    assert "BEGIN:VALARM" in content
    smtp.mode = "accept"
    assert outbox_services.deliver(row.pk) == OutgoingEmail.Status.SENT
    [sent] = smtp.received
    parts = [part.get_content_type() for part in sent.walk()]
    assert "text/calendar" in parts


def test_each_calendar_file_sent_again_carries_a_higher_sequence(
    bontang, staff, django_capture_on_commit_callbacks
):
    """RFC 5545: a calendar takes a file with the same UID as a new version of the entry
    when its SEQUENCE is higher; the time moved, then the cancellation, each raise it."""
    training = make_training(capacity=2)
    profile = make_cadre()
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up(actor=profile.user, training=training, profile=profile)
    [imported] = calendar_of(mail.outbox[0]).walk("VEVENT")
    mail.outbox.clear()
    later = {
        "starts_at": training.starts_at + timedelta(hours=2),
        "ends_at": training.ends_at + timedelta(hours=2),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.change_training(actor=staff, training=training, values=later)
    [moved] = calendar_of(mail.outbox[0]).walk("VEVENT")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_training(actor=staff, training=training, note="Aula banjir")
    [cancelled] = calendar_of(mail.outbox[0]).walk("VEVENT")
    assert [event["sequence"] for event in (imported, moved, cancelled)] == [0, 1, 2]
    assert str(cancelled["status"]) == "CANCELLED"


def test_a_change_the_calendar_does_not_show_leaves_the_sequence(bontang, staff):
    training = make_training()
    services.change_training(
        actor=staff, training=training, values={"signatory_name": "Dr. Siti Aminah"}
    )
    training.refresh_from_db()
    [event] = Calendar.from_ical(exports.training_ics(training, "")).walk("VEVENT")
    assert event["sequence"] == 0
    services.change_training(actor=staff, training=training, values={"title": "Judul baru"})
    training.refresh_from_db()
    [event] = Calendar.from_ical(exports.training_ics(training, "")).walk("VEVENT")
    assert event["sequence"] == 1
