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

    def visit(section, value):
        if isinstance(value, dict):
            labels = [personal_data.label(words, section, key) for key in value]
            shared.update(label for label in labels if labels.count(label) > 1)
            for inner in value.values():
                visit(section, inner)
        elif isinstance(value, list):
            for inner in value:
                visit(section, inner)

    with translation.override("id"):
        for world in worlds.values() if isinstance(worlds, dict) else worlds:
            for user in (world.cadre, world.kelurahan_officer, world.kota_staff):
                for section, value in personal_data.export(user).items():
                    visit(section, value)
    assert sorted(shared) == []


# Keys that hold the state of something, or an answer about it: bare words ("Status: Terdaftar",
# "Hadir: Ya") do not say of what.
STATE_KEYS = {"state", "status", "is_active", "answer", "attended", "meeting_state"}
BARE = {"Status", "Keadaan", "State", "Hadir", "Attended", "Jawaban", "Answer"}


def test_every_status_on_the_page_says_whose_it_is(worlds):
    """A sign-up to a cancelled training read "Keadaan: Dibatalkan" (the training's) and
    "Status: Terdaftar" (the sign-up's) under words that did not say which was which; a
    proposal's and an innovation's state, a role's "Akun aktif" and a meeting's answer and
    attendance read as loosely. Each such key reads in words of its own, in each language."""
    words = personal_data.labels()
    found: dict[tuple[str, str], set[str]] = {}

    def visit(section, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in STATE_KEYS:
                    found.setdefault((section, key), set())
                visit(section, inner)
        elif isinstance(value, list):
            for inner in value:
                visit(section, inner)

    for world in worlds.values() if isinstance(worlds, dict) else worlds:
        for user in (world.cadre, world.kelurahan_officer, world.kota_staff, world.coordinator):
            for section, value in personal_data.export(user).items():
                visit(section, value)
    # The world holds each of them: a sign-up, a proposal, an innovation, a role, an
    # invitation, a deletion request, an announcement.
    assert {
        ("training_registrations", "state"),
        ("training_registrations", "status"),
        ("proposals", "state"),
        ("innovations", "state"),
        ("role_assignments", "is_active"),
        ("meeting_invitations", "answer"),
        ("meeting_invitations", "attended"),
        ("meeting_invitations", "meeting_state"),
        ("profile", "status"),
    } <= set(found)
    for language in ("id", "en"):
        with translation.override(language):
            read = {where: personal_data.label(words, *where) for where in found}
        assert sorted(f"{where}: {label}" for where, label in read.items() if label in BARE) == []
        # A role that ended is not an account that was closed.
        assert read["role_assignments", "is_active"] != read["account", "is_active"]
        for section in {section for section, _key in read}:
            labels = [label for (inside, _key), label in read.items() if inside == section]
            assert len(set(labels)) == len(labels), labels
