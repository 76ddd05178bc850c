"""A forum's manage page, its three lists written here rather than by template loops.

An officer's manage page lists up to twenty cadres found by name (each with its "Appoint…"
link and "Add as member" form), fifty members a page (each with its "Remove" form) and
the forum's last fifty events: 120 rows, which as template loops took about 60% of the
page (37 of 61 ms on the national seed). These tags write the same markup
(tests/cadres/test_forum_manage_rows.py renders the former loops, kept beside it, and
compares), escaped and localized as the template did.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode, querystring
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cadres.models import ForumEvent
from forkom.dates import formatted, time_element
from forkom.paths import path_to
from forkom.renderers import shown
from forkom.templatetags.forkom import one_time_token

register = template.Library()

_OFFICER_EVENTS = frozenset({ForumEvent.Kind.OFFICER_APPOINTED, ForumEvent.Kind.OFFICER_ENDED})


@register.simple_tag(takes_context=True)
def found_cadre_rows(
    context, found, may_shape, may_manage_members, manage_url, page_query, code, name
) -> SafeString:
    """A `<tr>` per cadre found by the search: name, masked NIK, kelurahan, place in the
    forum, and the actions the officer may take (appoint, add as member)."""
    # Each label a call of its own: makemessages does not see a gettext inside an f-string.
    nik_label = shown(gettext("NIK"))
    kelurahan_label = shown(gettext("Kelurahan"))
    in_forum_label = shown(gettext("In this forum"))
    member = shown(gettext("Member"))
    appoint_text = shown(gettext("Appoint…"))
    add_text = shown(gettext("Add as member"))
    appoint_name = gettext("Appoint %(name)s")
    add_name = gettext("Add as member: %(name)s")
    csrf = CsrfTokenNode().render(context)
    action = shown(path_to("forums:add_member", code))
    searched = shown(name)
    url = shown(manage_url)
    rows = []
    for cadre in found:
        full_name = shown(cadre.full_name)
        if cadre.position_label:
            place = shown(cadre.position_label)
        elif cadre.is_member:
            place = member
        else:
            place = "—"
        appoint = ""
        if may_shape and not cadre.forum_position:
            query = shown(querystring(context, page_query, appoint=cadre.public_id))
            appoint = (
                "\n"
                f'                <a href="{url}{query}#appoint" class="button" '
                f'aria-label="{appoint_name % {"name": full_name}}">{appoint_text}</a>\n'
                "              "
            )
        add = ""
        if may_manage_members and not cadre.is_member:
            add = (
                "\n"
                f'                <form method="post" action="{action}" class="inline-form">\n'
                f"                  {csrf}{one_time_token()}\n"
                f'                  <input type="hidden" name="name" value="{searched}">\n'
                '                  <input type="hidden" name="member-cadre" '
                f'value="{shown(cadre.public_id)}">\n'
                '                  <button type="submit" class="button-secondary" '
                f'aria-label="{add_name % {"name": full_name}}">{add_text}</button>\n'
                "                </form>\n"
                "              "
            )
        rows.append(
            "\n          <tr>\n"
            f'            <th scope="row">{full_name}</th>\n'
            f'            <td class="code" data-label="{nik_label}">'
            f"{shown(cadre.masked_nik)}</td>\n"
            f'            <td data-label="{kelurahan_label}">{shown(cadre.kelurahan.name)}</td>\n'
            f'            <td data-label="{in_forum_label}">{place}</td>\n'
            '            <td class="card-actions">\n'
            f"              {appoint}\n"
            f"              {add}\n"
            "            </td>\n"
            "          </tr>\n"
            "        "
        )
    return mark_safe("".join(rows))


@register.simple_tag(takes_context=True)
def member_items(context, members, may_manage_members, code) -> SafeString:
    """An `<li>` per member: name, kelurahan, since when, and the "Remove" form for an
    officer who may manage the members."""
    since = gettext("since %(since)s")
    remove_text = shown(gettext("Remove"))
    remove_name = gettext("Remove %(name)s from the forum")
    csrf = CsrfTokenNode().render(context) if may_manage_members else ""
    action = shown(path_to("forums:remove_member", code)) if may_manage_members else ""
    items = []
    for member in members:
        full_name = shown(member.full_name)
        started = since % {"since": shown(formatted(member.started_on, "DATE_FORMAT"))}
        remove = ""
        if may_manage_members:
            remove = (
                "\n"
                f'            <form method="post" action="{action}" class="inline-form">\n'
                f"              {csrf}{one_time_token()}\n"
                f'              <input type="hidden" name="cadre" '
                f'value="{shown(member.public_id)}">\n'
                '              <button type="submit" class="button-secondary" '
                f'aria-label="{remove_name % {"name": full_name}}">{remove_text}</button>\n'
                "            </form>\n"
                "          "
            )
        items.append(
            "\n        <li>\n"
            f"          {full_name} <small>· {shown(member.kelurahan_name)} · "
            f"{started}</small>\n"
            f"          {remove}\n"
            "        </li>\n"
            "      "
        )
    return mark_safe("".join(items))


@register.simple_tag
def event_items(events) -> SafeString:
    """An `<li>` per event of the forum's timeline (cadres.forums.selectors.timeline): when,
    what, to whom, the SK or position it records, and by whom."""
    by = gettext("by %(name)s")
    items = []
    for event in events:
        subject = f": {shown(event.subject_name)}" if event.subject_name else ""
        if event.kind == ForumEvent.Kind.SK_RECORDED:
            before = f"{shown(event.sk_before)} → " if event.sk_before else ""
            detail = f"{before}{shown(event.sk_after)}"
        elif event.kind in _OFFICER_EVENTS:
            note = f": {shown(event.note)}" if event.note else ""
            detail = f"({shown(event.position_label)}{note})"
        elif event.note:
            detail = f"({shown(event.note)})"
        else:
            detail = ""
        actor = ""
        if event.actor_name:
            actor = f"<small>· {by % {'name': shown(event.actor_name)}}</small>"
        items.append(
            f"\n        <li>{time_element(event.at, 'DATETIME_FORMAT')} —\n"
            f"          {shown(event.get_kind_display())}{subject}\n"
            f"          {detail}\n"
            f"          {actor}</li>\n"
            "      "
        )
    return mark_safe("".join(items))
