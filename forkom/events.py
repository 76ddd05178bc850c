"""What every event table shares (the timelines, the audit and the reports read them).

Each state change leaves one row: who acted, their name as it was shown (kept as it was when
their account is forgotten), when, what changed from and to, and a note. Timelines read
oldest first; a page that shows the newest first says so in its query.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
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


def records_language() -> translation.override:
    """The language of what the portal writes into a record itself (an event's note: "41 of
    41 present"): the site's own, Indonesian, whoever's request, command or task writes it.
    A record is read by many people later; one written in the language of whoever happened
    to act showed English notes on Indonesian pages. The notifications do the same."""
    return translation.override(settings.LANGUAGE_CODE)


def recorded(message: str | Promise, values: dict[str, Any] | None = None) -> str:
    """`message` (a lazy translation, formatted with `values`) in the records' language."""
    with records_language():
        return str(message) % values if values is not None else str(message)
