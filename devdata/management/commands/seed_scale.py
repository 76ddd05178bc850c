"""Synthetic national-scale data, to measure the portal: `manage.py seed_scale`.

By default 1,000,000 cadres spread over every desa/kelurahan of the national region table
(imported first when missing), 100,000 proposals in every state with their timelines,
10,000 trainings and 500,000 sign-ups, 10,000 innovations, the forums of a share of the
kecamatan and kelurahan with their officers and SK, a Koordinator Kota for every
kabupaten/kota and Dinas staff for every province.

The data follows the portal's rules as the services would have written it: a NIK that
decodes to the cadre's kecamatan, sex and birth date; an event row for every change of
state; officers who are verified cadres of their forum's area; trainings whose seats are
never over-booked. Rows go in with COPY on PostgreSQL and batched INSERTs elsewhere, in
one transaction, so that a failed run leaves nothing behind.

Every account it makes has an address @seed.forkom.invalid and an unusable password.
"""

import base64
import bisect
import itertools
import os
import random
import sys
import time
from array import array
from collections import Counter, defaultdict, deque
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from cadres.consent import CONSENT_VERSION
from cadres.forums.services import term_end
from cadres.models import (
    Body,
    CadreEvent,
    CadreMembership,
    CadreProfile,
    ConsentRecord,
    Education,
    Field,
    Forum,
    ForumEvent,
    ForumMember,
    Topic,
)
from forkom.accounts.models import Position, Role, RoleAssignment, User
from forkom.territory.importer import RegionFileError, import_regions, read_rows
from forkom.territory.models import Region
from programs.models import (
    AidKind,
    Innovation,
    InnovationEvent,
    Proposal,
    ProposalAid,
    ProposalEvent,
)
from trainings.models import Registration, Training, TrainingEvent

REPO = Path(settings.BASE_DIR)
DEFAULT_REGIONS = REPO.parent / "shared" / "data" / "wilayah_kemendagri_2025.csv"
SEED_DOMAIN = "seed.forkom.invalid"
CADRE_EMAIL = "kader{:07d}@" + SEED_DOMAIN
COORDINATOR_EMAIL = "koordinator.{}@" + SEED_DOMAIN
STAFF_EMAIL = "staf.{}@" + SEED_DOMAIN

WITA = timezone(timedelta(hours=8), "WITA")
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY = 86_400.0
HOUR = 3_600.0
# The portal went live at the start of 2024: sign-ups, forums and proposals start then.
PORTAL_START = datetime(2024, 1, 8, 8, 0, tzinfo=WITA).timestamp()

# The pilot is Kota Bontang in Kalimantan Timur: people use the portal most there. These
# shares of the cadres (and so of what they propose and sign up for) live in the pilot kota
# and in the rest of its province; everything else is spread over the whole country.
PILOT_KOTA = "64.74"
PILOT_PROVINCE = "64"
PILOT_KOTA_SHARE = 0.01
PILOT_PROVINCE_SHARE = 0.04

# A cadre's profile: decided within days, mostly verified; some step down later.
DECISION_DAYS = 5.0
STALE_WAITING = 0.10  # never looked at by an officer
REJECTED = 0.06
STEPPED_DOWN = 0.12
FEMALE = 0.62

# Forums: the share of kecamatan and kelurahan with a formed forum (SK and ketua), and with
# a forum that is under way (officers without an SK, or an SK without a ketua).
FORMED_KECAMATAN = 0.55
STARTED_KECAMATAN = 0.10
FORMED_KELURAHAN = 0.25
STARTED_KELURAHAN = 0.08
FORMED_IN_PILOT_KELURAHAN = 0.8
FORUM_MEMBERS = 0.3  # of the verified cadres of a formed kelurahan forum

# Where proposals end up, and how many were returned once and submitted again on the way.
PROPOSAL_STATES = {
    "draft": 0.10,
    "submitted": 0.14,
    "recommended": 0.09,
    "escalated": 0.07,
    "accepted": 0.22,
    "declined": 0.14,
    "returned": 0.12,
    "withdrawn": 0.12,
}
REVISED = 0.10
STEP_DAYS = 6.0
TEAM = 0.3

PUBLISHED = 0.75
CHANNELLED = 0.30
FROM_PROPOSAL = 0.4

# Trainings start from February 2024 until half a year ahead; some are for one body only.
TRAININGS_FROM = datetime(2024, 2, 5, 8, 0, tzinfo=WITA).timestamp()
TRAININGS_AHEAD_DAYS = 180
ONE_BODY_ONLY = 0.2
CANCELLED_SIGNUP = 0.08
ATTENDED = 0.85

GIVEN_FEMALE = [
    "Siti", "Nur", "Dewi", "Rina", "Wulan", "Fitri", "Ayu", "Lestari", "Yuni", "Ratna",
    "Sri", "Indah", "Putri", "Rahmawati", "Nurul", "Aisyah", "Maria", "Fatimah", "Kartini",
    "Endang", "Wahyuni", "Hartati", "Suryani", "Anisa", "Diah", "Eka", "Mega", "Novita",
    "Yohana", "Ni Made", "Ni Luh", "Desi", "Ratih", "Susanti", "Irma", "Halimah", "Marlina",
    "Rosmini", "Nurhayati", "Agustina",
]  # fmt: skip
GIVEN_MALE = [
    "Ahmad", "Budi", "Rudi", "Agus", "Hendra", "Yusuf", "Irfan", "Dedi", "Joko", "Arif",
    "Muhammad", "Andi", "Bambang", "Eko", "Hadi", "Iwan", "Fajar", "Rizki", "Slamet", "Teguh",
    "Yohanes", "I Made", "I Wayan", "Daeng", "La Ode", "Syamsul", "Abdul", "Hasan", "Ridwan",
    "Stefanus", "Fransiskus", "Kadek", "Wahyu", "Dimas", "Gilang", "Imam", "Sutrisno",
    "Ismail", "Herman", "Rahmat",
]  # fmt: skip
FAMILY = [
    "Rahmawati", "Saputra", "Hidayat", "Kurniawan", "Pratama", "Santoso", "Wijaya", "Lestari",
    "Nugroho", "Syahrani", "Maulana", "Handayani", "Setiawan", "Ramadhan", "Utami", "Siregar",
    "Nasution", "Harahap", "Simanjuntak", "Lubis", "Tanjung", "Sitompul", "Manurung",
    "Pangaribuan", "Daulay", "Sinaga", "Tambunan", "Situmorang", "Purba", "Ginting",
    "Tarigan", "Sembiring", "Hasibuan", "Pohan", "Rangkuti", "Batubara", "Wibowo",
    "Susanto", "Gunawan", "Hakim", "Firmansyah", "Suharto", "Purnomo", "Hartono", "Halim",
    "Mahendra", "Anggraini", "Permata", "Sari", "Puspita", "Pane", "Mokodompit", "Lumban",
    "Tuanaya", "Rumbiak", "Wenda", "Kogoya", "Latuconsina", "Pattimura", "Manuhutu",
]  # fmt: skip
STREETS = [
    "Ahmad Yani", "Sudirman", "Diponegoro", "Gatot Subroto", "Pahlawan", "Merdeka",
    "Imam Bonjol", "Kartini", "MT Haryono", "Hasanuddin", "Cut Nyak Dien", "Gajah Mada",
    "Hayam Wuruk", "Pattimura", "Sultan Agung", "Mulawarman", "Bhayangkara", "Pelabuhan",
    "Cendana", "Flamboyan", "Melati", "Mawar", "Kenanga", "Nusantara", "Poros",
]  # fmt: skip
PHONE_PREFIXES = [
    "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816",
    "855", "856", "857", "858", "817", "818", "819", "859", "877", "878", "831", "832",
    "838", "895", "896", "897", "898", "899", "881", "882", "883", "887", "888",
]  # fmt: skip
EDUCATION = [
    (Education.NONE, 2), (Education.SD, 10), (Education.SMP, 18), (Education.SMA, 45),
    (Education.DIPLOMA, 8), (Education.BACHELOR, 15), (Education.MASTER, 2),
]  # fmt: skip
SKILLS = [
    "Menjahit", "Memasak", "Mengoperasikan komputer", "Public speaking", "Tata rias",
    "Pertukangan", "Budidaya ikan", "Berkebun", "Akuntansi sederhana", "Fotografi",
    "Desain grafis", "Menganyam", "Membatik", "Pertolongan pertama", "Bahasa Inggris",
]  # fmt: skip
REJECTION_REASONS = [
    "NIK tidak sesuai dengan KTP yang dilampirkan.",
    "Bukan warga kelurahan ini; silakan mendaftar di kelurahan domisili.",
    "Data tidak lengkap; mohon lengkapi keanggotaan lembaga.",
    "Terdaftar ganda dengan akun lain.",
]
BODY_WEIGHTS = {
    "Posyandu": 30,
    "PKK": 25,
    "Karang Taruna": 15,
    "LPM": 10,
    "Kader Pemberdayaan Masyarakat": 10,
    "RT/RW": 6,
    "Lembaga adat": 2,
    "Lainnya": 2,
}
BODY_POSITIONS = ["Anggota"] * 6 + ["Kader"] * 3 + ["Ketua", "Sekretaris", "Bendahara"]
# Proposal subjects: (activity, the field of work it belongs to).
ACTIVITIES = [
    ("Pelatihan menjahit dan konveksi", "Ekonomi kreatif/UMKM"),
    ("Budidaya ikan lele dalam ember", "Ekonomi kreatif/UMKM"),
    ("Bank sampah dan daur ulang plastik", "Lingkungan"),
    ("Posyandu remaja", "Kesehatan"),
    ("Taman baca masyarakat", "Pendidikan"),
    ("Pemasaran digital produk UMKM", "Teknologi"),
    ("Pengolahan hasil laut", "Ekonomi kreatif/UMKM"),
    ("Kebun gizi keluarga", "Kesehatan"),
    ("Sanggar seni dan budaya", "Sosial budaya"),
    ("Perbaikan drainase lingkungan", "Infrastruktur"),
    ("Kelas komputer untuk pemuda", "Teknologi"),
    ("Pencegahan stunting", "Kesehatan"),
    ("Administrasi kependudukan keliling", "Pemerintahan"),
    ("Pelatihan barista dan kewirausahaan kopi", "Ekonomi kreatif/UMKM"),
]
TARGET_GROUPS = [
    "ibu rumah tangga", "pemuda putus sekolah", "pelaku UMKM", "lansia", "remaja",
    "nelayan", "petani", "kader posyandu", "penyandang disabilitas", "anak usia sekolah",
]  # fmt: skip
RETURN_NOTES = [
    "Mohon lengkapi rincian anggaran per kegiatan.",
    "Jumlah penerima manfaat perlu dijelaskan sumber datanya.",
    "Jadwal kegiatan belum realistis; mohon disesuaikan.",
]
DECLINE_NOTES = [
    "Kegiatan serupa sudah didanai tahun ini.",
    "Anggaran melebihi pagu program.",
    "Tidak sesuai dengan prioritas program tahun berjalan.",
]
WITHDRAW_NOTES = [
    "Kegiatan sudah didanai dari sumber lain.",
    "Tim pengusul berubah; akan diajukan ulang.",
]
INNOVATIONS = [
    "Aplikasi antrean posyandu",
    "Pupuk organik dari sampah pasar",
    "Kerajinan dari limbah kayu ulin",
    "Keripik rumput laut",
    "Arisan literasi",
    "Ecobrick untuk taman bermain",
    "Jadwal ronda lewat WhatsApp",
    "Minyak goreng bekas menjadi sabun",
]
TRAINING_TOPICS = [
    "Kewirausahaan dan UMKM",
    "Pemasaran Digital",
    "Pengelolaan Keuangan Kelompok",
    "Penyusunan Proposal Program",
    "Kepemimpinan dan Organisasi",
    "Kesehatan Masyarakat",
    "Pengelolaan Sampah",
    "Literasi Digital",
    "Peningkatan Kapasitas Kader",
]
VENUES = [
    "Aula Kantor Kecamatan {kecamatan}",
    "Balai Pertemuan {kecamatan}",
    "Gedung Serbaguna {kecamatan}",
    "Aula Dinas PMPD",
    "Hotel {kecamatan} Indah",
]


