"""Write the Indonesian overrides of third-party strings that break the portal's glossary
(docs/glossary.md): allauth's and Django's own catalogues say "e-mail" and "email",
"anda" and "Anda", "Sandi" and "Kata sandi", "Rubah", "Silahkan", "Berjalan" for Run.

    .venv/bin/python scripts/glossary.py   # then compilemessages (make messages does both)

It reads the installed packages' Indonesian catalogues, applies the rules below to every
translation, and writes only the entries that changed to locale_overrides/id/LC_MESSAGES/
django.po, which settings.LOCALE_PATHS reads after the portal's own catalogue (and before
the packages'). tests/site/test_glossary.py checks what the pages finally show.
"""

import re
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import to_locale

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# (pattern, replacement): in this order, on every Indonesian translation.
RULES = [
    (re.compile(r"\bE-mail\b"), "Email"),
    (re.compile(r"\be-mail\b"), "email"),
    (re.compile(r"\bE-Mail\b"), "Email"),
    # "surel" (surat elektronik) is correct Indonesian, but the portal says "email".
    (re.compile(r"\bSurel"), "Email"),
    (re.compile(r"\bsurel"), "email"),
    (re.compile(r"\bSilahkan\b"), "Silakan"),
    (re.compile(r"\bsilahkan\b"), "silakan"),
    (re.compile(r"\bmerubah\b"), "mengubah"),
    (re.compile(r"\bRubah\b"), "Ubah"),
    (re.compile(r"\brubah\b"), "ubah"),
    # "Sandi" alone is "Kata sandi" everywhere on the portal.
    (re.compile(r"(?<![Kk]ata )\bSandi\b"), "Kata sandi"),
    (re.compile(r"(?<![Kk]ata )\bsandi\b"), "kata sandi"),
    # A link is a "tautan" on the portal's own pages.
    # (not a placeholder's name: "%(link)s")
    (re.compile(r"(?<!%\()\bLink\b"), "Tautan"),
    (re.compile(r"(?<!%\()\blink\b"), "tautan"),
    # The polite pronoun is written with a capital.
    (re.compile(r"\banda\b"), "Anda"),
]
# Whole translations that are wrong, not only inconsistent.
REPLACED = {"Run": "Jalankan", "Password successfully set.": "Kata sandi berhasil disetel."}
# Strings of the installed versions that their Indonesian catalogues do not have yet (Django
# 6.1's admin filters and empty choice, for one): shown in English on Indonesian pages
# otherwise. tests/site/test_i18n.py fails when a package's English catalogue holds a string
# that neither its Indonesian one nor this list translates. {msgid: msgstr or (msgid_plural,
# msgstr)}, as NOT_YET_UPSTREAM_JS.
NOT_YET_UPSTREAM = {
    "- Select an option -": "- Pilih salah satu -",
    "Filter by %(field_name)s": "Saring menurut %(field_name)s",
    "Logout": "Keluar",
    'The app "%s" could not be found.': 'Aplikasi "%s" tidak ditemukan.',
    "No %s matches the given query.": "Tidak ada %s yang cocok dengan pencarian.",
    "“%(value)s” is not a valid binary value.": "“%(value)s” bukan nilai biner yang sah.",
    "…and %(count)d more object.": ("…and %(count)d more objects.", "…dan %(count)d objek lagi."),
}
# The same for the admin's JavaScript (its calendar and clock, the time-zone note), written
# to djangojs.po beside the other overrides.
NOT_YET_UPSTREAM_JS = {
    "server": "server",
    "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)": (
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hours ahead.)",
        "Catatan: masukkan waktu dalam zona waktu %(timezone)s. (Anda %(offset)s jam lebih "
        "cepat.)",
    ),
    "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)": (
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hours behind.)",
        "Catatan: masukkan waktu dalam zona waktu %(timezone)s. (Anda %(offset)s jam lebih "
        "lambat.)",
    ),
    "Today (%(date)s)": "Hari ini (%(date)s)",
    "Yesterday (%(date)s)": "Kemarin (%(date)s)",
    "Tomorrow (%(date)s)": "Besok (%(date)s)",
    "Previous (%(month)s %(year)s)": "Sebelumnya (%(month)s %(year)s)",
    "Next (%(month)s %(year)s)": "Berikutnya (%(month)s %(year)s)",
    "%(month)s %(day)s, %(year)s": "%(day)s %(month)s %(year)s",
    "%s (today, current selection)": "%s (hari ini, pilihan saat ini)",
    "%s (today)": "%s (hari ini)",
    "%s (current selection)": "%s (pilihan saat ini)",
}
# The admin's JavaScript translations that are wrong: the two-box picker of topics and
# bodies told staff to press an arrow "Choose" (its arrows are titled in Indonesian) and
# read "Pindahkantopik"; "Hapus semua" sounded like deleting the rows.
REPLACED_JS = {
    'Choose %s by selecting them and then select the "Choose" arrow button.': (
        'Pilih %s dengan menandainya, lalu klik tombol panah "Pilih".'
    ),
    'Remove %s by selecting them and then select the "Remove" arrow button.': (
        'Keluarkan %s dengan menandainya, lalu klik tombol panah "Keluarkan".'
    ),
    "Choose selected %s": "Pilih %s yang ditandai",
    "Remove selected %s": "Keluarkan %s yang ditandai",
    "Remove all %s": "Keluarkan semua %s",
    "Type into this box to filter down the list of selected %s.": (
        "Ketik di kotak ini untuk menyaring daftar %s terpilih."
    ),
}
CATALOGUES = ["allauth", "django.contrib.admin", "django.contrib.auth", "django"]


