from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rupiah(amount):
    """Whole Rupiah with the active language's grouping: `Rp 12.500.000` in Indonesian."""
    if amount is None or amount == "":
        return ""
    return f"Rp {number_format(int(amount), 0, use_l10n=True, force_grouping=True)}"
