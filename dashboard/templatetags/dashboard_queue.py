"""The queues of the city and province dashboards, written in Python.

A queue shows up to 25 proposals (selectors.QUEUE_SIZE), each with its facts and, for who
decides, a form of a note and three buttons. As a template loop that took about 180 µs a
proposal (4.6 ms of the city dashboard's 45); written here, the same markup takes about
40 µs. tests/dashboard/test_queue_markup.py renders the loop as the template wrote it beside
this tag.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from forkom.dates import time_since
from forkom.paths import path_to
from forkom.renderers import shown
from forkom.templatetags.forkom import isotime, rupiah

register = template.Library()


@register.simple_tag(takes_context=True)
def queue_items(context, queue, *, now, may_decide, show_kota, forward_action, forward_label):
    """The queue's `<li>` items: (proposal, one-time token) pairs, the longest wait first.

    The labels are escaped as `{{ label }}` escapes them: a label already made safe (by
    `{% translate ... as label %}`) is written as it is."""
    if may_decide:
        # What every form shares: the CSRF field as {% csrf_token %} writes it, where to
        # come back to, the labels.
        csrf = CsrfTokenNode().render(context)
        back = shown(context["request"].path)
        note = shown(gettext("Note (the proposer reads it; required to return or decline)"))
        # Not inside the f-strings: makemessages does not see a gettext there.
        give_back, decline = shown(gettext("Return for revision")), shown(gettext("Decline"))
        buttons = (
            "></textarea>\n"
            '      <div class="actions">\n'
            f'        <button type="submit" name="action" value="{shown(forward_action)}">'
            f"{shown(forward_label)}</button>\n"
            '        <button type="submit" name="action" value="return" class="button-secondary">'
            f"{give_back}</button>\n"
            '        <button type="submit" name="action" value="decline" class="button-danger">'
            f"{decline}</button>\n"
            "      </div>\n"
            "    </form>\n"
        )
    waiting = gettext("waiting for %(waited)s")
    items = []
    for number, (proposal, token) in enumerate(queue, start=1):
        # The regions' names as the queue's selector reads them (dashboard.selectors._queue).
        where = f"{shown(proposal.kelurahan_name)}, {shown(proposal.kecamatan_name)}"
        if show_kota:
            where += f", {shown(proposal.kota_name)}"
        changed = proposal.state_changed_at
        since = isotime(template_localtime(changed))
        waited = waiting % {"waited": shown(time_since(changed, now))}
        items.append(
            '  <li class="queue-item">\n'
            f'    <h3 class="queue-title"><a href="{shown(proposal.get_absolute_url())}">'
            f"{shown(proposal.title)}</a></h3>\n"
            f'    <p class="queue-facts">{where}\n'
            f"      · {shown(rupiah(proposal.budget))}\n"
            f'      · <time datetime="{since}">{waited}</time></p>\n'
        )
        if may_decide:
            action = shown(path_to("dashboard:decide", proposal.public_id))
            items.append(
                f'    <form method="post" action="{action}" class="queue-form">\n'
                f"      {csrf}\n"
                f'      <input type="hidden" name="token" value="{shown(str(token))}">\n'
                f'      <input type="hidden" name="next" value="{back}">\n'
                f'      <label for="queue-note-{number}">{note}</label>\n'
                f'      <textarea id="queue-note-{number}" name="note" rows="2" maxlength="2000"'
                + buttons
            )
        items.append("  </li>\n")
    return mark_safe("".join(items))
