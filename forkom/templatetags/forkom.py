import uuid

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def rupiah(amount):
    """Whole Rupiah with the active language's grouping: `Rp 12.500.000` in Indonesian."""
    if amount is None or amount == "":
        return ""
    return f"Rp {number_format(int(amount), 0, use_l10n=True, force_grouping=True)}"


@register.simple_tag
def one_time_token():
    """A form's one-time key (forkom.http.posted_token): a new one each time the page is
    shown, so that the same form posted twice (a double tap) acts once."""
    return format_html('<input type="hidden" name="token" value="{}">', uuid.uuid4())
