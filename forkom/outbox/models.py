"""Every email the portal sends, as a row: written in the transaction of the change that
causes it, delivered by the task worker, retried on transient errors, visible to staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # One row per message and person: the same key written twice (a task retried after a
    # crash) is one email, sent once.
    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.JSONField(pgettext_lazy("email addressed to", "to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    # Text files sent with the message, as [file name, content, MIME type]: a calendar entry.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outgoingemail_pending",
            )
        ]

    def __str__(self):
        # What anyone who may see the row may read: no address, no subject.
        return _("Email #%(number)s") % {"number": self.pk}
