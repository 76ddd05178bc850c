"""Every key of Data saya has the words a person reads it by (the page and the PDF:
tests/cadres/test_data_saya_readable.py)."""

from forkom import personal_data


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