class BulkWriter:
    """Inserts rows fast: COPY on PostgreSQL (psycopg 3), batched INSERTs elsewhere.

    Rows are tuples of Python values in the order of `names` (attnames of the model's
    fields). Not bulk_create: it would overwrite the dates of auto_now_add fields with now.
    `rows` may be a generator, but one that never queries: the connection is busy copying.
    """

    BATCH = 5_000
    REPORT_EVERY = 25_000

    def __init__(self, *, stdout, show_progress):
        self.stdout = stdout
        self.show_progress = show_progress
        self.use_copy = connection.vendor == "postgresql"
        self.counts = Counter()

    def write(self, model, names, rows, *, label, total=None):
        fields = [model._meta.get_field(name) for name in names]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(field.column) for field in fields)
        started = time.monotonic()
        count = 0
        with connection.cursor() as cursor:
            if self.use_copy:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                        if count % self.REPORT_EVERY == 0:
                            self._progress(label, count, total)
            else:
                prepare = [field.get_db_prep_save for field in fields]
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
                for batch in itertools.batched(rows, self.BATCH):
                    cursor.executemany(
                        sql,
                        [
                            [
                                to_db(value, connection)
                                for to_db, value in zip(prepare, row, strict=True)
                            ]
                            for row in batch
                        ],
                    )
                    count += len(batch)
                    self._progress(label, count, total)
        self.counts[model] += count
        if self.show_progress:
            sys.stderr.write("\r\033[K")
        self.stdout.write(f"  {label}: {count:,} in {time.monotonic() - started:.1f} s")
        return count

    def _progress(self, label, count, total):
        if self.show_progress:
            of = f"/{total:,}" if total else ""
            sys.stderr.write(f"\r\033[K  {label}: {count:,}{of}")
            sys.stderr.flush()


