"""The portal's words (docs/glossary.md) hold on the pages that allauth and the admin draw:
their Indonesian catalogues mix "e-mail" and "email", "anda" and "Anda", "Sandi" and "Kata
sandi"; locale_overrides/ (scripts/glossary.py) corrects them."""

import re
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from scripts import glossary

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = re.compile(
    r"\b[Ee]-[Mm]ail\b|\banda\b|\b[Rr]ubah\b|\bmerubah\b|\b[Ss]ilahkan\b|(?<![Kk]ata )\b[Ss]andi\b"
    r"|\b[Ss]urel|(?<!%\()\b[Ll]ink\b"
)


def third_party_msgids():
    for name in glossary.CATALOGUES:
        for entry in polib.pofile(str(glossary.catalogue_path(name))):
            if entry.msgstr and not (entry.obsolete or entry.msgid_plural or entry.msgctxt):
                yield entry.msgid


def test_no_translation_shown_breaks_the_glossary():
    broken = []
    with translation.override("id"):
        for msgid in third_party_msgids():
            shown = translation.gettext(msgid)
            if FORBIDDEN.search(shown):
                broken.append(f"{msgid!r} → {shown!r}")
    assert broken == [], "run `make messages` (scripts/glossary.py):\n" + "\n".join(broken)


def test_the_portal_s_own_translations_keep_the_glossary():
    """The portal's catalogue said "surel" on 22 strings (the login page's "Tidak punya
    surel?", the notification settings) and "email" on the others (found by a walk
    through the demo site)."""
    catalogue = polib.pofile(str(REPO / "locale/id/LC_MESSAGES/django.po"))
    broken = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and FORBIDDEN.search(entry.msgstr + " ".join(entry.msgstr_plural.values()))
    ]
    assert broken == []


def test_the_admin_runs_actions_with_jalankan():
    with translation.override("id"):
        assert translation.gettext("Run") == "Jalankan"


def test_a_rule_catches_what_it_should():
    assert glossary.fix("Sandi anda telah diubah. Silahkan cek e-mail") == (
        "Kata sandi Anda telah diubah. Silakan cek email"
    )
    assert glossary.fix("Kata sandi Anda") == "Kata sandi Anda"
    assert glossary.fix("Surel dikirim ke alamat surelnya") == "Email dikirim ke alamat emailnya"
    # A placeholder keeps its name.
    assert glossary.fix("Link baru: %(link)s") == "Tautan baru: %(link)s"


@pytest.mark.django_db
def test_the_sign_in_and_password_reset_pages_speak_one_language(client):
    for name in ("account_login", "account_reset_password", "account_signup"):
        page = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="id").text
        assert not FORBIDDEN.search(re.sub(r"<[^>]+>", " ", page)), name


def test_the_compiled_overrides_match_their_source(tmp_path):
    source = REPO / "locale_overrides/id/LC_MESSAGES/django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(source)], check=True)
    assert compiled.read_bytes() == source.with_suffix(".mo").read_bytes()


def test_a_field_of_work_has_one_name():
    """The cadre list's filter said "Bidang kegiatan", the exports and Data saya "Bidang
    kerja", for the same thing (found by a walk through the demo site)."""
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale/id/LC_MESSAGES/django.po"))
    named = {
        entry.msgstr
        for entry in catalogue
        if entry.msgid.lower().startswith(("field of work", "fields of work"))
    }
    assert named == {"Bidang kegiatan", "bidang kegiatan"}
    assert not [entry.msgid for entry in catalogue if "bidang kerja" in entry.msgstr.lower()]


def test_no_translation_adds_email_that_its_source_does_not_say():
    """The cadre's "address" was translated "alamat email": the admin labelled the home
    address so and the history read "Dikoreksi oleh staf Dinas: alamat email" (found by a
    walk through the demo site)."""
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale/id/LC_MESSAGES/django.po"))
    added = [
        entry.msgid
        for entry in catalogue
        if any(
            word in (entry.msgstr + " ".join(entry.msgstr_plural.values())).lower()
            for word in ("email", "surel")
        )
        and "mail" not in (entry.msgid + (entry.msgid_plural or "")).lower()
    ]
    assert added == []
    assert catalogue.find("address").msgstr == "alamat"


def test_allauth_s_password_message_is_grammatical():
    """allauth's Indonesian says "Kata sandi berhasil setel." (found by a walk through the
    demo site)."""
    with translation.override("id"):
        assert translation.gettext("Password successfully set.") == "Kata sandi berhasil disetel."
