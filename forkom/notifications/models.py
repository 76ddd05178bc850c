"""A person's inbox on the site: every message the portal sends them lands here, whether or
not it also goes out by email (a cadre without email hears of it only here)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forkom import texts


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    # In the site's language; `other_subjects` holds it in the others ({"en": "..."}),
    # written when it was sent, so that each reader's inbox reads in their language.
    subject = models.CharField(_("subject"), max_length=300)
    other_subjects = models.JSONField(
        _("subject in other languages"), default=dict, db_default={}, blank=True, editable=False
    )
    # A path on this site: what the notification is about.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The same key written twice (a task retried after a crash) is one notification.
    key = models.CharField(_("key"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_key_once"
            )
        ]

    def __str__(self):
        return self.subject

    @property
    def subject_shown(self) -> str:
        """The subject in the language of the page that shows it (an announcement's title,
        written by a person, is the same in every language)."""
        return texts.shown_beside(self.subject, self.other_subjects)


class EmailPreference(models.Model):
    """Whether the person also gets a kind of notification by email (absent: the kind's
    default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=40)
    email = models.BooleanField(_("also by email"))

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="emailpreference_once")
        ]

    def __str__(self):
        return f"{self.user} {self.kind}"
