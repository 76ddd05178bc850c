"""Writes on the outbox: queueing a message, delivering it once, retrying it later."""

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from forkom.outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

# A mail server that refuses or does not answer is retried with growing pauses (from
# settings.EMAIL_FIRST_RETRY_SECONDS, doubling) for about half a day; then the message is
# marked failed for staff to see in the admin.
MAX_ATTEMPTS = 12
LONGEST_PAUSE = timedelta(hours=4)


def is_transient(error: OSError) -> bool:
    """Whether the same message may succeed later: the server was down, busy (4xx), timed
    out or hung up. A 5xx answer (recipient unknown, message refused) will not change."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return True  # refused or reset connections, timeouts, disconnects


def queue(email: EmailMessage, *, key: str) -> OutgoingEmail | None:
    """Store `email` under `key` with its delivery task, in the current transaction.

    None when a message with this key is already stored (a retried task): one email.
    """
    from forkom.outbox import tasks

    with transaction.atomic():
        row, created = OutgoingEmail.objects.get_or_create(
            key=key[:200],
            defaults={
                "to": list(email.to),
                "subject": email.subject[:300],
                "body": str(email.body),
                "attachments": [list(attachment) for attachment in email.attachments],
                "next_attempt_at": timezone.now(),
            },
        )
        if not created:
            return None
        tasks.deliver.enqueue(row.pk)
    return row


def pause_after(attempts: int) -> timedelta:
    first = timedelta(seconds=settings.EMAIL_FIRST_RETRY_SECONDS)
    return min(first * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


def deliver(email_id: int) -> str:
    """Send the stored message unless it was sent already; on a transient error, count the
    attempt and say when to try again. Returns the row's status after the attempt."""
    with transaction.atomic():
        row = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if row is None or row.status != OutgoingEmail.Status.PENDING:
            return row.status if row else "missing"
        row.attempts += 1
        try:
            message = EmailMessage(row.subject, row.body, None, row.to)
            for name, content, mimetype in row.attachments:
                message.attach(name, content, mimetype)
            message.send()
        except OSError as error:  # smtplib's errors, refused connections, timeouts
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if is_transient(error) and row.attempts < MAX_ATTEMPTS:
                row.next_attempt_at = timezone.now() + pause_after(row.attempts)
                logger.warning("Email %s not sent, will retry: %s", row.pk, row.last_error)
            else:
                row.status = OutgoingEmail.Status.FAILED
                row.next_attempt_at = None
                logger.error("Email %s failed: %s", row.pk, row.last_error)
        else:
            row.status = OutgoingEmail.Status.SENT
            row.sent_at = timezone.now()
            row.next_attempt_at = None
            row.last_error = ""
            # Delivered: the row keeps that it was, not to whom or what it said.
            row.to = []
            row.body = ""
            row.attachments = []
        row.save()
    return row.status


def due(now: datetime | None = None) -> QuerySet[OutgoingEmail]:
    """Messages waiting whose next attempt is due (the sweep re-enqueues them)."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    )


def retry_failed(ids: Iterable[int]) -> int:
    """Queue failed messages again (the mail server is fixed): a fresh round of attempts."""
    from forkom.outbox import tasks

    count = 0
    with transaction.atomic():
        for row in OutgoingEmail.objects.select_for_update().filter(
            pk__in=list(ids), status=OutgoingEmail.Status.FAILED
        ):
            row.status = OutgoingEmail.Status.PENDING
            row.attempts = 0
            row.next_attempt_at = timezone.now()
            row.save(update_fields=["status", "attempts", "next_attempt_at"])
            tasks.deliver.enqueue(row.pk)
            count += 1
    return count


def enqueue_due(now: datetime | None = None) -> int:
    """Give every due waiting message a delivery task again: the safety net for a task lost
    with its worker, and how the immediate backend (tests) retries."""
    from forkom.outbox import tasks

    count = 0
    for pk in due(now).values_list("pk", flat=True):
        tasks.deliver.enqueue(pk)
        count += 1
    return count