def fix(text: str) -> str:
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def catalogue_path(module_name: str) -> Path:
    module = __import__(module_name, fromlist=["__file__"])
    base = Path(module.__file__).parent
    if module_name == "django":
        base = base / "conf"
    return base / "locale" / to_locale("id") / "LC_MESSAGES" / "django.po"


def _entry(msgid: str, translation: str | tuple[str, str]) -> Any:
    """A catalogue entry of NOT_YET_UPSTREAM(_JS): a msgstr, or (msgid_plural, msgstr)."""
    import polib

    if isinstance(translation, tuple):
        plural, text = translation
        return polib.POEntry(msgid=msgid, msgid_plural=plural, msgstr_plural={0: text})
    return polib.POEntry(msgid=msgid, msgstr=translation)


def main() -> int:
    import polib

    entries: dict[tuple[str, str], polib.POEntry] = {}
    for name in CATALOGUES:
        for entry in polib.pofile(str(catalogue_path(name))):
            if entry.obsolete or not (entry.msgstr or entry.msgstr_plural):
                continue
            key = (entry.msgctxt or "", entry.msgid)
            if key in entries:
                continue  # the first catalogue that translates it is the one Django uses
            changed = polib.POEntry(
                msgid=entry.msgid,
                msgctxt=entry.msgctxt,
                msgid_plural=entry.msgid_plural,
                msgstr=REPLACED.get(entry.msgid, fix(entry.msgstr)) if entry.msgstr else "",
                msgstr_plural={k: fix(v) for k, v in entry.msgstr_plural.items()},
            )
            if (changed.msgstr, changed.msgstr_plural) != (entry.msgstr, entry.msgstr_plural):
                entries[key] = changed
    for msgid, translation in NOT_YET_UPSTREAM.items():
        entries.setdefault(("", msgid), _entry(msgid, translation))
    out = polib.POFile()
    out.metadata = {
        "Project-Id-Version": "forkom-glossary",
        "Language": "id",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for key in sorted(entries):
        out.append(entries[key])
    target = REPO / "locale_overrides" / "id" / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(target))
    javascript = polib.POFile()
    javascript.metadata = dict(out.metadata)
    for msgid, translation in {**NOT_YET_UPSTREAM_JS, **REPLACED_JS}.items():
        javascript.append(_entry(msgid, translation))
    javascript.save(str(target.with_name("djangojs.po")))
    print(f"{len(entries)} translations overridden in {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
