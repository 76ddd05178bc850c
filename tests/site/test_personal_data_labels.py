"""Every key of Data saya has the words a person reads it by (the page and the PDF:
tests/cadres/test_data_saya_readable.py)."""

from django.apps import apps
from django.utils import translation

from forkom import personal_data, personal_data_readable


def keys_of(value, found):
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            keys_of(inner, found)
    elif isinstance(value, list):
        for inner in value:
            keys_of(inner, found)
    return found


def test_every_key_of_the_export_has_a_label(worlds):
    """A new field in some app's export must come with the words a person reads it by."""
    found: set[str] = set()
    for world in worlds.values() if isinstance(worlds, dict) else worlds:
        for user in (world.cadre, world.kelurahan_officer, world.kota_staff, world.coordinator):
            keys_of(personal_data.export(user), found)
    assert len(found) > 100
    assert sorted(found - set(personal_data.labels())) == []


def test_the_page_reads_codes_as_their_labels_and_money_in_rupiah(worlds):
    """Data saya as a page and a PDF writes "Perempuan", not "P"; "Terverifikasi", not
    "verified"; "Rp 12.500.000", not 12500000 (found by a walk through the demo site)."""
    codes = {
        value
        for model in apps.get_models()
        for field in model._meta.get_fields()
        for value, _label in (getattr(field, "choices", None) or [])
        if isinstance(value, str) and value
    }
    shown_as_code, texts = [], []
    with translation.override("id"):
        for world in worlds.values() if isinstance(worlds, dict) else worlds:
            for user in (world.cadre, world.kelurahan_officer, world.kota_staff):
                for line in personal_data_readable.lines(user):
                    texts.append(line.text)
                    if line.text in codes:
                        shown_as_code.append(f"{line.label}: {line.text}")
    assert "Perempuan" in texts or "Laki-laki" in texts  # the profile's sex was read
    assert "Terverifikasi" in texts  # the profile's status
    assert any(text and text.startswith("Rp ") for text in texts)  # a proposal's budget
    assert sorted(set(shown_as_code)) == []


def test_two_keys_of_one_record_never_share_a_label(worlds):
    """Each proposal event read "Usulan: <its reference>" then "Usulan: <its title>": two
    keys of one record with the same words cannot be told apart on the page."""
    words = personal_data.labels()
    shared = set()

    def visit(value):
        if isinstance(value, dict):
            labels = [str(words[key]) for key in value]
            shared.update(label for label in labels if labels.count(label) > 1)
            for inner in value.values():
                visit(inner)
        elif isinstance(value, list):
            for inner in value:
                visit(inner)

    with translation.override("id"):
        for world in worlds.values() if isinstance(worlds, dict) else worlds:
            for user in (world.cadre, world.kelurahan_officer, world.kota_staff):
                visit(personal_data.export(user))
    assert sorted(shared) == []
