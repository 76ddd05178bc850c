"""Texts written now and read later by someone whose language may not be the writer's.

The worker runs in the site's language, but what it stores for a page (the reason a row of
an imported sheet was refused, why an import failed) is read in every language of
settings.LANGUAGES. `gettext` here gives a `Text`: the translation in the active language,
a `str` that goes wherever the usual gettext's result goes, which also keeps its message
and parameters so that `in_each_language` can render it again in every language when it is
stored. `shown` reads the stored texts back in the reader's language.
"""

from collections.abc import Iterable, Mapping
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise


class Text(str):
    """A translated message that can be translated again into another language.

    `message` is a msgid (or a lazy translation, such as a Django validator's message) and
    `params` what `%` fills in; a joined text keeps its `parts` and uses `message` as the
    separator. Parameters and parts that are Texts are rendered in the same language.
    """

    message: str | Promise
    params: Any
    parts: tuple[Any, ...] | None

    def __new__(
        cls, message: str | Promise, params: Any = None, parts: Iterable[Any] | None = None
    ) -> Self:
        kept = tuple(parts) if parts is not None else None
        text = super().__new__(cls, _render(message, params, kept))
        text.message, text.params, text.parts = message, params, kept
        return text

    def __mod__(self, params: Any) -> "Text":
        return Text(self.message, params)

    def in_language(self, language: str) -> str:
        with translation.override(language):
            return _render(self.message, self.params, self.parts)


def gettext(message: str) -> Text:
    """Like django.utils.translation.gettext, and translatable again later."""
    return Text(message)


def joined(separator: str, parts: Iterable[Any]) -> Text:
    """`separator.join(parts)`, keeping the parts that are Texts translatable."""
    return Text(separator, parts=parts)


def validation_messages(error: ValidationError) -> Text:
    """The messages of a validation error, joined by a space, translatable again: their
    messages are Texts or lazy translations, and their parameters are filled in when shown."""
    return joined(" ", (_message_of(one) for one in error.error_list))


def in_each_language(text: str) -> dict[str, str]:
    """{language: text} for every language of the site; a plain string (not a Text) is the
    same in all of them."""
    if not isinstance(text, Text):
        return {language: str(text) for language, _name in settings.LANGUAGES}
    return {language: text.in_language(language) for language, _name in settings.LANGUAGES}


def shown(texts: str | Mapping[str, str]) -> str:
    """The text in the active language: from {language: text}, or a plain string kept
    before the texts were stored in every language, as it is."""
    if isinstance(texts, str):
        return texts
    language = translation.get_language() or settings.LANGUAGE_CODE
    for candidate in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if candidate in texts:
            return texts[candidate]
    return next(iter(texts.values()), "")


def apart(texts: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """Texts written in each language, stored as a model keeps them: the site's language in
    a column of its own (what the admin and searches read), the others in a {language:
    text} field beside it. `shown_beside` reads them back."""
    others = dict(texts)
    return others.pop(settings.LANGUAGE_CODE, ""), others


def shown_beside(text: str, others: Mapping[str, str]) -> str:
    """The text in the active language, from the column in the site's language and the
    others beside it (as `apart` stored them; none for a text written the same in all)."""
    return shown({**others, settings.LANGUAGE_CODE: text})


def _message_of(error: ValidationError) -> str:
    """What ValidationError.messages says for one error, kept translatable when it can be (a
    message translated before, a plain string, stays as it is)."""
    message, params = error.message, error.params or None
    if isinstance(message, Promise):
        return Text(message, params)
    return message if params is None else message % params


def _render(message: str | Promise, params: Any, parts: tuple[Any, ...] | None) -> str:
    if parts is not None:
        return str(message).join(_now(part) for part in parts)
    if isinstance(message, Text):
        text = _now(message)
    elif isinstance(message, Promise):
        text = str(message)
    else:
        text = translation.gettext(message)
    if params is None:
        return text
    if isinstance(params, Mapping):
        return text % {key: _now(value) for key, value in params.items()}
    if isinstance(params, tuple):
        return text % tuple(_now(value) for value in params)
    return text % _now(params)


def _now(value: Any) -> Any:
    """A Text parameter in the active language; anything else as it is."""
    if isinstance(value, Text):
        return _render(value.message, value.params, value.parts)
    if isinstance(value, Promise):
        return str(value)
    return value
