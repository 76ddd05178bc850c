import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "locale" / "id" / "LC_MESSAGES"


def test_the_site_speaks_indonesian_by_default(client, bontang):
    response = client.get(reverse("home"))
    assert b'<html lang="id">' in response.content
    assert "Daftar sebagai kader" in response.text
    assert "Kecamatan Bontang Barat" in response.text


def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client, db):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert b'<html lang="id">' in response.content
    assert response["Content-Language"] == "id"


def test_the_language_switch_works_without_javascript(client, bontang):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert b'<html lang="en">' in response.content
    assert "Register as a cadre" in response.text
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Daftar sebagai kader" in client.get(reverse("home")).text


def _gettext_tools():
    missing = [tool for tool in ("xgettext", "msgfmt", "msgattrib") if not shutil.which(tool)]
    if missing:
        message = f"gettext tools missing: {', '.join(missing)} (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_every_user_visible_string_has_an_indonesian_translation(tmp_path):
    _gettext_tools()
    copy = tmp_path / "repo"
    shutil.copytree(
        REPO,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "staticfiles", "tests", "bench", "node_modules", "*.sqlite3*", "media"
        ),
    )
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "id", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    refreshed = copy / "locale/id/LC_MESSAGES/django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(refreshed)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(refreshed)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert untranslated.strip() == "", "Untranslated (run `make messages`):\n" + untranslated
    assert fuzzy.strip() == "", "Fuzzy translations to review:\n" + fuzzy


def test_the_compiled_catalogue_matches_its_source(tmp_path):
    _gettext_tools()
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), (
        "locale/id/LC_MESSAGES/django.mo is stale: run `make messages`"
    )
