"""The inbox's notifications, written here rather than by a template loop.

The inbox lists twenty-five notifications a page, each a form (its CSRF token, the address
that opens it), its subject in the page's language and its time: as a template loop about
2 ms of a page whose signed-in floor is 3 (the national seed). `notification_items` writes
the same markup (tests/notifications/test_inbox_items.py renders the former loop, kept
beside it, and compares), escaped and localized as the template did."""

from collections.abc import Iterable

from django import template
from django.template import Context
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from forkom.dates import time_element
from forkom.notifications.models import Notification
from forkom.paths import path_to
from forkom.renderers import shown

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_items(context: Context, notifications: Iterable[Notification]) -> SafeString:
    """An `<li>` per notification: a button that opens it (marked "New" while unread), its
    subject and when it came."""
    csrf = CsrfTokenNode().render(context)
    # A label's own call: makemessages does not see a gettext inside an f-string.
    new_label = shown(gettext("New"))
    new = f"<strong>{new_label}:</strong> "
    items = []
    for notification in notifications:
        read = notification.read_at is not None
        action = shown(path_to("notifications:open", notification.pk))
        items.append(
            f'\n  <li class="{"read" if read else "unread"}">\n'
            f'    <form method="post" action="{action}" class="inline-form">\n'
            f"      {csrf}\n"
            '      <button type="submit" class="link-button">'
            f"{'' if read else new}{shown(notification.subject_shown)}</button>\n"
            "    </form>\n"
            f"    {time_element(notification.created_at, 'DATETIME_FORMAT')}\n"
            "  </li>\n  "
        )
    return mark_safe("".join(items))
