"""What every event table shares (the timelines, the audit and the reports read them).

Each state change leaves one row: who acted, their name as it was shown (kept as it was when
their account is forgotten), when, what changed from and to, and a note. Timelines read
oldest first; a page that shows the newest first says so in its query.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forkom.choices import ChoiceLabels


class Event(ChoiceLabels, models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The texts also default in the database, for the bulk loaders that name only some columns.
    actor_name = models.CharField(_("name"), max_length=150, blank=True, default="", db_default="")
    before = models.CharField(_("from"), max_length=200, blank=True, default="", db_default="")
    after = models.CharField(_("to"), max_length=200, blank=True, default="", db_default="")
    note = models.TextField(_("note"), blank=True, default="", db_default="")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
