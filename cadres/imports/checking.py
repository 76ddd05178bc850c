"""Check every row of a sheet by the rules of assisted registration, writing nothing.

The result says, row by row, what the import would do: create a cadre (waiting for
verification), leave one that is already registered (by NIK) as it is, or refuse the row
with its line, column and reason. The number of queries does not grow with the rows: the
area's kelurahan, the staff list of bodies and the NIKs already taken are read in bulk.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from cadres.forms import ADDRESS_LENGTH
from cadres.imports.reading import Cell, Sheet
from cadres.models import Body, CadreMembership, CadreProfile, Education, Sex
from cadres.names import validate_full_name
from cadres.nik import known_province_codes, parse_nik
from cadres.phones import normalize_phone
from cadres.services import MINIMUM_AGE, age_on
from forkom import scope
from forkom.accounts.models import Role
from forkom.characters import CONTROL
from forkom.errors import MayNot
from forkom.territory.codes import level_of
from forkom.territory.models import Region
from forkom.texts import gettext as _
from forkom.texts import joined, validation_messages

# The columns, in the template's order: (key, Indonesian name on the template, required,
# the header variants people write).
COLUMNS = [
    ("nik", "NIK", True, ["nik", "no ktp", "nomor ktp", "no nik", "nomor induk kependudukan"]),
    ("full_name", "Nama Lengkap", True, ["nama lengkap", "nama", "nama kader"]),
    ("sex", "Jenis Kelamin (L/P)", True, ["jenis kelamin", "jenis kelamin l p", "jk", "l p"]),
    ("birth_place", "Tempat Lahir", False, ["tempat lahir", "tmp lahir"]),
    ("birth_date", "Tanggal Lahir", True, ["tanggal lahir", "tgl lahir", "tgl lhr"]),
    ("phone", "No HP", True,
     ["no hp", "nomor hp", "no hp wa", "no wa", "hp", "telepon", "no telp"]),
    ("address", "Alamat", False, ["alamat", "alamat lengkap"]),
    ("kelurahan", "Kelurahan (kode atau nama)", True,
     ["kelurahan", "desa kelurahan", "desa", "kode kelurahan"]),
    ("education", "Pendidikan Terakhir", False, ["pendidikan terakhir", "pendidikan"]),
    ("body", "Lembaga", True, ["lembaga", "kelembagaan", "unsur", "lembaga kader"]),
    ("position", "Jabatan", False, ["jabatan", "jabatan di lembaga"]),
    ("since_year", "Sejak Tahun", False, ["sejak tahun", "sejak", "tahun bergabung"]),
]  # fmt: skip
LABELS = {key: label for key, label, _required, _variants in COLUMNS}
REQUIRED = [key for key, _label, required, _variants in COLUMNS if required]

SEXES = {"l": Sex.MALE, "laki laki": Sex.MALE, "lk": Sex.MALE, "p": Sex.FEMALE, "pr": Sex.FEMALE,
         "perempuan": Sex.FEMALE, "wanita": Sex.FEMALE, "pria": Sex.MALE}  # fmt: skip
EDUCATION = {
    "": "",
    "tidak sekolah": Education.NONE, "tidak belum sekolah": Education.NONE,
    "sd": Education.SD, "smp": Education.SMP, "sltp": Education.SMP,
    "sma": Education.SMA, "smk": Education.SMA, "slta": Education.SMA, "sma smk": Education.SMA,
    "d1": Education.DIPLOMA, "d2": Education.DIPLOMA, "d3": Education.DIPLOMA,
    "diploma": Education.DIPLOMA, "d4": Education.BACHELOR, "s1": Education.BACHELOR,
    "s2": Education.MASTER, "s3": Education.DOCTORATE,
}  # fmt: skip
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# The template's example row (cadres.imports.views.template), its NIK's serial 0000 (no
# person's): a sheet that still holds it is refused on that row, not imported as a cadre.
EXAMPLE = ["6474035708900000", "Siti Aminah", "P", "Bontang", "17/08/1990", "0812-3456-7890",
           "Jl. Cendana No. 1", "Belimbing", "SMA", "Posyandu", "Kader", "2019"]  # fmt: skip
# What the columns hold, as the profile's own fields and forms take it: a longer name saved
# here would be refused by every later correction (and by PostgreSQL at once).
MAX_TEXT: dict[str, int] = {
    "full_name": CadreProfile._meta.get_field("full_name").max_length or 150,
    "birth_place": CadreProfile._meta.get_field("birth_place").max_length or 100,
    "address": ADDRESS_LENGTH,
    "position": CadreMembership._meta.get_field("position").max_length or 100,
}


def normalized(text: str) -> str:
    """Lower case, accents, punctuation and spacing folded: "No. KTP" -> "no ktp"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


