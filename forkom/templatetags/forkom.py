import datetime
import uuid
from urllib.parse import urlsplit

from django import template
from django.core.signals import setting_changed
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from forkom import brand
from forkom.admin import sidebar_app_list
from forkom.paths import path_to
from forkom.renderers import shown

register = template.Library()


@register.filter
def rupiah(amount):
    """Whole Rupiah with the active language's grouping: `Rp 12.500.000` in Indonesian."""
    if amount is None or amount == "":
        return ""
    return f"Rp {number_format(int(amount), 0, use_l10n=True, force_grouping=True)}"


@register.filter(expects_localtime=True)
def isotime(value):
    """What `value|date:'c'` gives (ISO 8601 in local time, for a <time datetime>), without
    building a DateFormat for it: 2 µs instead of 16, once per row of a list."""
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    return ""


@register.simple_tag(takes_context=True)
def admin_sidebar(context):
    """The admin sidebar's list of models (forkom.admin.sidebar_app_list)."""
    return sidebar_app_list(context)


@register.simple_tag
def menu_links(links):
    """The site menu's entries (forkom.context_processors.MenuLink) as list items.

    Every page shows nine to twenty of them; written here rather than in a template included
    for each (about 33 µs an entry that way, 10 µs here), in the same markup. Their URLs and
    labels are escaped as a template escapes them."""
    unread, waiting = shown(gettext("unread")), shown(gettext("waiting for you"))
    items = []
    for link in links:
        current = ' aria-current="page"' if link.current else ""
        counts = ""
        if link.unread:
            counts += f' <span class="count">{shown(link.unread)}'
            counts += f'<span class="visually-hidden"> {unread}</span></span>'
        if link.waiting:
            counts += f' <span class="count">{shown(link.waiting_label)}'
            counts += f'<span class="visually-hidden"> {waiting}</span></span>'
        items.append(
            f'<li><a href="{shown(link.url)}"{current}>{shown(link.label)}{counts}</a></li>\n'
        )
    return mark_safe("".join(items))


@register.simple_tag
def path(url_name, *args):
    """`{% url %}` for a page whose arguments are public ids, primary keys or region codes,
    as a row of a list asks for it: forkom.paths.path_to, about 6 µs where reverse() takes 22
    (60 with keyword arguments)."""
    return path_to(url_name, *args)


@register.simple_tag
def field_row(field):
    """A form field as the site's forms lay it out: its label (a legend around radio buttons
    and checkbox lists, with * when it must be filled), the input, the help text and the
    errors. Written here rather than in an included template, which took about 75 µs a field
    (thirteen on the profile form); tests/site/test_field_row.py compares both."""
    widget = field.field.widget
    marked = (
        " *" if field.field.required or getattr(field.field, "needed_to_submit", False) else ""
    )
    label = shown(field.label)
    if getattr(widget, "input_type", None) == "radio" or getattr(
        widget, "allow_multiple_selected", False
    ):
        control = (
            f'\n    <fieldset class="choices"><legend>{label}{marked}</legend>'
            f"{shown(field)}</fieldset>\n  "
        )
    else:
        control = (
            f'\n    <label for="{shown(field.id_for_label)}">{label}{marked}</label>'
            f"\n    {shown(field)}\n  "
        )
    help_text = (
        f'<p class="help" id="{shown(field.auto_id)}_helptext">{shown(field.help_text)}</p>'
        if field.help_text
        else ""
    )
    return mark_safe(
        f'<div class="field">\n  {control}\n  {help_text}\n  {shown(field.errors)}\n</div>\n'
    )


@register.simple_tag
def one_time_token():
    """A form's one-time key (forkom.http.posted_token): a new one each time the page is
    shown, so that the same form posted twice (a double tap) acts once."""
    return format_html('<input type="hidden" name="token" value="{}">', uuid.uuid4())


@register.simple_tag
def theme_colour():
    """The theme colour of the browser's bar, as the stylesheet and the manifest have it."""
    return brand.colours().theme


@register.simple_tag(takes_context=True)
def absolute_url(context, path_or_name):
    """`path_or_name` (a path, or the name of a URL without arguments) on this host, as
    link previews need it."""
    path = path_or_name if path_or_name.startswith("/") else reverse(path_or_name)
    request = context.get("request")
    # Error pages are rendered without the request (forkom.views.bad_request).
    return request.build_absolute_uri(path) if request is not None else path


class PerLanguageNode(template.Node):
    """`{% per_language %}…{% end_per_language %}`: markup that is the same for everyone in
    a language (translated labels, the paths of pages and static files), rendered once per
    language and process and then copied.

    It is rendered in a context of its own, empty but for the language: nothing of the
    request, the user or the view can reach it, so no one's page can show what was rendered
    for someone else. A variable read inside is empty (tests/site/test_per_language.py
    renders every page's frame both ways and fails on a difference)."""

    # Changed settings (tests) make every node render afresh.
    generation = 0
    # Nothing inside is a block a child template fills (refused when parsed): an extending
    # template's search for its blocks need not walk it.
    child_nodelists = ()

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[object, ...], str] = {}

    def render(self, context: template.Context) -> str:
        key = (
            self.generation,
            get_language(),
            get_script_prefix(),
            context.autoescape,
            context.use_l10n,
            context.use_tz,
        )
        try:
            return self.rendered[key]
        except KeyError:
            pass
        # Not context.new(): a RequestContext would keep its request as an attribute.
        empty = template.Context(
            autoescape=context.autoescape, use_l10n=context.use_l10n, use_tz=context.use_tz
        )
        empty.template = context.template  # for an {% include %}
        text = self.nodelist.render(empty)
        if self.rendered and next(iter(self.rendered))[0] != self.generation:
            self.rendered.clear()
        self.rendered[key] = text
        return text


def _forget_per_language(**kwargs: object) -> None:
    PerLanguageNode.generation += 1


setting_changed.connect(_forget_per_language)


@register.tag("per_language")
def per_language(parser: template.base.Parser, token: template.base.Token) -> PerLanguageNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("per_language takes no arguments")
    nodelist = parser.parse(("end_per_language",))
    parser.delete_first_token()
    # A block's content differs from page to page, and would be copied from the first one.
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("per_language cannot hold a {% block %}")
    return PerLanguageNode(nodelist)


@register.simple_tag(takes_context=True)
def page_address(context):
    """The address of the page being shown, for a form that comes back to it (the language
    switch): the request's own for a GET; for a page answered to a refused POST, the page
    the form was sent from (its Referer on this host), since the POST's address answers no
    GET (the switch led to "Use the button on the page", found by a walk through the demo
    site); the home page when there is none."""
    request = context.get("request")
    if request is None:  # a page drawn without its request (an error page)
        return ""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.path != request.path:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("home")
