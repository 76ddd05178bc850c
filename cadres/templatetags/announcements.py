"""Announcements as the lists show them, written here rather than by a template per item.

The announcements page lists twenty a page, the home page, a forum's page and a region's
page a few: as an included partial each took about 70 µs. `announcement_items` writes the
same markup (tests/cadres/test_announcement_items.py renders the old partial beside it)."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from forkom.dates import time_element
from forkom.renderers import shown

register = template.Library()


@register.simple_tag
def announcement_items(announcements) -> SafeString:
    """An `<li>` per announcement: its title (pinned first), who signed it, to which
    region, when it was published and whether it was edited or is for cadres only."""
    # Each label a call of its own: makemessages does not see a gettext inside an f-string.
    pinned_label = shown(gettext("Pinned"))
    pinned = f'<span class="status">{pinned_label}</span> '
    # "to" a region, not the "to" of a change of state (Indonesian: "kepada", not "menjadi").
    to = shown(pgettext("announcement addressed to", "to"))
    edited = " · " + shown(gettext("edited"))
    cadres_only = " · " + shown(gettext("cadres only"))
    items = []
    for announcement in announcements:
        published = ""
        if announcement.published_at:
            published = f" · {time_element(announcement.published_at, 'SHORT_DATE_FORMAT')}"
        items.append(
            '<li class="announcement-item">\n'
            f'  <a href="{shown(announcement.get_absolute_url())}">'
            f"{pinned if announcement.pinned else ''}{shown(announcement.title)}</a>\n"
            f"  <br><small>{shown(announcement.signed_as)} · {to} "
            f"{shown(announcement.region.name)}{published}"
            f"{edited if announcement.edited_at else ''}"
            f"{cadres_only if announcement.audience == 'cadres' else ''}</small>\n"
            "</li>\n"
        )
    return mark_safe("".join(items))
