"""forkom.mail: the one way the site emails, scheduled after the transaction commits."""

import pytest
from django.core import mail as outbox
from django.db import transaction
from django.utils import translation

from forkom import mail
from tests.cadres.factories import make_profile


def test_a_message_has_its_subject_prefixed_on_one_line_and_one_recipient(bontang):
    profile = make_profile()
    mail.send(to="siti@example.id", template="cadres/email/decision", context={"profile": profile})
    [message] = outbox.outbox
    assert message.to == ["siti@example.id"]
    assert message.subject.startswith("[Forkom KPM] ")
    assert "\n" not in message.subject
    assert profile.full_name in message.body


def test_it_is_written_in_the_sites_language_whatever_the_request_uses(db):
    with translation.override("en"):
        mail.send(to="a@example.id", template="cadres/email/deletion_done", context={})
    [message] = outbox.outbox
    assert message.subject == "[Forkom KPM] Data pribadi Anda telah dihapus"


def test_nothing_leaves_before_the_commit_nor_after_a_rollback(
    db, django_capture_on_commit_callbacks
):
    deletion_done = {"to": "a@example.id", "template": "cadres/email/deletion_done", "context": {}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail.after_commit(mail.send, **deletion_done)
    assert len(callbacks) == 1
    assert outbox.outbox == []

    def change_that_fails():
        with transaction.atomic():
            mail.after_commit(mail.send, **deletion_done)
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert outbox.outbox == []


def test_several_messages_go_out_each_to_its_own_recipient(db):
    mail.send_all(
        mail.message(to=address, template="cadres/email/deletion_done", context={})
        for address in ("a@example.id", "b@example.id")
    )
    assert [message.to for message in outbox.outbox] == [["a@example.id"], ["b@example.id"]]