VARIANTS = {
    normalized(variant): key
    for key, label, _required, variants in COLUMNS
    for variant in [label, *variants]
}


@dataclass
class Rejection:
    line: int
    column: str
    reason: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Plan:
    """What the import would do. `create` holds register_assisted's keyword arguments."""

    area: Region
    mapping: dict[str, int]
    header: list[str]
    create: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    unchanged: list[tuple[int, str]] = field(default_factory=list)  # (line, NIK)
    # Registered in the area, but the sheet differs in what Dinas staff may correct:
    # (line, profile id, {field: the sheet's value}).
    update: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # keys of required columns not found

    @property
    def counts(self) -> dict[str, int]:
        """What a write leaves: the rows that differ count as unchanged."""
        return self.counts_when(apply_updates=False)

    def counts_when(self, *, apply_updates: bool) -> dict[str, int]:
        updated = len(self.update) if apply_updates else 0
        return {
            "created": len(self.create),
            "updated": updated,
            "unchanged": len(self.unchanged) + len(self.update) - updated,
            "rejected": len(self.rejected),
        }


def map_columns(header: list[str], chosen: dict[str, int] | None = None) -> dict[str, int]:
    """Column index of each known key: recognised from the header, or as the person chose."""
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = VARIANTS.get(normalized(name))
        if key and key not in mapping:
            mapping[key] = index
    mapping.update(chosen or {})
    return mapping


def missing_columns(mapping: dict[str, int]) -> list[str]:
    return [LABELS[key] for key in REQUIRED if key not in mapping]


def unrecognised_columns(header: list[str], mapping: dict[str, int]) -> list[tuple[int, str]]:
    """(index, header) of each column that no known key reads: the ones to map by hand."""
    used = set(mapping.values())
    return [(index, name) for index, name in enumerate(header) if index not in used]


# What an import may change on a cadre already registered: what Dinas staff correct in the
# admin (correct_profile), except the name, sex and birth date that, with the NIK, say who
# the person is. A blank cell changes nothing.
UPDATABLE = ("phone", "address", "birth_place", "education")


def importable_codes(user: Any) -> list[str]:
    """Dinas staff import into their regions, kecamatan officers into their kecamatan."""
    codes = set(scope.region_codes(user, {Role.DINAS_STAFF}))
    codes |= {
        code
        for code in scope.region_codes(user, {Role.FORUM_OFFICER})
        if level_of(code) == Region.Level.KECAMATAN
    }
    return sorted(codes)


def check_area(actor: Any, area: Region) -> None:
    if scope.can_act(actor, area.code, {Role.DINAS_STAFF}):
        return
    if any(area.code == c or area.code.startswith(c + ".") for c in importable_codes(actor)):
        return
    raise MayNot(_("You may not import cadres into %(region)s.") % {"region": area.name})


class _Refused(Exception):
    def __init__(self, column: str, reason: str):
        self.column, self.reason = column, reason


