"""The innovation gallery's cards, written here rather than by a template loop.

The public gallery shows twelve innovations a page; written as template cards they made the
page 0.7 ms slower (7.9 ms against 7.2 on the national seed, docs/performance.md).
`innovation_cards` writes the same markup (tests/programs/test_innovation_cards.py renders
the former loop beside it)."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from forkom.renderers import shown

register = template.Library()

# The words of a description a card shows, and what stands for the rest.
CARD_WORDS = 30


@register.simple_tag
def innovation_cards(innovations) -> SafeString:
    """An `<li>` card per published innovation (programs.innovations.selectors.
    published_innovations, its photos prefetched): the first photo, the title (its link),
    kelurahan, kecamatan and field, and the description's first words."""
    cards = []
    for innovation in innovations:
        photos = innovation.photos.all()
        photo = photos[0] if photos else None
        image = (
            f'<img src="{shown(photo.get_absolute_url())}" '
            f'alt="{shown(photo.caption or innovation.title)}" loading="lazy" width="640" '
            'height="400">'
            if photo
            else ""
        )
        kelurahan = innovation.kelurahan
        field = innovation.field
        kind = f" · {shown(field.name)}" if field else ""
        words = Truncator(innovation.description).words(CARD_WORDS, truncate=" …")
        cards.append(
            '\n    <li class="card">\n'
            f"      {image}\n"
            f'      <h2><a href="{shown(innovation.get_absolute_url())}">'
            f"{shown(innovation.title)}</a></h2>\n"
            f'      <p class="innovation-where">{shown(kelurahan.name)}, '
            f"{shown(kelurahan.parent.name)}{kind}</p>\n"
            f"      <p>{shown(words)}</p>\n"
            "    </li>\n  "
        )
    return mark_safe("".join(cards))
