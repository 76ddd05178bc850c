"""The kinds of notification, declared by the apps that send them (the core knows none).

Each kind has a label for the person's settings page and whether, until the person says
otherwise, an email goes out too: on for decisions about the person themselves, off for
what is addressed to many (announcements).
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    email_default: bool


_KINDS: dict[str, Kind] = {}


def register(name: str, label: str | Promise, *, email_default: bool) -> str:
    """Declare a kind (at import of the module that sends it); returns its name."""
    _KINDS[name] = Kind(name, label, email_default)
    return name


def get(name: str) -> Kind:
    return _KINDS[name]


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: str(kind.label))
