import html

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from forkom.dates import formatted, time_element
from forkom.paths import path_to
from forkom.renderers import shown
from trainings import selectors

register = template.Library()


@register.inclusion_tag("trainings/_attended.html", takes_context=True)
def attended_trainings(context, profile):
    """`{% attended_trainings profile %}`: the finished trainings the cadre attended.

    The cadre themself also gets the link to each certificate, how many trainings to come
    they are signed up for, and the way to "Pelatihan saya".
    """
    user = context.get("user")
    if user is not None and user.is_authenticated and user.pk == profile.user_id:
        registrations, upcoming = selectors.attended_and_upcoming(profile)
        return {"registrations": registrations, "own": True, "upcoming": upcoming}
    return {"registrations": selectors.attended_trainings(profile), "own": False, "upcoming": 0}


@register.simple_tag
def attended_items(registrations, own) -> SafeString:
    """An `<li>` per training the cadre attended: its title (to its page), its day and, for
    the cadre themself (`own`), the link to the certificate (tests/trainings/
    test_participant_rows.py renders the former loop beside it)."""
    certificate = shown(gettext("certificate (PDF)"))
    items = []
    for registration in registrations:
        training = registration.training
        starts = template_localtime(training.starts_at)
        link = (
            f' · <a href="{shown(path_to("trainings:certificate", registration.training_id))}">'
            f"{certificate}</a>"
            if own
            else ""
        )
        items.append(
            f'\n    <li><a href="{shown(training.get_absolute_url())}">'
            f"{shown(training.title)}</a>\n"
            f'      (<time datetime="{shown(formatted(starts, "Y-m-d"))}">'
            f"{shown(formatted(starts, 'DATE_FORMAT'))}</time>){link}</li>\n  "
        )
    return mark_safe("".join(items))


# The organisers' participants page lists every sign-up of a training (50 seats and a
# waitlist are common): as template rows each seated one took about 78 µs, 3.9 ms of the
# page for 50. These tags write the same rows (tests/trainings/test_participant_rows.py
# renders the former rows beside them), escaped and localized as the template did.


