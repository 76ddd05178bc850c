"""Structural check of a NIK (Nomor Induk Kependudukan, the 16-digit national identity number).

A NIK has no checksum; its parts are: digits 1-2 provinsi, 3-4 kabupaten/kota, 5-6
kecamatan (the Kemendagri codes where it was first issued, without dots), 7-12 the
birth date as DDMMYY with 40 added to the day for women, 13-16 a serial number.
Errors make a NIK unacceptable; warnings are shown and the cadre may confirm them.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats, timezone

from cadres.models import Sex
from forkom.territory.models import Region
from forkom.texts import gettext as _

# The 38 provinces of Kepmendagri 2025; a region table with level-1 rows may add newer ones.
PROVINCE_CODES = (
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35",
    "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92", "93", "94", "95", "96",
)  # fmt: skip

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40
# People type NIKs from their KTP with spaces or dots between groups of digits.
_SEPARATORS = re.compile(r"[\s.\-]")
# [0-9], not \d: \d also matches other scripts' digits.
_DIGITS = re.compile(r"[0-9]+")


@dataclass
class NikCheck:
    nik: str
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    sex: str | None = None
    birth_date: date | None = None

    @property
    def is_valid(self):
        return not self.errors

    @property
    def kecamatan_code(self):
        """The dotted Kemendagri code of the kecamatan that issued the NIK (`64.74.02`)."""
        return f"{self.nik[0:2]}.{self.nik[2:4]}.{self.nik[4:6]}"


def normalize_nik(value):
    return _SEPARATORS.sub("", value or "")


def parse_nik(value, *, province_codes=PROVINCE_CODES, today=None):
    """Check the NIK's structure alone (no database); decode its sex and birth date."""
    nik = normalize_nik(value)
    result = NikCheck(nik=nik)
    if not _DIGITS.fullmatch(nik) or len(nik) != NIK_LENGTH:
        result.errors.append(
            _("A NIK has exactly 16 digits (0-9); this one has %(count)d characters.")
            % {"count": len(nik)}
        )
        return result
    if nik[0:2] not in province_codes:
        result.errors.append(
            _("Digits 1-2 (province code %(code)s) are not a known province.") % {"code": nik[0:2]}
        )
    if nik[2:4] == "00":
        result.errors.append(_("Digits 3-4 (regency or city code) cannot be 00."))
    if nik[4:6] == "00":
        result.errors.append(_("Digits 5-6 (district code) cannot be 00."))
    if nik[12:16] == "0000":
        result.errors.append(_("Digits 13-16 (serial number) cannot be 0000."))

    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.FEMALE if day > FEMALE_DAY_OFFSET else Sex.MALE
    if sex == Sex.FEMALE:
        day -= FEMALE_DAY_OFFSET
    day_ok = 1 <= day <= 31
    month_ok = 1 <= month <= 12
    if not day_ok:
        result.errors.append(
            _(
                "Digits 7-8 (day of birth, %(digits)s) must be 01-31 for men "
                "or 41-71 for women (day + 40)."
            )
            % {"digits": nik[6:8]}
        )
    if not month_ok:
        result.errors.append(
            _("Digits 9-10 (month of birth, %(digits)s) must be 01-12.") % {"digits": nik[8:10]}
        )
    if day_ok and month_ok:
        birth_date = _birth_date(day, month, year, today or timezone.localdate())
        if birth_date is None:
            result.errors.append(
                _("Digits 7-12 (date of birth, %(digits)s) are not a date that exists.")
                % {"digits": nik[6:12]}
            )
        else:
            result.birth_date = birth_date
    if day_ok:
        result.sex = sex
    return result


def _birth_date(day, month, two_digit_year, today):
    """The birth date, in the latest century that does not put it in the future."""
    year = 2000 + two_digit_year
    if year > today.year or (year == today.year and (month, day) > (today.month, today.day)):
        year -= 100
    try:
        return date(year, month, day)
    except ValueError:
        return None


def known_province_codes():
    """The built-in provinces and any province code the region table holds."""
    from_table = Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", flat=True)
    return frozenset(PROVINCE_CODES) | frozenset(from_table)


def check_nik(value, *, sex=None, birth_date=None, today=None):
    """Errors and warnings for a NIK given on a form with the person's sex and birth date."""
    result = parse_nik(value, province_codes=known_province_codes(), today=today)
    if not result.is_valid:
        return result
    if sex and result.sex and sex != result.sex:
        result.warnings.append(
            _("The NIK says the sex is %(nik)s, the form says %(form)s.")
            % {"nik": Sex(result.sex).label, "form": Sex(sex).label}
        )
    if birth_date and result.birth_date and birth_date != result.birth_date:
        result.warnings.append(
            _("The NIK says the date of birth is %(nik)s, the form says %(form)s.")
            % {
                "nik": formats.date_format(result.birth_date),
                "form": formats.date_format(birth_date),
            }
        )
    if not _is_current_kecamatan(result.kecamatan_code):
        result.warnings.append(
            _(
                "Digits 1-6 (%(code)s) are not a current district. This happens when a NIK "
                "was issued before a region was split; check the number on the KTP."
            )
            % {"code": result.nik[0:6]}
        )
    return result


def _is_current_kecamatan(code):
    kecamatan = Region.objects.filter(code=code, level=Region.Level.KECAMATAN, is_active=True)
    if kecamatan.exists():
        return True
    # Where the table holds only part of the country (the pilot kota), a kecamatan missing
    # from it says nothing, unless the table holds the NIK's kabupaten/kota.
    national = Region.objects.filter(level=Region.Level.PROVINSI).count() >= len(PROVINCE_CODES)
    return not national and not Region.objects.filter(code=code[:5]).exists()