def check_sheet(
    sheet: Sheet,
    *,
    actor: Any,
    area: Region,
    chosen: dict[str, int] | None = None,
    today: date | None = None,
    chunk: int = 1000,
    on_progress: Callable[[int], None] | None = None,
) -> Plan:
    """`on_progress(rows checked)` is called after each chunk (the page's progress)."""
    check_area(actor, area)
    today = today or timezone.localdate()
    mapping = map_columns(sheet.header, chosen)
    plan = Plan(area=area, mapping=mapping, header=sheet.header)
    if missing := missing_columns(mapping):
        plan.missing = [key for key in REQUIRED if key not in mapping]
        plan.rejected.append(
            Rejection(1, ", ".join(missing), _("These columns are missing or not recognised."))
        )
        return plan
    context = _Context(area, today)
    pending: list[tuple[int, list[Cell], dict[str, Any]]] = []
    checked = 0
    for line, cells in sheet.rows:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue  # an empty row, as Excel leaves below the data
        checked += 1
        try:
            pending.append((line, cells, _check_row(cells, mapping, context)))
        except _Refused as refused:
            plan.rejected.append(Rejection(line, refused.column, refused.reason, cells))
        if len(pending) >= chunk:
            _settle(plan, pending, context)
            pending = []
            if on_progress:
                on_progress(checked)
    _settle(plan, pending, context)
    if on_progress:
        on_progress(checked)
    return plan


class _Context:
    def __init__(self, area: Region, today: date):
        self.today = today
        kelurahan = Region.objects.active().filter(
            Q(code=area.code) | Q(code__startswith=area.code + "."),
            level=Region.Level.DESA_KELURAHAN,
        )
        self.kelurahan_by_code = {region.code: region for region in kelurahan}
        self.kelurahan_by_name: dict[str, list[Region]] = {}
        for region in self.kelurahan_by_code.values():
            self.kelurahan_by_name.setdefault(normalized(region.name), []).append(region)
        self.bodies = {normalized(body.name): body for body in Body.objects.active()}
        self.provinces = known_province_codes()
        self.seen_niks: set[str] = set()


def _cell(cells: list[Cell], mapping: dict[str, int], key: str) -> Cell:
    index = mapping.get(key)
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def _text(cells: list[Cell], mapping: dict[str, int], key: str, required: bool) -> str:
    value = _cell(cells, mapping, key)
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise _Refused(LABELS[key], _("The cell holds a NUL byte."))
    if CONTROL.search(text):
        raise _Refused(
            LABELS[key], _("The cell holds an invisible control character: type it again.")
        )
    if required and not text:
        raise _Refused(LABELS[key], _("This cell is empty."))
    if len(text) > MAX_TEXT.get(key, 200):
        raise _Refused(LABELS[key], _("At most %(n)d characters.") % {"n": MAX_TEXT.get(key, 200)})
    return text


