"""The static files' storage keeps each URL it worked out (forkom/staticfiles.py)."""

import json

import pytest
from django.core.files.storage import storages

from forkom.staticfiles import MAX_KEPT, StaticFilesStorage


def storage_with(tmp_path, paths):
    (tmp_path / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": paths}))
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_a_url_is_the_manifest_s_and_is_looked_up_once(tmp_path, settings, monkeypatch):
    settings.DEBUG = False
    storage = storage_with(tmp_path, {"css/site.css": "css/site.0123abcd.css"})
    lookups = []
    looked_up = StaticFilesStorage.stored_name

    def counted(self, name):
        lookups.append(name)
        return looked_up(self, name)

    monkeypatch.setattr(StaticFilesStorage, "stored_name", counted)
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert lookups == ["css/site.css"]
    # Under DEBUG, Django gives the file's own name: kept apart from the hashed one.
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
    settings.DEBUG = False
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    # force asks the manifest every time, as Django's does.
    assert storage.url("css/site.css", force=True) == "/static/css/site.0123abcd.css"
    assert lookups == ["css/site.css", "css/site.css"]


def test_a_name_missing_from_the_manifest_is_still_an_error(tmp_path, settings):
    settings.DEBUG = False
    storage = storage_with(tmp_path, {})
    for _ in range(2):  # not kept as an answer either
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_no_more_than_the_bound_is_kept(tmp_path, settings):
    settings.DEBUG = False
    names = [f"img/{number}.svg" for number in range(MAX_KEPT + 5)]
    storage = storage_with(tmp_path, {name: name.replace(".svg", ".ab.svg") for name in names})
    assert [storage.url(name) for name in names][-1] == f"/static/img/{MAX_KEPT + 4}.ab.svg"
    assert len(storage._urls) == MAX_KEPT


def test_the_site_and_the_admin_use_it():
    assert isinstance(storages["staticfiles"], StaticFilesStorage)