@register.simple_tag
def seated_rows(seated, takes_attendance) -> SafeString:
    """A `<tr>` per seated cadre: number, "present" box, name (its box's label), masked NIK,
    bodies, kelurahan."""
    # Each label a call of its own: makemessages does not see a gettext inside an f-string.
    present_label = shown(gettext("Present"))
    name_label = shown(gettext("Name"))
    nik_label = shown(gettext("NIK"))
    body_label = shown(gettext("Body"))
    kelurahan_label = shown(gettext("Kelurahan"))
    is_present = gettext("%(name)s is present")
    disabled = "" if takes_attendance else " disabled"
    rows = []
    for number, registration in enumerate(seated, start=1):
        profile = registration.profile
        key = shown(registration.pk)
        name = shown(profile.full_name)
        checked = " checked" if registration.attended else ""
        rows.append(
            "\n      <tr>\n"
            f"        <td>{number}</td>\n"
            f'        <td data-label="{present_label}"><input type="checkbox" name="attended" '
            f'value="{key}" id="attended-{key}"{checked}{disabled} '
            f'aria-label="{is_present % {"name": name}}"></td>\n'
            f'        <td data-label="{name_label}"><label for="attended-{key}">{name}</label>'
            "</td>\n"
            f'        <td class="code" data-label="{nik_label}">{shown(profile.masked_nik)}</td>\n'
            f'        <td data-label="{body_label}">{shown(registration.bodies)}</td>\n'
            f'        <td data-label="{kelurahan_label}">{shown(profile.kelurahan.name)}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(rows))


@register.simple_tag
def waitlist_rows(waiting) -> SafeString:
    """A `<tr>` per cadre on the waitlist: position, name, bodies, kelurahan, when they
    signed up."""
    name_label = shown(gettext("Name"))
    body_label = shown(gettext("Body"))
    kelurahan_label = shown(gettext("Kelurahan"))
    signed_up_label = shown(gettext("Signed up at"))
    rows = []
    for number, registration in enumerate(waiting, start=1):
        profile = registration.profile
        signed_up = formatted(template_localtime(registration.created_at), "SHORT_DATETIME_FORMAT")
        rows.append(
            "\n    <tr>\n"
            f"      <td>{number}</td>\n"
            f'      <td data-label="{name_label}">{shown(profile.full_name)}</td>\n'
            f'      <td data-label="{body_label}">{shown(registration.bodies)}</td>\n'
            f'      <td data-label="{kelurahan_label}">{shown(profile.kelurahan.name)}</td>\n'
            f'      <td data-label="{signed_up_label}">{shown(signed_up)}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))


@register.simple_tag
def organised_rows(trainings) -> SafeString:
    """A `<tr>` per training on "Trainings you organise": title (to its participants page),
    venue, start, state and seats taken (tests/trainings/test_organised_rows.py renders the
    former loop beside it). As template rows the twenty of a page took about 4 ms."""
    starts_label = shown(gettext("Starts"))
    state_label = shown(gettext("State"))
    seats_label = shown(gettext("Seats taken"))
    rows = []
    for training in trainings:
        starts = formatted(template_localtime(training.starts_at), "SHORT_DATETIME_FORMAT")
        rows.append(
            "\n    <tr>\n"
            f'      <td><a href="{shown(path_to("trainings:participants", training.pk))}">'
            f"{shown(training.title)}</a><br><small>{shown(training.venue)}, "
            f"{shown(training.venue_kecamatan.name)}</small></td>\n"
            f'      <td data-label="{starts_label}">{shown(starts)}</td>\n'
            f'      <td data-label="{state_label}">{shown(training.get_state_display())}</td>\n'
            f'      <td data-label="{seats_label}">{shown(training.seats_taken)} / '
            f"{shown(training.capacity)}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))


@register.simple_tag
def sheet_rows(registrations) -> SafeString:
    """A `<tr>` per seated cadre of the printed daftar hadir (number, name, bodies,
    kelurahan, an empty cell to sign), or the row that says nobody has signed up
    (tests/trainings/test_participant_rows.py renders the former loop beside it). As
    template rows the fifty of a training took about half of the page."""
    rows = [
        "\n    <tr>\n"
        f'      <td class="sheet-number">{number}</td>\n'
        f"      <td>{shown(registration.profile.full_name)}</td>\n"
        f"      <td>{shown(registration.bodies)}</td>\n"
        f"      <td>{shown(registration.profile.kelurahan.name)}</td>\n"
        '      <td class="sheet-signature"></td>\n'
        "    </tr>\n  "
        for number, registration in enumerate(registrations, start=1)
    ]
    if not rows:
        nobody = shown(gettext("Nobody has signed up yet."))
        return mark_safe(f'\n    <tr><td colspan="5">{nobody}</td></tr>\n  ')
    return mark_safe("".join(rows))


@register.simple_tag
def training_cards(pairs, now) -> SafeString:
    """An `<li>` card per (training, the viewer's sign-up or None) of the catalogue: title
    (to its page), start, venue, topics, and what the viewer can do about it at `now`
    (tests/trainings/test_training_cards.py renders the former partial beside it). As a
    template partial the twenty cards of a page made it 1.5 ms slower (9.9 ms against 8.4
    on the national seed, docs/performance.md)."""
    attended = shown(gettext("You attended"))
    taken_place = shown(gettext("Has taken place"))
    signed_up = shown(gettext("You are signed up"))
    waitlisted = shown(gettext("You are on the waitlist"))
    opens_on = gettext("Registration opens on %(date)s")
    closed = shown(gettext("Registration has closed"))
    full = shown(gettext("Full: new sign-ups join the waitlist"))
    cards = []
    for training, mine in pairs:
        topics = training.topic_list
        topic_line = (
            '<p class="help">' + " · ".join(html.escape(str(topic)) for topic in topics) + "</p>"
            if topics
            else ""
        )
        status = mine.status if mine is not None else None
        if mine is not None and mine.attended:
            what = f'<span class="status">{attended}</span>\n    '
        elif not training.is_upcoming:
            what = f"{taken_place}\n    "
        elif status == "registered":
            what = f'<span class="status">{signed_up}</span>\n    '
        elif status == "waitlisted":
            what = f'<span class="status">{waitlisted}</span>\n    '
        elif training.registration_opens_at > now:
            opens = formatted(template_localtime(training.registration_opens_at), "DATE_FORMAT")
            what = f"{opens_on % {'date': shown(opens)}}\n    "
        elif training.registration_closes_at <= now:
            what = f"{closed}\n    "
        elif seats := training.seats_left:
            left = ngettext("%(seats)s seat left", "%(seats)s seats left", seats)
            what = f"{left % {'seats': shown(seats)}}\n    "
        else:
            what = full
        cards.append(
            '\n<li class="card training-card">\n'
            f'  <h3 class="training-title"><a href="{shown(training.get_absolute_url())}">'
            f"{shown(training.title)}</a></h3>\n"
            '  <p class="training-when">\n'
            f"    {time_element(training.starts_at, 'DATETIME_FORMAT')} WITA<br>\n"
            f"    {shown(training.venue)}, {shown(training.venue_kecamatan.name)}\n"
            "  </p>\n"
            f"  {topic_line}\n"
            "  <p>\n"
            f"    {what}\n"
            "  </p>\n"
            "</li>\n"
        )
    return mark_safe("".join(cards))


# "Pelatihan saya", a cadre's page of every visit: written by a template partial in a loop per
# section, the sign-ups took about half of the page's time. `my_training_items` writes the
# same items (tests/trainings/test_my_training_items.py renders the former loops beside it).
MY_TRAINING_SECTIONS = ("upcoming", "waitlisted", "attended", "past")


@register.simple_tag
def my_training_items(registrations, section) -> SafeString:
    """An `<li>` per sign-up of the cadre in a `section` of "Pelatihan saya" (upcoming,
    waitlisted, attended, past): the training's title (to its page), start, venue and
    kecamatan, then where the sign-up stands."""
    if section not in MY_TRAINING_SECTIONS:
        raise ValueError(f"no such section of Pelatihan saya: {section!r}")
    items = []
    for registration in registrations:
        training = registration.training
        items.append(
            f'\n    <li><a href="{shown(training.get_absolute_url())}">{shown(training.title)}'
            f"</a><br>\n      <small>{time_element(training.starts_at, 'DATETIME_FORMAT')} WITA"
            f" · {shown(training.venue)}, {shown(training.venue_kecamatan.name)}</small><br>\n"
            f"      {_standing(registration, section)}</li>\n  "
        )
    return mark_safe("".join(items))


def _standing(registration, section) -> str:
    """Where a sign-up of "Pelatihan saya" stands, as its section says it."""
    # Each sentence a call of its own: makemessages does not see a gettext inside an f-string.
    if section == "upcoming":
        seat = gettext("You have a seat")
        return f'<span class="status status-registered">{shown(seat)}</span>'
    if section == "waitlisted":
        # As {% blocktranslate %} writes it: the value escaped, the sentence as translated.
        place = gettext("Number %(position)s on the waitlist") % {
            "position": shown(registration.position)
        }
        return f'<span class="status status-waitlisted">{place}</span>'
    if section == "attended":
        if registration.has_certificate():
            url = path_to("trainings:certificate", registration.training_id)
            label = shown(gettext("Download your certificate (PDF)"))
            return f'<a href="{shown(url)}">{label}</a>'
        waiting = gettext("Present; the certificate comes once the organisers close the training.")
        return f'<span class="status status-attended">{shown(waiting)}</span>'
    if registration.status == "cancelled":
        reason = gettext("You cancelled your sign-up.")
    elif registration.training.state == "cancelled":
        reason = gettext("The training was cancelled.")
    elif registration.status == "waitlisted":
        reason = gettext("No seat freed up for you.")
    else:
        reason = gettext("Not marked present.")
    return f'<span class="status">{shown(reason)}</span>'