def _check_row(cells: list[Cell], mapping: dict[str, int], context: _Context) -> dict[str, Any]:
    raw_nik = _cell(cells, mapping, "nik")
    if isinstance(raw_nik, (int, float)):
        raise _Refused(
            LABELS["nik"],
            _(
                "The NIK is stored as a number, and Excel keeps only 15 digits of a number. "
                "Format the column as Text and type the NIK again."
            ),
        )
    nik = _text(cells, mapping, "nik", True)
    if nik == EXAMPLE[0]:
        raise _Refused(
            LABELS["nik"],
            _("This is the template's example row: delete it, or write your own cadre over it."),
        )
    checked = parse_nik(nik, province_codes=context.provinces, today=context.today)
    if not checked.is_valid:
        raise _Refused(LABELS["nik"], joined(" ", checked.errors))
    if checked.nik in context.seen_niks:
        raise _Refused(LABELS["nik"], _("This NIK is already on an earlier row of the file."))
    context.seen_niks.add(checked.nik)

    full_name = _text(cells, mapping, "full_name", True)
    try:
        validate_full_name(full_name)
    except ValidationError as error:
        raise _Refused(LABELS["full_name"], validation_messages(error)) from None
    sex = SEXES.get(normalized(_text(cells, mapping, "sex", True)))
    if sex is None:
        raise _Refused(LABELS["sex"], _("Write L (laki-laki) or P (perempuan)."))
    birth_date = _date(_cell(cells, mapping, "birth_date"))
    if age_on(birth_date, context.today) < MINIMUM_AGE:
        raise _Refused(
            LABELS["birth_date"],
            _("Cadres are %(age)d years old or older.") % {"age": MINIMUM_AGE},
        )
    phone_cell = _cell(cells, mapping, "phone")
    phone_text = str(int(phone_cell)) if isinstance(phone_cell, (int, float)) else None
    try:
        phone = normalize_phone(phone_text or _text(cells, mapping, "phone", True))
    except ValidationError as error:
        raise _Refused(LABELS["phone"], validation_messages(error)) from None
    kelurahan = _kelurahan(_text(cells, mapping, "kelurahan", True), context)
    education = EDUCATION.get(normalized(_text(cells, mapping, "education", False)))
    if education is None:
        raise _Refused(
            LABELS["education"],
            _("Write one of: SD, SMP, SMA, SMK, D1-D3, D4, S1, S2, S3, tidak sekolah."),
        )
    body = context.bodies.get(normalized(_text(cells, mapping, "body", True)))
    if body is None:
        raise _Refused(
            LABELS["body"],
            _("Not a body on the staff list: %(names)s.")
            % {"names": ", ".join(sorted(b.name for b in context.bodies.values()))},
        )
    since = _year(_cell(cells, mapping, "since_year"), context.today)
    return {
        "full_name": full_name,
        "nik": checked.nik,
        "sex": sex,
        "birth_place": _text(cells, mapping, "birth_place", False),
        "birth_date": birth_date,
        "phone": phone,
        "address": _text(cells, mapping, "address", False),
        "kelurahan": kelurahan,
        "education": education,
        "memberships": [(body, _text(cells, mapping, "position", False), since)],
    }


def _date(value: Cell) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    for format in DATE_FORMATS:
        try:
            return datetime.strptime(text, format).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise _Refused(LABELS["birth_date"], _("Write the date as DD/MM/YYYY, e.g. 17/08/1990."))


def _year(value: Cell, today: date) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        year = int(float(str(value).strip()))
    except (ValueError, OverflowError):
        year = 0
    if not 1950 <= year <= today.year:
        raise _Refused(LABELS["since_year"], _("Write a year such as 2019."))
    return year


def _kelurahan(text: str, context: _Context) -> Region:
    if region := context.kelurahan_by_code.get(text):
        return region
    found = context.kelurahan_by_name.get(normalized(text), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise _Refused(
            LABELS["kelurahan"],
            _("Several kelurahan are called so here; write the Kemendagri code instead."),
        )
    raise _Refused(LABELS["kelurahan"], _("Not a kelurahan or desa of the area of this import."))


def _settle(
    plan: Plan, pending: Iterable[tuple[int, list[Cell], dict[str, Any]]], _ctx: Any
) -> None:
    """Rows whose NIK is already registered are left as they are, or offered as an update
    when the cadre lives in the import's area and the sheet differs in what may be
    corrected (one query per chunk)."""
    pending = list(pending)
    taken = {
        row["nik"]: row
        for row in CadreProfile.objects.filter(nik__in=[d["nik"] for _l, _c, d in pending]).values(
            "pk", "nik", "kelurahan_id", *UPDATABLE
        )
    }
    area = plan.area.code
    for line, _cells, details in pending:
        registered = taken.get(details["nik"])
        if registered is None:
            plan.create.append((line, details))
            continue
        inside = registered["kelurahan_id"] == area or registered["kelurahan_id"].startswith(
            area + "."
        )
        changes = {
            name: details[name]
            for name in UPDATABLE
            if details[name] not in ("", None) and details[name] != registered[name]
        }
        if inside and changes:
            plan.update.append((line, registered["pk"], changes))
        else:
            plan.unchanged.append((line, details["nik"]))


def rejection_text(rejection: Rejection) -> str:
    return f"line {rejection.line}: {rejection.column}: {rejection.reason}"
