"""forkom.mail: the one way the site emails, queued with the change and sent by the worker."""

import pytest
from django.core import mail as outbox
from django.db import transaction
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from forkom import mail
from forkom.outbox.models import OutgoingEmail
from tests.cadres.factories import make_profile

DELETION_DONE = {"to": "a@example.id", "template": "cadres/email/deletion_done", "context": {}}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block as a transaction that commits: its emails' tasks then run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_message_has_its_subject_prefixed_on_one_line_and_one_recipient(bontang, committed):
    profile = make_profile()
    with committed():
        mail.send(
            to="siti@example.id", template="cadres/email/decision", context={"profile": profile}
        )
    [message] = outbox.outbox
    assert message.to == ["siti@example.id"]
    assert message.subject.startswith("[Forkom KPM] ")
    assert "\n" not in message.subject
    assert profile.full_name in message.body


def test_it_is_written_in_the_sites_language_whatever_the_request_uses(db, committed):
    with translation.override("en"), committed():
        mail.send(**DELETION_DONE)
    [message] = outbox.outbox
    assert message.subject == "[Forkom KPM] Data pribadi Anda telah dihapus"


def test_the_message_and_its_task_are_written_with_the_change_and_sent_by_the_worker(
    db, task_queue
):
    def change_that_fails():
        with transaction.atomic():
            mail.send(**DELETION_DONE)
            mail.later(mail.send)  # a task of its own
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        mail.send(**DELETION_DONE)
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING
    assert DBTaskResult.objects.count() == 1
    assert outbox.outbox == []  # nothing waits on the mail server in the request
    assert task_queue() == 1
    assert [message.to for message in outbox.outbox] == [["a@example.id"]]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_several_messages_go_out_each_to_its_own_recipient(db, committed):
    with committed():
        mail.send_all(
            mail.message(to=address, template="cadres/email/deletion_done", context={})
            for address in ("a@example.id", "b@example.id")
        )
    assert [message.to for message in outbox.outbox] == [["a@example.id"], ["b@example.id"]]


def _tell_two():
    for address in ("a@example.id", "b@example.id"):
        mail.send(to=address, template="cadres/email/deletion_done", context={})


def test_a_function_run_again_after_a_crash_sends_nobody_a_second_email(db, committed):
    with committed():
        mail.run_as("task-1", _tell_two, [])
    with committed():
        mail.run_as("task-1", _tell_two, [])  # the same task, retried
    assert sorted(message.to[0] for message in outbox.outbox) == ["a@example.id", "b@example.id"]
    with committed():
        mail.run_as("task-2", _tell_two, [])  # another task: its own messages
    assert len(outbox.outbox) == 4
