"""forkom.texts: a message translated now that can be translated again for another reader."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy

from forkom import texts


def test_a_text_made_in_one_language_renders_in_another_with_its_parameters():
    with translation.override("id"):
        reason = texts.gettext("Cadres are %(age)d years old or older.") % {"age": 17}
        both = texts.joined(" ", [reason, "Siti"])
        line = texts.gettext("Line %(line)d: %(reason)s Nothing was imported.") % {
            "line": 3,
            "reason": both,
        }
    assert line == "Baris 3: Kader berusia 17 tahun atau lebih. Siti Tidak ada yang diimpor."
    assert texts.in_each_language(line) == {
        "id": line,
        "en": "Line 3: Cadres are 17 years old or older. Siti Nothing was imported.",
    }
    assert texts.in_each_language("plain") == {"id": "plain", "en": "plain"}


def test_a_validation_error_s_messages_render_in_each_language_with_their_parameters():
    with translation.override("id"):
        made_here = ValidationError(texts.gettext("Choose a current kelurahan or desa."))
        lazy = ValidationError(
            gettext_lazy("Cadres are %(age)d years old or older."), params={"age": 17}
        )
        both = texts.joined(
            " ", [texts.validation_messages(made_here), texts.validation_messages(lazy)]
        )
    assert texts.in_each_language(both) == {
        "id": "Pilih kelurahan atau desa yang masih berlaku. Kader berusia 17 tahun atau lebih.",
        "en": "Choose a current kelurahan or desa. Cadres are 17 years old or older.",
    }


def test_stored_texts_are_shown_in_the_active_language_and_plain_ones_as_they_are():
    with translation.override("en"):
        assert texts.shown({"id": "Baris", "en": "Line"}) == "Line"
        assert texts.shown({"id": "Baris"}) == "Baris"
        assert texts.shown("Alasan lama.") == "Alasan lama."
    with translation.override("id"):
        assert texts.shown({"id": "Baris", "en": "Line"}) == "Baris"


def test_texts_kept_apart_read_back_in_each_language_and_the_same_text_in_all():
    with translation.override("en"):
        reason = texts.gettext("Cadres are %(age)d years old or older.") % {"age": 17}
    column, others = texts.apart(texts.in_each_language(reason))
    assert column == "Kader berusia 17 tahun atau lebih."
    assert others == {"en": "Cadres are 17 years old or older."}
    for language in ("id", "en", "en-gb"):
        with translation.override(language):
            assert texts.shown_beside(column, others) == (
                column if language == "id" else others["en"]
            )
    # An announcement's title is written once, for every language: nothing beside it.
    with translation.override("en"):
        assert texts.shown_beside("Rapat akbar", {}) == "Rapat akbar"