def random_hex(count, length):
    """`count` random hex strings of `length` digits, from one read of the OS's randomness."""
    block = os.urandom(count * length // 2 + 1).hex()
    return [block[start : start + length] for start in range(0, count * length, length)]


def uuid4_strings(count):
    """Random (version 4) UUIDs as text, unique whatever --seed says, in increasing order.

    Sorted so that rows written in order of their primary key add to the unique index at its
    right edge, which PostgreSQL does without searching the tree; the values stay random.
    """
    uuids = []
    for digits in random_hex(count, 32):
        variant = "89ab"[int(digits[16], 16) & 3]
        uuids.append(
            f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"
        )
    uuids.sort()
    return uuids


def certificate_codes(count):
    """Like trainings.models.new_certificate_code: 96 random bits, URL-safe (16 characters).

    Sorted, like uuid4_strings, for the unique index.
    """
    block = base64.urlsafe_b64encode(os.urandom(12 * count)).decode()
    return sorted(block[start : start + 16] for start in range(0, 16 * count, 16))


def moment(seconds):
    return datetime.fromtimestamp(seconds, UTC)


def local_date(seconds):
    return datetime.fromtimestamp(seconds, WITA).date()


def next_ids(model, count):
    """Primary keys for `count` new rows, after the largest one in the table."""
    start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return range(start, start + count)


def short_place(name):
    for prefix in ("Kabupaten ", "Kota ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class Territory:
    """The active regions as index-linked lists: kelurahan → kecamatan → kota → provinsi."""

    def __init__(self):
        rows = Region.objects.active().values_list("code", "name", "level", "kind", "parent_id")
        by_level = defaultdict(list)
        for row in rows:
            by_level[row[2]].append(row)
        provinces = sorted(by_level[1])
        self.province_codes = [code for code, *_rest in provinces]
        self.province_names = [name for _code, name, *_rest in provinces]
        province_index = {code: index for index, code in enumerate(self.province_codes)}
        self.kota_codes, self.kota_names, self.kota_province = [], [], []
        for code, name, _level, _kind, parent in sorted(by_level[2]):
            if parent in province_index:
                self.kota_codes.append(code)
                self.kota_names.append(name)
                self.kota_province.append(province_index[parent])
        kota_index = {code: index for index, code in enumerate(self.kota_codes)}
        self.kecamatan_codes, self.kecamatan_names, self.kecamatan_kota = [], [], []
        for code, name, _level, _kind, parent in sorted(by_level[3]):
            if parent in kota_index:
                self.kecamatan_codes.append(code)
                self.kecamatan_names.append(name)
                self.kecamatan_kota.append(kota_index[parent])
        kecamatan_index = {code: index for index, code in enumerate(self.kecamatan_codes)}
        self.kelurahan_codes, self.kelurahan_names, self.kelurahan_kecamatan = [], [], []
        self.kelurahan_is_desa = []
        self.kecamatan_kelurahan = [[] for _ in self.kecamatan_codes]
        for code, name, _level, kind, parent in sorted(by_level[4]):
            if parent in kecamatan_index:
                index = len(self.kelurahan_codes)
                self.kelurahan_codes.append(code)
                self.kelurahan_names.append(name)
                self.kelurahan_kecamatan.append(kecamatan_index[parent])
                self.kelurahan_is_desa.append(kind != Region.Kind.KELURAHAN)
                self.kecamatan_kelurahan[kecamatan_index[parent]].append(index)

    def kota_of_kelurahan(self, kelurahan):
        return self.kecamatan_kota[self.kelurahan_kecamatan[kelurahan]]

    def place_name(self, kelurahan):
        word = "Desa" if self.kelurahan_is_desa[kelurahan] else "Kelurahan"
        return f"{word} {self.kelurahan_names[kelurahan]}"


class Seeder:
    def __init__(self, *, seed, sizes, writer, stdout):
        self.seed = seed
        self.sizes = sizes
        self.writer = writer
        self.stdout = stdout
        self.now = time.time()
        self.territory = Territory()
        if not self.territory.kelurahan_codes:
            raise CommandError("The region table holds no active desa/kelurahan to seed.")

    def rng(self, purpose):
        """One generator per purpose: a change in one step leaves the others' data alone."""
        return random.Random(f"{self.seed}:{purpose}")

    def run(self):
        self.bodies = list(Body.objects.active().values_list("pk", "name"))
        self.field_ids = dict(Field.objects.active().values_list("name", "pk"))
        self.topic_ids = list(Topic.objects.active().values_list("pk", flat=True))
        if not self.bodies or not self.field_ids or not self.topic_ids:
            raise CommandError("The lists of bodies, fields and topics are empty: migrate first.")
        self.seed_officials()
        self.seed_cadres()
        self.seed_forums()
        self.seed_cadre_roles_and_events()
        self.seed_proposals()
        self.seed_innovations()
        self.seed_trainings()
        self.seed_signups()

    # --- officials: a coordinator for every kota, Dinas staff for every province ----------

    def seed_officials(self):
        rng = self.rng("officials")
        territory = self.territory
        current = RoleAssignment.objects.current()
        coordinators = dict(
            current.filter(role=Role.CITY_COORDINATOR).values_list("region_id", "user_id")
        )
        staff = dict(current.filter(role=Role.DINAS_STAFF).values_list("region_id", "user_id"))
        new_coordinators = [code for code in territory.kota_codes if code not in coordinators]
        new_staff = [code for code in territory.province_codes if code not in staff]
        people = [(COORDINATOR_EMAIL.format(code), code, False) for code in new_coordinators]
        people += [(STAFF_EMAIL.format(code), code, True) for code in new_staff]
        taken = set(User.objects.filter(email__in=[p[0] for p in people]).values_list("email"))
        if taken:
            raise CommandError(
                f"{len(taken)} seeded official(s) exist without their role; "
                "remove them or their data first."
            )
        ids = next_ids(User, len(people))
        passwords = random_hex(len(people), 40)
        joined = datetime(2024, 1, 2, 9, 0, tzinfo=WITA)
        users, roles = [], []
        for user_id, password, (email, code, is_staff) in zip(ids, passwords, people, strict=True):
            female = rng.random() < 0.5
            given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
            users.append(
                (user_id, "!" + password, None, False, given, rng.choice(FAMILY), is_staff,
                 True, joined, email)
            )  # fmt: skip
            role = Role.DINAS_STAFF if is_staff else Role.CITY_COORDINATOR
            roles.append((user_id, role, code, "", joined.date(), None, True, None, joined, None))
            (staff if is_staff else coordinators)[code] = user_id
        self.writer.write(User, USER_COLUMNS, users, label="officials' accounts")
        self.writer.write(RoleAssignment, ROLE_COLUMNS, roles, label="officials' roles")
        self.coordinator_of_kota = [coordinators.get(code) for code in territory.kota_codes]
        self.staff_of_province = [staff.get(code) for code in territory.province_codes]
        names = User.objects.filter(pk__in=[*coordinators.values(), *staff.values()])
        self.official_names = {user.pk: user.get_full_name() or "" for user in names}

    # --- cadres: accounts, consent, profiles, bodies, fields, training needs ---------------

    def seed_cadres(self):
        count = self.sizes["cadres"]
        rng = self.rng("cadres")
        territory = self.territory
        everywhere = list(range(len(territory.kelurahan_codes)))
        cum_weights = self._kelurahan_weights()
        if count < len(everywhere):
            kelurahan_of = rng.choices(everywhere, cum_weights=cum_weights, k=count)
        else:
            # Every kelurahan has a cadre or more; the rest go by the weights.
            kelurahan_of = everywhere + rng.choices(
                everywhere, cum_weights=cum_weights, k=count - len(everywhere)
            )
            rng.shuffle(kelurahan_of)
        self.kelurahan = array("i", kelurahan_of)
        self.female = array("b", bytes(count))
        self.name_code = array("i", bytes(4 * count))
        self.created = array("d", bytes(8 * count))
        self.decided = array("d", bytes(8 * count))
        self.ended = array("d", bytes(8 * count))
        self.status = array("b", bytes(count))  # an index into STATUS_CODES
        self.bodies_mask = array("i", bytes(4 * count))
        self.reason = array("b", bytes(count))  # an index into REJECTION_REASONS
        span = self.now - DAY - PORTAL_START
        # The hot loop of the command: plain rand() arithmetic rather than randrange & co.
        rand, expovariate = rng.random, rng.expovariate
        now, female_names, male_names = self.now, len(GIVEN_FEMALE), len(GIVEN_MALE)
        body_masks = self._body_masks(rng)
        for index in range(count):
            # Sign-ups grow over time: more people joined last month than in the first one.
            created = PORTAL_START + span * ((index + rand()) / count) ** 0.5
            self.created[index] = created
            female = rand() < FEMALE
            self.female[index] = female
            given = int(rand() * (female_names if female else male_names))
            self.name_code[index] = given * 256 + int(rand() * len(FAMILY))
            self.bodies_mask[index] = body_masks[int(rand() * len(body_masks))]
            decided = created + expovariate(1 / DECISION_DAYS) * DAY
            if decided >= now or rand() < STALE_WAITING:
                continue  # waiting, the zero of every array
            self.decided[index] = decided
            if rand() < REJECTED:
                self.status[index] = REJECTED_STATUS
                self.reason[index] = int(rand() * len(REJECTION_REASONS))
                continue
            self.status[index] = VERIFIED
            ended = decided + (30 + rand() * 670) * DAY
            if rand() < STEPPED_DOWN and ended < now:
                self.status[index] = INACTIVE
                self.ended[index] = ended
        self.user_ids = next_ids(User, count)
        self.profile_ids = next_ids(CadreProfile, count)
        self.first_email_number = self._first_email_number()
        self.taken_niks = set(CadreProfile.objects.exclude(nik=None).values_list("nik", flat=True))
        self.writer.write(User, USER_COLUMNS, self._users(), label="cadre accounts", total=count)
        self.writer.write(
            ConsentRecord, CONSENT_COLUMNS, self._consents(), label="consents", total=count
        )
        self.writer.write(
            CadreProfile, PROFILE_COLUMNS, self._profiles(), label="cadre profiles", total=count
        )
        self.writer.write(
            CadreMembership, MEMBERSHIP_COLUMNS, self._memberships(), label="memberships"
        )
        # Both are optional on the form: some cadres tick one or two, some none.
        self.writer.write(
            CadreProfile.fields.through,
            ["cadreprofile_id", "field_id"],
            self._profile_links(list(self.field_ids.values()), "fields", FIELDS_TICKED),
            label="fields of work",
        )
        self.writer.write(
            CadreProfile.training_needs.through,
            ["cadreprofile_id", "topic_id"],
            self._profile_links(self.topic_ids, "needs", NEEDS_TICKED),
            label="training needs",
        )
        # Who can act later: verified cadres by kelurahan, oldest verification first.
        self.verified_in_kelurahan = defaultdict(list)
        for index in sorted(
            (i for i in range(count) if self.status[i] == VERIFIED), key=self.decided.__getitem__
        ):
            self.verified_in_kelurahan[self.kelurahan[index]].append(index)

    def _body_masks(self, rng):
        """Which bodies cadres serve in (a bit per body), drawn ahead by the bodies' weights."""
        weights = [BODY_WEIGHTS.get(name, 3) for _pk, name in self.bodies]
        masks = []
        for _draw in range(4096):
            mask = 0
            for body in rng.choices(range(len(self.bodies)), weights, k=rng.choice(BODY_K)):
                mask |= 1 << body
            masks.append(mask)
        return masks

    def _kelurahan_weights(self):
        """Cumulative weights: uneven villages, and the pilot's shares (PILOT_*_SHARE)."""
        rng = self.rng("weights")
        territory = self.territory
        groups = []
        for code in territory.kelurahan_codes:
            if code.startswith(PILOT_KOTA + "."):
                groups.append(0)
            elif code.startswith(PILOT_PROVINCE + "."):
                groups.append(1)
            else:
                groups.append(2)
        raw = [rng.lognormvariate(0, 0.6) for _ in groups]
        group_total = Counter()
        for group, weight in zip(groups, raw, strict=True):
            group_total[group] += weight
        wanted = {
            0: PILOT_KOTA_SHARE,
            1: PILOT_PROVINCE_SHARE - PILOT_KOTA_SHARE,
            2: 1 - PILOT_PROVINCE_SHARE,
        }
        present = sum(share for group, share in wanted.items() if group_total[group])
        weights = [
            weight * wanted[group] / present / group_total[group]
            for group, weight in zip(groups, raw, strict=True)
        ]
        self.kelurahan_weight = weights
        return list(itertools.accumulate(weights))

    def _first_email_number(self):
        """Cadre emails are numbered on from the last seeded one (--force appends)."""
        last = User.objects.filter(
            email__startswith="kader", email__endswith="@" + SEED_DOMAIN
        ).aggregate(last=Max("email"))["last"]
        return int(last.removeprefix("kader").partition("@")[0]) + 1 if last else 1

    def full_name(self, index):
        given, family = divmod(self.name_code[index], 256)
        names = GIVEN_FEMALE if self.female[index] else GIVEN_MALE
        return f"{names[given]} {FAMILY[family]}"

    def _users(self):
        rand = self.rng("users").random
        now, first = self.now, self.first_email_number
        passwords = random_hex(len(self.user_ids), 40)
        for index, user_id in enumerate(self.user_ids):
            created = self.created[index]
            last_login = None
            if rand() < 0.6:
                last_login = moment(created + rand() * (now - created))
            yield (
                user_id, "!" + passwords[index], last_login, False, "", "", False, True,
                moment(created - 600), CADRE_EMAIL.format(first + index),
            )  # fmt: skip

    def _consents(self):
        for index, user_id in enumerate(self.user_ids):
            yield (user_id, CONSENT_VERSION, moment(self.created[index] - 300), None, None)

    def _profiles(self):
        rng = self.rng("profiles")
        rand = rng.random
        territory = self.territory
        taken = self.taken_niks
        serials = {}
        public_ids = uuid4_strings(len(self.profile_ids))
        education = [level for level, weight in EDUCATION for _share in range(weight)]
        kecamatan_digits = [code.replace(".", "") for code in territory.kecamatan_codes]
        kota_places = [short_place(name) for name in territory.kota_names]
        places = [territory.place_name(index) for index in range(len(territory.kelurahan_codes))]
        for index, profile_id in enumerate(self.profile_ids):
            kelurahan = self.kelurahan[index]
            kecamatan = territory.kelurahan_kecamatan[kelurahan]
            created = self.created[index]
            female = self.female[index]
            # 18 to 62 years old when they signed up.
            days = int(created + 8 * HOUR) // int(DAY) + EPOCH_ORDINAL
            birth = date.fromordinal(days - 6570 - int(rand() * 16060))
            prefix = (
                f"{kecamatan_digits[kecamatan]}{birth.day + 40 * female:02d}"
                f"{birth.month:02d}{birth.year % 100:02d}"
            )
            serial = serials.get(prefix, 0) + 1
            while f"{prefix}{serial:04d}" in taken:
                serial += 1
            if serial > 9999:
                raise CommandError(f"No NIK serial left for {prefix}: seed fewer cadres.")
            serials[prefix] = serial
            status = self.status[index]
            last_change = self.ended[index] or self.decided[index] or created
            if rand() < 0.8:
                place = kota_places[territory.kecamatan_kota[kecamatan]]
            else:
                place = kota_places[int(rand() * len(kota_places))]
            yield (
                profile_id,
                public_ids[index],
                self.user_ids[index],
                self.full_name(index),
                f"{prefix}{serial:04d}",
                "P" if female else "L",
                place,
                birth,
                f"+62{PHONE_PREFIXES[int(rand() * len(PHONE_PREFIXES))]}"
                f"{int(rand() * 100_000_000):08d}",
                f"Jl. {STREETS[int(rand() * len(STREETS))]} No. {1 + int(rand() * 250)}, "
                f"RT {1 + int(rand() * 40):03d}/RW {1 + int(rand() * 12):03d}, "
                f"{places[kelurahan]}",
                territory.kelurahan_codes[kelurahan],
                education[int(rand() * len(education))],
                ", ".join(rng.sample(SKILLS, 2)) if rand() < 0.3 else "",
                STATUS_CODES[status],
                REJECTION_REASONS[self.reason[index]] if status == REJECTED_STATUS else "",
                None,
                moment(created),
                moment(last_change),
            )

    def _memberships(self):
        rand = self.rng("memberships").random
        bodies = [(bit, body_id) for bit, (body_id, _name) in enumerate(self.bodies)]
        for index, profile_id in enumerate(self.profile_ids):
            mask = self.bodies_mask[index]
            years = int(self.created[index] // (365.25 * DAY)) + 1970 - 2004
            for bit, body_id in bodies:
                if mask >> bit & 1:
                    position = BODY_POSITIONS[int(rand() * len(BODY_POSITIONS))]
                    yield (profile_id, body_id, position, 2005 + int(rand() * years))

    def _profile_links(self, targets, purpose, how_many):
        rng = self.rng(purpose)
        rand = rng.random
        # Combinations drawn ahead, then one picked per cadre: sample() a million times is slow.
        combinations = [
            rng.sample(targets, min(rng.choice(how_many), len(targets))) for _draw in range(4096)
        ]
        for profile_id in self.profile_ids:
            for target in combinations[int(rand() * 4096)]:
                yield (profile_id, target)

    # --- forums: SK, officers, members ---------------------------------------------------

    def seed_forums(self):
        rng = self.rng("forums")
        territory = self.territory
        existing = set(Forum.objects.values_list("region_id", flat=True))
        existing |= set(
            RoleAssignment.objects.current()
            .filter(role=Role.FORUM_OFFICER)
            .values_list("region_id", flat=True)
        )
        forums, roles, events, members = [], [], [], []
        self.officers = {}  # region code → {position: cadre index}
        verified_in_kecamatan = defaultdict(list)
        for kelurahan, cadres in self.verified_in_kelurahan.items():
            verified_in_kecamatan[territory.kelurahan_kecamatan[kelurahan]].extend(cadres)

        def found(code, kota, candidates, formed, member_pool):
            if code in existing or not candidates:
                return
            positions = [Position.KETUA, Position.SEKRETARIS, Position.BENDAHARA]
            if rng.random() < 0.5:
                positions.append(Position.WAKIL_KETUA)
            with_sk = formed or rng.random() < 0.5
            if not formed and with_sk:
                positions.remove(Position.KETUA)  # under way: an SK, no ketua yet
            chosen = rng.sample(candidates, min(len(positions), len(candidates)))
            latest = max(self.decided[index] for index in chosen)
            since = rng.uniform(latest + DAY, self.now) if latest + DAY < self.now else self.now
            sk_date = local_date(since)
            coordinator = self.coordinator_of_kota[kota]
            sk_number = f"{rng.randint(1, 400):03d}/SK/FORKOM-KPM/{code}/{sk_date.year}"
            forums.append(
                (code, sk_number if with_sk else "", sk_date if with_sk else None,
                 coordinator if with_sk else None, moment(since))
            )  # fmt: skip
            if with_sk:
                events.append(
                    (code, coordinator, ForumEvent.Kind.SK_RECORDED, None, "",
                     f"{sk_number} ({sk_date.isoformat()})", "", moment(since))
                )  # fmt: skip
            held = self.officers.setdefault(code, {})
            for position, index in zip(positions, chosen, strict=False):
                held[position] = index
                user_id = self.user_ids[index]
                roles.append(
                    (user_id, Role.FORUM_OFFICER, code, position, sk_date, term_end(sk_date),
                     True, coordinator, moment(since), None)
                )  # fmt: skip
                events.append(
                    (code, coordinator, ForumEvent.Kind.OFFICER_APPOINTED, user_id, "",
                     position, "", moment(since + 60))
                )  # fmt: skip
                members.append((code, self.profile_ids[index], sk_date, None))
            if formed:
                chair = self.user_ids[held[Position.KETUA]]
                for index in member_pool:
                    if index not in chosen and rng.random() < FORUM_MEMBERS:
                        joined = max(since, self.decided[index]) + rng.uniform(1, 60) * DAY
                        joined = min(joined, self.now)
                        members.append((code, self.profile_ids[index], local_date(joined), None))
                        events.append(
                            (code, chair, ForumEvent.Kind.MEMBER_ADDED, self.user_ids[index],
                             "", "", "", moment(joined))
                        )  # fmt: skip

        for kecamatan, code in enumerate(territory.kecamatan_codes):
            roll = rng.random()
            pilot = code.startswith(PILOT_KOTA + ".")
            if pilot or roll < FORMED_KECAMATAN + STARTED_KECAMATAN:
                formed = pilot or roll < FORMED_KECAMATAN
                candidates = verified_in_kecamatan.get(kecamatan, [])
                found(code, territory.kecamatan_kota[kecamatan], candidates, formed, [])
        for kelurahan, code in enumerate(territory.kelurahan_codes):
            roll = rng.random()
            pilot = code.startswith(PILOT_KOTA + ".")
            formed_share = FORMED_IN_PILOT_KELURAHAN if pilot else FORMED_KELURAHAN
            if roll < formed_share + STARTED_KELURAHAN:
                candidates = self.verified_in_kelurahan.get(kelurahan, [])
                kota = territory.kota_of_kelurahan(kelurahan)
                found(code, kota, candidates, roll < formed_share, candidates)
        self.writer.write(Forum, FORUM_COLUMNS, forums, label="forums")
        self.writer.write(RoleAssignment, ROLE_COLUMNS, roles, label="forum officers")
        self.writer.write(ForumMember, FORUM_MEMBER_COLUMNS, members, label="forum members")
        self.writer.write(ForumEvent, FORUM_EVENT_COLUMNS, events, label="forum events")

    def officer(self, code, positions=(Position.KETUA, Position.SEKRETARIS)):
        """The cadre index of an officer of the forum of `code`, or None."""
        held = self.officers.get(code, {})
        for position in positions:
            if position in held:
                return held[position]
        return None

    # --- the kader role of verified cadres, and every change of status -------------------

    def seed_cadre_roles_and_events(self):
        self.writer.write(RoleAssignment, ROLE_COLUMNS, self._cadre_roles(), label="cadre roles")
        self.writer.write(
            CadreEvent, CADRE_EVENT_COLUMNS, self._cadre_events(), label="cadre status events"
        )

    def _cadre_roles(self):
        territory = self.territory
        for index, user_id in enumerate(self.user_ids):
            if self.status[index] in (VERIFIED, INACTIVE):
                decided, ended = self.decided[index], self.ended[index]
                yield (
                    user_id, Role.CADRE, territory.kelurahan_codes[self.kelurahan[index]], "",
                    local_date(decided), local_date(ended) if ended else None, not ended, None,
                    moment(decided), moment(ended) if ended else None,
                )  # fmt: skip

    def _verifier(self, index):
        territory = self.territory
        kelurahan = self.kelurahan[index]
        code = territory.kelurahan_codes[kelurahan]
        officer = self.officer(code)
        if officer is None or officer == index:
            kecamatan = territory.kelurahan_kecamatan[kelurahan]
            officer = self.officer(territory.kecamatan_codes[kecamatan])
        if officer is not None and officer != index:
            return self.user_ids[officer]
        return self.coordinator_of_kota[territory.kota_of_kelurahan(kelurahan)]

    def _cadre_events(self):
        for index, profile_id in enumerate(self.profile_ids):
            user_id = self.user_ids[index]
            status = self.status[index]
            yield (profile_id, user_id, "", "waiting", "", moment(self.created[index]))
            if status == WAITING:
                continue
            verifier = self._verifier(index)
            decided = moment(self.decided[index])
            if status == REJECTED_STATUS:
                reason = REJECTION_REASONS[self.reason[index]]
                yield (profile_id, verifier, "waiting", "rejected", reason, decided)
                continue
            yield (profile_id, verifier, "waiting", "verified", "", decided)
            if status == INACTIVE:
                yield (
                    profile_id, user_id, "verified", "inactive", "Mengundurkan diri.",
                    moment(self.ended[index]),
                )  # fmt: skip

    # --- proposals: every state, with their timelines, aids and teams ---------------------

    def seed_proposals(self):
        count = self.sizes["proposals"]
        if not count:
            return
        self.proposal_events, self.proposal_aids, self.proposal_team = [], [], []
        self.accepted = []  # (proposal id, proposer index, location, accepted at)
        rows = self._proposals(next_ids(Proposal, count))
        self.writer.write(Proposal, PROPOSAL_COLUMNS, rows, label="proposals", total=count)
        self.writer.write(
            ProposalEvent, PROPOSAL_EVENT_COLUMNS, self.proposal_events, label="proposal events"
        )
        self.writer.write(ProposalAid, AID_COLUMNS, self.proposal_aids, label="aids asked for")
        self.writer.write(
            Proposal.team.through,
            ["proposal_id", "cadreprofile_id"],
            self.proposal_team,
            label="proposal teams",
        )
        del self.proposal_events, self.proposal_aids, self.proposal_team

    def _proposals(self, ids):
        rng = self.rng("proposals")
        territory = self.territory
        verified = [index for cadres in self.verified_in_kelurahan.values() for index in cadres]
        if not verified:
            raise CommandError("No verified cadre to make proposals: seed more cadres.")
        # Proposals that a kecamatan forum decided on come from kecamatan with officers.
        reviewed = [index for index in verified if self._kecamatan_officer(index) is not None]
        states, state_weights = zip(*PROPOSAL_STATES.items(), strict=True)
        field_by_name = self.field_ids
        public_ids = uuid4_strings(len(ids))
        for number, proposal_id in enumerate(ids):
            moves = self._moves(rng, rng.choices(states, state_weights)[0])
            needs_review = any(before == "submitted" for before, _after in moves)
            proposer = rng.choice(reviewed if needs_review and reviewed else verified)
            kelurahan = self.kelurahan[proposer]
            kecamatan = territory.kelurahan_kecamatan[kelurahan]
            if rng.random() < 0.2:
                location = rng.choice(territory.kecamatan_kelurahan[kecamatan])
            else:
                location = kelurahan
            start = self.decided[proposer] + DAY
            created = rng.uniform(start, self.now - HOUR) if start < self.now - HOUR else start
            gaps = [rng.expovariate(1 / STEP_DAYS) * DAY for _move in moves]
            room = self.now - 60 - created
            if sum(gaps) > room:
                gaps = [gap * max(room, 0) / sum(gaps) for gap in gaps]
            activity, field_name = rng.choice(ACTIVITIES)
            target = rng.choice(TARGET_GROUPS)
            place = territory.place_name(location)
            proposer_user = self.user_ids[proposer]
            proposer_name = self.full_name(proposer)
            self.proposal_events.append(
                (proposal_id, proposer_user, proposer_name, Role.CADRE, "", "draft", "",
                 moment(created), None)
            )  # fmt: skip
            at, first_submitted, state, returned_from = created, None, "draft", ""
            for (before, after), gap in zip(moves, gaps, strict=True):
                at += gap
                actor, role = self._proposal_actor(before, after, proposer, location)
                name = proposer_name if actor == proposer_user else self._name_of(actor)
                note = rng.choice(NOTES[after]) if after in NOTES else ""
                self.proposal_events.append(
                    (proposal_id, actor, name, role, before, after, note, moment(at), None)
                )
                if after == "submitted" and first_submitted is None:
                    first_submitted = at
                state, returned_from = after, (before if after == "returned" else "")
            if state == "accepted":
                self.accepted.append((proposal_id, proposer, location, at))
            for kind in rng.sample(AID_KINDS, rng.choice((1, 1, 2, 2, 3))):
                amount = None
                if kind in {AidKind.GOVERNMENT, AidKind.CSR, AidKind.BANK_LOAN}:
                    amount = rng.randint(10, 500) * 100_000
                self.proposal_aids.append((proposal_id, kind, amount, AID_NOTES[kind]))
            if rng.random() < TEAM:
                others = [i for i in self.verified_in_kelurahan[kelurahan][:50] if i != proposer]
                for member in rng.sample(others, min(len(others), rng.choice((1, 2)))):
                    self.proposal_team.append((proposal_id, self.profile_ids[member]))
            starts_on = local_date(created) + timedelta(days=rng.randint(30, 120))
            beneficiaries = rng.randint(10, 500)
            yield (
                proposal_id,
                public_ids[number],
                self.profile_ids[proposer],
                f"{activity} bagi {target} {place}"[:200],
                f"{activity} untuk {beneficiaries} {target} di {place}.",
                f"Banyak {target} di {place} belum memiliki keterampilan dan penghasilan tetap.",
                "Pelatih, peralatan, bahan praktik dan tempat kegiatan.",
                "Kader terlatih dan balai pertemuan kelurahan." if rng.random() < 0.6 else "",
                f"{target.capitalize()} mampu mandiri dan saling berbagi ilmu.",
                "Sosialisasi, pelatihan, praktik bersama, pendampingan dan evaluasi.",
                target,
                beneficiaries,
                territory.kelurahan_codes[location],
                field_by_name.get(field_name),
                starts_on,
                starts_on + timedelta(days=rng.randint(30, 365)),
                rng.randint(10, 500) * 500_000,
                state,
                returned_from,
                moment(created),
                moment(at),
                moment(first_submitted) if first_submitted else None,
                moment(at),
            )

    @staticmethod
    def _moves(rng, final):
        """The (from, to) moves that take a new draft to `final`, as the services allow."""
        forward = ["draft", "submitted", "recommended", "escalated", "accepted"]
        if final in forward:
            stop = final
        elif final == "withdrawn":
            stop = rng.choice(forward[:4])
        else:  # declined or returned at one of the three review steps
            stop = rng.choice(forward[1:4])
        path = forward[: forward.index(stop) + 1]
        moves = list(itertools.pairwise(path))
        if final not in forward:
            moves.append((stop, final))
        if moves and moves[0] == ("draft", "submitted") and rng.random() < REVISED:
            moves[1:1] = [("submitted", "returned"), ("returned", "submitted")]
        return moves

    def _kecamatan_officer(self, index, besides=None):
        territory = self.territory
        code = territory.kecamatan_codes[territory.kelurahan_kecamatan[self.kelurahan[index]]]
        officer = self.officer(code)
        if officer is not None and officer == besides:
            officer = self.officer(code, (Position.SEKRETARIS, Position.BENDAHARA))
        return officer

    def _proposal_actor(self, before, after, proposer, location):
        """Who made a move, and as what: the proposer, or the reviewer of the step."""
        territory = self.territory
        if before in ("draft", "returned") or after == "withdrawn":
            return self.user_ids[proposer], Role.CADRE
        if before == "submitted":
            officer = self._kecamatan_officer(proposer, besides=proposer)
            return (self.user_ids[officer] if officer is not None else None), Role.FORUM_OFFICER
        kota = territory.kota_of_kelurahan(location)
        if before == "recommended":
            return self.coordinator_of_kota[kota], Role.CITY_COORDINATOR
        return self.staff_of_province[territory.kota_province[kota]], Role.DINAS_STAFF

    def _name_of(self, user_id):
        """A name as the timeline shows it: the cadre's name, or the official's."""
        if user_id is None:
            return ""
        if user_id in self.official_names:
            return self.official_names[user_id]
        return self.full_name(user_id - self.user_ids.start)

    # --- innovations: recorded, published by an officer, channelled by the coordinator ----

    def seed_innovations(self):
        count = self.sizes["innovations"]
        if not count:
            return
        self.innovation_events, self.innovation_cadres = [], []
        self.writer.write(
            Innovation,
            INNOVATION_COLUMNS,
            self._innovations(next_ids(Innovation, count)),
            label="innovations",
            total=count,
        )
        self.writer.write(
            InnovationEvent,
            INNOVATION_EVENT_COLUMNS,
            self.innovation_events,
            label="innovation events",
        )
        self.writer.write(
            Innovation.cadres.through,
            ["innovation_id", "cadreprofile_id"],
            self.innovation_cadres,
            label="cadres behind innovations",
        )
        del self.innovation_events, self.innovation_cadres

    def _innovations(self, ids):
        rng = self.rng("innovations")
        territory = self.territory
        verified = [index for cadres in self.verified_in_kelurahan.values() for index in cadres]
        if not verified:
            raise CommandError("No verified cadre to record innovations: seed more cadres.")
        accepted = getattr(self, "accepted", [])
        public_ids = uuid4_strings(len(ids))
        field_ids = list(self.field_ids.values())
        for number, innovation_id in enumerate(ids):
            proposal_id = None
            if accepted and rng.random() < FROM_PROPOSAL:
                proposal_id, recorder, kelurahan, since = rng.choice(accepted)
            else:
                recorder = rng.choice(verified)
                kelurahan, since = self.kelurahan[recorder], self.decided[recorder]
            created = rng.uniform(since, self.now) if since < self.now else self.now
            code = territory.kelurahan_codes[kelurahan]
            user_id = self.user_ids[recorder]
            self.innovation_events.append(
                (innovation_id, user_id, self.full_name(recorder), Role.CADRE,
                 InnovationEvent.Kind.RECORDED, "", moment(created))
            )  # fmt: skip
            self.innovation_cadres.append((innovation_id, self.profile_ids[recorder]))
            publisher = self.officer(code, tuple(Position))
            if publisher is None or publisher == recorder:
                publisher = self._kecamatan_officer(recorder, besides=recorder)
            published = channelled = None
            if publisher is not None and publisher != recorder and rng.random() < PUBLISHED:
                published = min(created + rng.expovariate(1 / 10) * DAY, self.now)
                self.innovation_events.append(
                    (innovation_id, self.user_ids[publisher], self.full_name(publisher),
                     Role.FORUM_OFFICER, InnovationEvent.Kind.PUBLISHED, "", moment(published))
                )  # fmt: skip
                coordinator = self.coordinator_of_kota[territory.kota_of_kelurahan(kelurahan)]
                if coordinator is not None and rng.random() < CHANNELLED:
                    channelled = min(published + rng.expovariate(1 / 20) * DAY, self.now)
                    self.innovation_events.append(
                        (innovation_id, coordinator, self._name_of(coordinator),
                         Role.CITY_COORDINATOR, InnovationEvent.Kind.CHANNELLED, "",
                         moment(channelled))
                    )  # fmt: skip
            title = rng.choice(INNOVATIONS)
            yield (
                innovation_id,
                public_ids[number],
                self.profile_ids[recorder],
                f"{title} di {territory.place_name(kelurahan)}"[:200],
                f"{title}: dibuat bersama warga {territory.place_name(kelurahan)}.",
                rng.choice(field_ids),
                code,
                "Sudah dipakai warga selama beberapa bulan.",
                "Warga lebih mandiri dan biaya berkurang.",
                proposal_id,
                "published" if published else "recorded",
                moment(created),
                moment(published) if published else None,
                moment(channelled) if channelled else None,
            )

    # --- trainings: the catalogue, from last year's to next half-year's -------------------

    def seed_trainings(self):
        count = self.sizes["trainings"]
        self.trainings, self.training_events = [], []
        if not count:
            return
        rng = self.rng("trainings")
        territory = self.territory
        kecamatan_weight = [0.0] * len(territory.kecamatan_codes)
        for kelurahan, weight in enumerate(self.kelurahan_weight):
            kecamatan_weight[territory.kelurahan_kecamatan[kelurahan]] += weight
        venues = rng.choices(
            range(len(kecamatan_weight)), cum_weights=list(itertools.accumulate(kecamatan_weight)),
            k=count,
        )  # fmt: skip
        batches = Counter()
        rows, topics, bodies, events = [], [], [], []
        ahead = self.now + TRAININGS_AHEAD_DAYS * DAY
        for training_id, kecamatan in zip(next_ids(Training, count), venues, strict=True):
            kota = territory.kecamatan_kota[kecamatan]
            province = territory.kota_province[kota]
            staff = self.staff_of_province[province]
            # At 08:00 WITA, like TRAININGS_FROM, on a day until half a year ahead.
            starts = TRAININGS_FROM + rng.randrange(int((ahead - TRAININGS_FROM) // DAY)) * DAY
            ends = starts + (rng.choice((1, 1, 2, 3)) - 1) * DAY + 8 * HOUR
            opens = starts - rng.randint(21, 45) * DAY
            closes = starts - rng.randint(1, 3) * DAY + 8 * HOUR
            created = min(opens - rng.randint(3, 20) * DAY, self.now - DAY)
            if starts <= self.now:
                state = rng.choices(("finished", "cancelled", "published"), (85, 5, 10))[0]
            else:
                state = rng.choices(("published", "draft", "cancelled"), (80, 15, 5))[0]
            if state == "published" and opens > self.now:
                state = "draft" if rng.random() < 0.5 else "published"
            topic = rng.randrange(len(TRAINING_TOPICS))
            batches[topic, province] += 1
            capacity = rng.choice((20, 25, 30, 30, 40, 40, 50, 60, 80))
            one_body = rng.randrange(len(self.bodies)) if rng.random() < ONE_BODY_ONLY else None
            organiser = rng.choice(
                (
                    f"Dinas PMPD Provinsi {territory.province_names[province]}",
                    f"Dinsos-PM {territory.kota_names[kota]}",
                    f"Forkom KPM Kecamatan {territory.kecamatan_names[kecamatan]}",
                )
            )
            rows.append(
                (training_id,
                 f"Pelatihan {TRAINING_TOPICS[topic]} Angkatan {batches[topic, province]}",
                 f"Pelatihan {TRAINING_TOPICS[topic].lower()} bagi kader pemberdayaan "
                 "masyarakat, dengan praktik dan pendampingan.",
                 organiser[:200],
                 rng.choice(VENUES).format(kecamatan=territory.kecamatan_names[kecamatan])[:200],
                 territory.kecamatan_codes[kecamatan], moment(starts), moment(ends), capacity,
                 moment(opens), moment(closes), state, moment(created))
            )  # fmt: skip
            for topic_id in rng.sample(self.topic_ids, min(2, len(self.topic_ids))):
                topics.append((training_id, topic_id))
            if one_body is not None:
                bodies.append((training_id, self.bodies[one_body][0]))
            events.append((training_id, None, staff, "created", "", "draft", "", moment(created)))
            # A training cancelled before its registration opened was still a draft.
            was_published = state != "draft" and (state != "cancelled" or opens <= self.now)
            last_change = created
            if was_published:
                last_change = min(
                    created + rng.uniform(1, 10) * DAY, opens - HOUR, self.now - HOUR
                )
                events.append(
                    (training_id, None, staff, "published", "draft", "published", "",
                     moment(last_change))
                )  # fmt: skip
            if state == "cancelled":
                at = rng.uniform(last_change, max(min(starts, self.now), last_change))
                before = "published" if was_published else "draft"
                events.append(
                    (training_id, None, staff, "cancelled", before, "cancelled",
                     "Narasumber berhalangan.", moment(at))
                )  # fmt: skip
            if state == "finished":
                events.append(
                    (training_id, None, staff, "finished", "published", "finished", "",
                     moment(min(ends + 2 * HOUR, self.now)))
                )  # fmt: skip
            self.trainings.append(
                (training_id, kota, starts, ends, capacity, opens, closes, state, one_body, staff)
            )
        self.writer.write(Training, TRAINING_COLUMNS, rows, label="trainings", total=count)
        self.writer.write(
            Training.topics.through, ["training_id", "topic_id"], topics, label="training topics"
        )
        self.writer.write(
            Training.eligible_bodies.through,
            ["training_id", "body_id"],
            bodies,
            label="eligible bodies",
        )
        self.training_events = events

    # --- sign-ups: seats, the waitlist, cancellations, promotions, attendance -------------

    def seed_signups(self):
        count = self.sizes["signups"]
        events = self.training_events
        if count and self.trainings:
            rng = self.rng("signups")
            plans = self._plan_signups(rng, count)
            total = sum(len(chosen) for _training, chosen in plans)
            if total < count:
                self.stdout.write(
                    f"  Only {total:,} of {count:,} sign-ups fit: too few verified cadres near "
                    "the trainings whose registration has opened."
                )
            self.writer.write(
                Registration,
                REGISTRATION_COLUMNS,
                self._registrations(rng, plans, next_ids(Registration, total), events),
                label="sign-ups",
                total=total,
            )
        self.writer.write(TrainingEvent, TRAINING_EVENT_COLUMNS, events, label="training events")

    def _plan_signups(self, rng, count):
        """Which verified cadres sign up for which training: (training, [cadre indices])."""
        territory = self.territory
        by_kota = defaultdict(list)
        for kelurahan, cadres in self.verified_in_kelurahan.items():
            by_kota[territory.kota_of_kelurahan(kelurahan)].extend(cadres)
        decided_in_kota = {}
        for kota, cadres in by_kota.items():
            cadres.sort(key=self.decided.__getitem__)
            decided_in_kota[kota] = [self.decided[index] for index in cadres]
        pools, weights = [], []
        for training in self.trainings:
            _id, kota, _starts, _ends, capacity, opens, closes, state, one_body, _staff = training
            if state == "draft" or opens > self.now or kota not in by_kota:
                continue
            # Cadres verified an hour before registration closed (or before now) may sign up.
            last = min(closes, self.now) - HOUR
            pool = by_kota[kota][: bisect.bisect_left(decided_in_kota[kota], last)]
            if one_body is not None:
                pool = [index for index in pool if self.bodies_mask[index] >> one_body & 1]
            if pool:
                pools.append((training, pool))
                weights.append(capacity * rng.lognormvariate(0, 0.5))
        wanted = [0] * len(pools)
        remaining, open_ = count, list(range(len(pools)))
        while remaining and open_:
            for choice in rng.choices(open_, [weights[i] for i in open_], k=remaining):
                if wanted[choice] < len(pools[choice][1]):
                    wanted[choice] += 1
                    remaining -= 1
            open_ = [i for i in open_ if wanted[i] < len(pools[i][1])]
        return [
            (training, [pool[i] for i in rng.sample(range(len(pool)), wanted[number])])
            for number, (training, pool) in enumerate(pools)
            if wanted[number]
        ]

    def _registrations(self, rng, plans, ids, events):
        codes = iter(certificate_codes(len(ids)))
        ids = iter(ids)
        for training, chosen in plans:
            training_id, _kota, starts, ends, capacity, opens, closes, state, _body, staff = (
                training
            )
            until = min(closes, self.now)
            timeline = []
            rows = {}
            for index in chosen:
                registration_id = next(ids)
                signed_up = rng.uniform(max(opens, self.decided[index] + HOUR), until)
                rows[registration_id] = [index, "", signed_up, None]
                timeline.append((signed_up, 0, registration_id))
                last_chance = min(starts, self.now)
                if rng.random() < CANCELLED_SIGNUP and last_chance > signed_up:
                    timeline.append((rng.uniform(signed_up, last_chance), 1, registration_id))
            timeline.sort()
            seated, queue = 0, deque()
            for at, kind, registration_id in timeline:
                row = rows[registration_id]
                user_id = self.user_ids[row[0]]
                if kind == 0:
                    row[1] = "registered" if seated < capacity and not queue else "waitlisted"
                    if row[1] == "registered":
                        seated += 1
                    else:
                        queue.append(registration_id)
                    events.append(
                        (training_id, registration_id, user_id, row[1], "", row[1], "",
                         moment(at))
                    )  # fmt: skip
                    continue
                before, row[1], row[3] = row[1], "cancelled", at
                events.append(
                    (training_id, registration_id, user_id, "withdrawn", before, "cancelled",
                     "", moment(at))
                )  # fmt: skip
                if before == "waitlisted":
                    queue.remove(registration_id)
                    continue
                seated -= 1
                while seated < capacity and queue:
                    promoted = queue.popleft()
                    rows[promoted][1] = "registered"
                    seated += 1
                    events.append(
                        (training_id, promoted, user_id, "promoted", "waitlisted",
                         "registered", "", moment(at))
                    )  # fmt: skip
            present = 0
            for registration_id, (index, status, signed_up, cancelled) in rows.items():
                attended = state == "finished" and status == "registered"
                attended = attended and rng.random() < ATTENDED
                present += attended
                reminded = None
                if status == "registered" and starts <= self.now and state != "cancelled":
                    reminded = moment(starts - 20 * HOUR)
                yield (
                    registration_id, training_id, self.profile_ids[index], status, attended,
                    next(codes), reminded, moment(signed_up),
                    moment(cancelled) if cancelled else None,
                )  # fmt: skip
            if state == "finished":
                events.append(
                    (training_id, None, staff, "attendance", "", str(present),
                     f"{present} dari {seated} hadir", moment(min(ends + HOUR, self.now)))
                )  # fmt: skip


WAITING, VERIFIED, REJECTED_STATUS, INACTIVE = range(4)
STATUS_CODES = ("waiting", "verified", "rejected", "inactive")
BODY_K = (1, 1, 1, 1, 1, 1, 2, 2, 2, 3)
FIELDS_TICKED = (0, 1, 1, 2)
NEEDS_TICKED = (0, 0, 1, 1, 2)
AID_KINDS = list(AidKind)
NOTES = {"returned": RETURN_NOTES, "declined": DECLINE_NOTES, "withdrawn": WITHDRAW_NOTES}
AID_NOTES = {
    AidKind.TRAINING: "Pelatihan keterampilan bagi peserta.",
    AidKind.GOVERNMENT: "Bantuan peralatan dan bahan.",
    AidKind.CSR: "Dukungan perusahaan sekitar.",
    AidKind.BANK_LOAN: "Kredit usaha rakyat.",
    AidKind.MENTORING: "Pendampingan selama enam bulan.",
}

USER_COLUMNS = [
    "id", "password", "last_login", "is_superuser", "first_name", "last_name", "is_staff",
    "is_active", "date_joined", "email",
]  # fmt: skip
ROLE_COLUMNS = [
    "user_id", "role", "region_id", "position", "starts_on", "ends_on", "is_active",
    "granted_by_id", "granted_at", "revoked_at",
]  # fmt: skip
CONSENT_COLUMNS = ["user_id", "version", "agreed_at", "withdrawn_at", "recorded_by_id"]
PROFILE_COLUMNS = [
    "id", "public_id", "user_id", "full_name", "nik", "sex", "birth_place", "birth_date",
    "phone", "address", "kelurahan_id", "education", "skills", "status", "rejection_reason",
    "registered_by_id", "created_at", "updated_at",
]  # fmt: skip
MEMBERSHIP_COLUMNS = ["profile_id", "body_id", "position", "since_year"]
FORUM_COLUMNS = ["region_id", "sk_number", "sk_date", "sk_recorded_by_id", "created_at"]
FORUM_EVENT_COLUMNS = [
    "forum_id", "actor_id", "kind", "subject_id", "before", "after", "note", "at",
]  # fmt: skip
FORUM_MEMBER_COLUMNS = ["forum_id", "profile_id", "started_on", "ended_on"]
CADRE_EVENT_COLUMNS = ["profile_id", "actor_id", "before", "after", "note", "at"]
PROPOSAL_COLUMNS = [
    "id", "public_id", "proposer_id", "title", "summary", "problem", "needs", "resources",
    "goals", "activities", "target_group", "beneficiaries", "location_id", "field_id",
    "starts_on", "ends_on", "budget", "state", "returned_from", "created_at", "updated_at",
    "first_submitted_at", "state_changed_at",
]  # fmt: skip
PROPOSAL_EVENT_COLUMNS = [
    "proposal_id", "actor_id", "actor_name", "actor_role", "before", "after", "note",
    "at", "token",
]  # fmt: skip
AID_COLUMNS = ["proposal_id", "kind", "amount", "note"]
INNOVATION_COLUMNS = [
    "id", "public_id", "recorded_by_id", "title", "description", "field_id", "kelurahan_id",
    "results", "impact", "proposal_id", "state", "created_at", "published_at",
    "channelled_at",
]  # fmt: skip
INNOVATION_EVENT_COLUMNS = [
    "innovation_id", "actor_id", "actor_name", "actor_role", "kind", "note", "at",
]  # fmt: skip
TRAINING_COLUMNS = [
    "id", "title", "description", "organiser", "venue", "venue_kecamatan_id", "starts_at",
    "ends_at", "capacity", "registration_opens_at", "registration_closes_at", "state",
    "created_at",
]  # fmt: skip
TRAINING_EVENT_COLUMNS = [
    "training_id", "registration_id", "actor_id", "kind", "before", "after", "note", "at",
]  # fmt: skip
REGISTRATION_COLUMNS = [
    "id", "training_id", "profile_id", "status", "attended", "certificate_code",
    "reminder_sent_at", "created_at", "cancelled_at",
]  # fmt: skip
SEEDED_MODELS = [
    User, RoleAssignment, ConsentRecord, CadreProfile, CadreMembership,
    CadreProfile.fields.through, CadreProfile.training_needs.through, Forum, ForumMember,
    ForumEvent, CadreEvent, Proposal, ProposalEvent, ProposalAid, Proposal.team.through,
    Innovation, InnovationEvent, Innovation.cadres.through, Training, Training.topics.through,
    Training.eligible_bodies.through, Registration, TrainingEvent,
]  # fmt: skip


class DeferredChecks:
    """Build the secondary indexes and check the foreign keys once, after the load.

    What pg_restore does: inside the seed's one transaction, the foreign keys and the
    plain (non-constraint) indexes of the seeded tables are dropped before the COPY and
    created again from their own definitions (`pg_get_constraintdef`, `pg_get_indexdef`)
    after it. Nothing is skipped: re-adding a foreign key checks every row of the table
    with one join, and re-creating a unique index checks uniqueness, so a row that breaks
    either fails the run and the rollback leaves the database as it was. No other
    session sees the tables meanwhile (the DDL holds an exclusive lock until the
    commit). Primary keys and unique constraints stay: other tables' foreign keys
    depend on them, and the seeder's own lookups use them.

    Why: checking 20 million deferred references one trigger at a time at the commit took
    half of the seed (~174 s), and keeping random-key indexes up to date row by row most
    of the rest; one sorted build and one join per table take a fraction of that.
    """

    def __init__(self, models):
        self.tables = [model._meta.db_table for model in models]
        self.foreign_keys = []
        self.indexes = []

    def set_aside(self):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                  FROM pg_constraint c
                 WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
                 ORDER BY c.conrelid::regclass::text, c.conname
                """,
                [self.tables],
            )
            self.foreign_keys = cursor.fetchall()
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                  FROM pg_index i
                 WHERE i.indrelid = ANY(%s::regclass[])
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                 ORDER BY 1
                """,
                [self.tables],
            )
            self.indexes = cursor.fetchall()
            # A table with deferred checks still pending (rows written earlier in the same
            # transaction, as in a test) cannot be altered: run those checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            quote = connection.ops.quote_name
            for table, name, _ in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            for name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {name}")

    def restore(self):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, definition in self.indexes:
                cursor.execute(definition)
            quote = connection.ops.quote_name
            for table, name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")

    def summary(self):
        return f"{len(self.indexes)} indexes, {len(self.foreign_keys)} foreign keys"


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic national-scale data (a million cadres by default) "
        "to measure the portal. Development databases only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cadres", type=int, default=1_000_000, metavar="N")
        parser.add_argument("--proposals", type=int, default=100_000, metavar="N")
        parser.add_argument("--trainings", type=int, default=10_000, metavar="N")
        parser.add_argument("--signups", type=int, default=500_000, metavar="N")
        parser.add_argument("--innovations", type=int, default=10_000, metavar="N")
        parser.add_argument(
            "--regions",
            type=Path,
            default=DEFAULT_REGIONS,
            metavar="PATH",
            help="The Kemendagri region CSV, imported first unless every region in it is "
            "already in the table (default: the national table in ../shared/data).",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed: the same seed, the same data."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seeded data is already there: add another set on top of it (append; "
            "nothing is deleted).",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            help="Run even though DEBUG is off.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "seed_scale writes a million fake people: it runs only with DEBUG=true "
                "(or --i-know-this-is-not-production)."
            )
        sizes = {
            name: options[name]
            for name in ("cadres", "proposals", "trainings", "signups", "innovations")
        }
        negative = [name for name, size in sizes.items() if size < 0]
        if negative:
            raise CommandError(f"--{negative[0]} must be zero or more.")
        if sizes["cadres"] == 0 and any(sizes.values()):
            raise CommandError("Proposals, trainings and sign-ups need cadres: --cadres > 0.")
        started = time.monotonic()
        seeded = User.objects.filter(email__endswith="@" + SEED_DOMAIN).count()
        if seeded and not options["force"]:
            raise CommandError(
                f"Seeded data is already there ({seeded:,} accounts @{SEED_DOMAIN}); nothing "
                "was written. Run with --force to append another set on top of it, or seed "
                "a fresh database."
            )
        if seeded:
            self.stdout.write("Seeded data is already there: appending (--force).")
        self._ensure_regions(options["regions"])
        show_progress = options["verbosity"] >= 1 and sys.stderr.isatty()
        writer = BulkWriter(stdout=self.stdout, show_progress=show_progress)
        self.stdout.write(
            "Seeding "
            + ", ".join(f"{size:,} {name}" for name, size in sizes.items())
            + f" (seed {options['seed']}, {connection.vendor})"
        )
        with transaction.atomic():
            deferred = None
            if connection.vendor == "postgresql":
                self._lock_tables()
                deferred = DeferredChecks(SEEDED_MODELS)
                deferred.set_aside()
            Seeder(seed=options["seed"], sizes=sizes, writer=writer, stdout=self.stdout).run()
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), SEEDED_MODELS):
                    cursor.execute(statement)
            if deferred:
                restoring = time.monotonic()
                deferred.restore()
                self.stdout.write(
                    f"  indexes rebuilt and foreign keys validated ({deferred.summary()}): "
                    f"{time.monotonic() - restoring:.1f} s"
                )
            committing = time.monotonic()
        self.stdout.write(f"  commit: {time.monotonic() - committing:.1f} s")
        analyzing = time.monotonic()
        self._analyze()
        self.stdout.write(f"  vacuum and analyze: {time.monotonic() - analyzing:.1f} s")
        self.stdout.write(
            f"Seeded {sum(writer.counts.values()):,} rows in {time.monotonic() - started:.1f} s."
        )

    def _ensure_regions(self, path):
        """Import the region file unless every region in it is already in the table."""
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                rows, problems = read_rows(lines)
        except FileNotFoundError:
            raise CommandError(f"No region file at {path} (see --regions).") from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        if problems:
            raise CommandError(f"{path}: {len(problems)} bad row(s); nothing was imported.")
        present = dict(Region.objects.values_list("code", "is_active"))
        missing = [code for code in rows if not present.get(code)]
        if not missing:
            self.stdout.write(f"Regions: all {len(rows):,} regions of {path.name} are there.")
            return
        others = [code for code, active in present.items() if active and code not in rows]
        if others:
            raise CommandError(
                f"The region table lacks {len(missing):,} regions of {path} and holds "
                f"{len(others):,} that the file does not: import it with import_regions first."
            )
        started = time.monotonic()
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                result = import_regions(lines)
        except RegionFileError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(f"Regions: {result.summary()} ({time.monotonic() - started:.1f} s)")

    def _lock_tables(self):
        # Keep other writers out while rows go in with the primary keys chosen here.
        tables = ", ".join(
            connection.ops.quote_name(model._meta.db_table) for model in SEEDED_MODELS
        )
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")

    def _analyze(self):
        """Fresh planner statistics (and, on PostgreSQL, visibility maps) for what was written."""
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("ANALYZE")
                return
            # VACUUM cannot run inside a transaction (a test's, say): ANALYZE alone then.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            # The regions too: imported moments ago, autovacuum may not have looked at them yet.
            for model in [Region, *SEEDED_MODELS]:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
