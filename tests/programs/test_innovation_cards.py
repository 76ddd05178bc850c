"""`{% innovation_cards %}` (programs/templatetags/innovations.py) writes the gallery's cards
that its loop wrote (kept beside this test as innovation_cards_before.html): the same
markup, escaped and cut the same way."""

import uuid
from pathlib import Path

from django.template import engines
from django.utils import translation

from cadres.models import Field
from forkom.territory.models import Region
from programs.models import Innovation, InnovationPhoto

BEFORE = (Path(__file__).parent / "innovation_cards_before.html").read_text()
AFTER = "{% load innovations %}  {% innovation_cards page.object_list %}\n"
LONG = " ".join(f"kata{number}" for number in range(1, 41))  # forty words


def innovations():
    kecamatan = Region(code="64.74.03", name="Bontang <Barat>")
    kelurahan = Region(code="64.74.03.1001", name='Belimbing "Lama"', parent=kecamatan)
    cards = []
    for pk, (title, field, description, captions) in enumerate(
        [
            ('Bank sampah <RT 3> & "Kompos"', Field(name="Lingkungan & <kebersihan>"), LONG, [""]),
            ("Taman baca", None, "Buku <b>untuk</b>\nanak-anak", ["Rak buku & meja", "Kedua"]),
            ("Posyandu ramah", None, "", []),
        ],
        start=1,
    ):
        innovation = Innovation(
            pk=pk,
            public_id=uuid.uuid4(),
            title=title,
            field=field,
            description=description,
            kelurahan=kelurahan,
        )
        photos = [
            InnovationPhoto(public_id=uuid.uuid4(), caption=caption, innovation=innovation)
            for caption in captions
        ]
        # As prefetch_related("photos") leaves them.
        innovation._prefetched_objects_cache = {"photos": photos}
        cards.append(innovation)
    return cards


def test_the_cards_are_the_loops_markup():
    context = {"page": {"object_list": innovations()}}
    with translation.override("id"):
        expected = engines["django"].from_string(BEFORE).render(context)
        written = engines["django"].from_string(AFTER).render(context)
    assert written == expected
    assert written.count('<li class="card">') == 3
    assert written.count("<img ") == 2  # the third has no photo
    assert 'alt="Bank sampah &lt;RT 3&gt; &amp; &quot;Kompos&quot;"' in written  # no caption
    assert 'alt="Rak buku &amp; meja"' in written
    assert "Kedua" not in written
    assert "kata30 …</p>" in written
    assert "kata31" not in written
    assert "Buku &lt;b&gt;untuk&lt;/b&gt; anak-anak" in written
    assert "Belimbing &quot;Lama&quot;, Bontang &lt;Barat&gt; · Lingkungan &amp;" in written
