import ast
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.site.worlds import with_totp

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


# The translation functions and where their message (and context) is among the arguments.
MARKERS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
SOURCES = ["forkom", "cadres", "programs", "trainings", "dashboard", "devdata"]


def _marked_in_code():
    """Every (context, message) the project's Python code passes to a translation function,
    as the parser reads it: inside f-strings too, which makemessages does not read."""
    marked = {}
    for folder in SOURCES:
        for path in sorted((REPO / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in MARKERS:
                    continue
                context_at, message_at = MARKERS[name]
                arguments = [
                    argument.value if isinstance(argument, ast.Constant) else None
                    for argument in node.args
                ]
                if len(arguments) <= message_at or not isinstance(arguments[message_at], str):
                    continue
                context = arguments[context_at] if context_at is not None else None
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                marked[(context, arguments[message_at])] = where
    return marked


def test_every_string_the_code_marks_is_in_the_catalogue():
    """A gettext inside an f-string is invisible to makemessages: the announcements' "Pinned",
    "edited" and "cadres only" fell out of the catalogue (and showed in English) when it ran."""
    catalogue = polib.pofile(str(CATALOGUE / "django.po"))
    translated = {(entry.msgctxt, entry.msgid) for entry in catalogue if entry.translated()}
    marked = _marked_in_code()
    assert (None, "Pinned") in marked  # the walk finds the calls, f-strings' too
    missing = sorted(f"{where}: {key}" for key, where in marked.items() if key not in translated)
    assert missing == [], "Not in the Indonesian catalogue:\n" + "\n".join(missing)


PACKAGE_CATALOGUES = [
    ("django", "conf/locale"),
    ("django.contrib.admin", "locale"),
    ("django.contrib.auth", "locale"),
    ("allauth", "locale"),
]


def test_every_string_of_the_packages_has_an_indonesian_translation():
    """Django 6.1's admin wrote "Filter by dibuat pada" and "- Select an option -" on
    Indonesian pages: its Indonesian catalogue lacks the version's new strings. Each package's
    English catalogue lists every string it may show; each must be translated by the
    package's Indonesian catalogue, the portal's, or the overrides (scripts/glossary.py)."""
    ours = set()
    for folder in ("locale", "locale_overrides"):
        for entry in polib.pofile(str(REPO / folder / "id/LC_MESSAGES/django.po")):
            if entry.translated():
                ours.add((entry.msgctxt, entry.msgid))
    missing = []
    for module_name, folder in PACKAGE_CATALOGUES:
        base = Path(importlib.import_module(module_name).__file__).parent / folder
        english = polib.pofile(str(base / "en/LC_MESSAGES/django.po"))
        indonesian = polib.pofile(str(base / "id/LC_MESSAGES/django.po"))
        translated = {(e.msgctxt, e.msgid) for e in indonesian if e.translated()} | ours
        missing += [
            f"{module_name}: {entry.msgid!r}"
            for entry in english
            if not entry.obsolete
            and entry.msgid.strip(", ")
            and (entry.msgctxt, entry.msgid) not in translated
        ]
    assert missing == [], "Add them to scripts/glossary.py NOT_YET_UPSTREAM:\n" + "\n".join(
        missing
    )


def test_the_admin_s_javascript_speaks_indonesian(client, staff):
    """The admin's calendar and its time-zone note ("Note: Enter times in the Asia/Makassar
    timezone. (You are 8 hours behind.)") come from Django's JavaScript catalogue, whose
    Indonesian lacks Django 6.1's strings (found by a walk through the demo site): every one
    is translated by it or by the overrides (scripts/glossary.py NOT_YET_UPSTREAM_JS)."""
    base = Path(importlib.import_module("django.contrib.admin").__file__).parent / "locale"
    english = polib.pofile(str(base / "en/LC_MESSAGES/djangojs.po"))
    translated = {
        (entry.msgctxt, entry.msgid)
        for catalogue in (
            base / "id/LC_MESSAGES/djangojs.po",
            REPO / "locale_overrides/id/LC_MESSAGES/djangojs.po",
        )
        for entry in polib.pofile(str(catalogue))
        if entry.translated()
    }
    missing = [
        e.msgid for e in english if not e.obsolete and (e.msgctxt, e.msgid) not in translated
    ]
    assert missing == []
    client.force_login(with_totp(staff))
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    catalogue = client.get("/admin/jsi18n/").content.decode()
    assert "Hari ini (%(date)s)" in catalogue
    assert "Catatan: masukkan waktu dalam zona waktu" in catalogue
    # The two-box picker of the training's topics and bodies (found by a walk through the
    # demo site): its help named an English "Choose" arrow and ran "Pindahkan%s" together.
    assert 'tombol panah \\"Pilih\\"' in catalogue
    assert "Pindahkan%s" not in catalogue


def test_the_reauthentication_code_page_labels_its_field_in_indonesian(client, db):
    user = make_user("kode@test.forkom.id")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    page = client.get(reverse("account_request_reauthentication_code"))
    assert page.status_code == 200
    assert "Kirim kode ke" in page.text
    assert "Recipient" not in page.text
