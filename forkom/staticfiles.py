"""The static files' storage: whitenoise's compressed manifest, with each URL looked up once.

Django's manifest storage works out a file's hashed URL on every `{% static %}` (about 9 µs:
the name cleaned, looked up in the manifest, quoted and joined to STATIC_URL). The admin asks
for the same two icons for every yes/no cell of its lists, 200 times a page. The manifest does
not change while a process runs (collectstatic runs before it starts), so each name's URL is
kept for the process's life; a test changing STATIC_URL or STORAGES gets a new storage, and
DEBUG (under which Django gives the unhashed URL) is part of the key.
"""

from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The names come from templates and code, not from requests; a bound all the same.
MAX_KEPT = 2_000


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        key = (name, settings.DEBUG)
        try:
            return self._urls[key]
        except KeyError:
            url = super().url(name)
            if len(self._urls) < MAX_KEPT:
                self._urls[key] = url
            return url
