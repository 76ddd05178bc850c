"""Officials and cadres: accounts, consent, profiles, bodies, fields, needs."""

import itertools
from array import array
from collections import Counter, defaultdict
from datetime import date, datetime

from django.core.management.base import CommandError
from django.db.models import Max

from cadres.consent import CONSENT_VERSION
from cadres.models import (
    CadreMembership,
    CadreProfile,
    ConsentRecord,
)
from devdata.scale.columns import (
    CONSENT_COLUMNS,
    MEMBERSHIP_COLUMNS,
    PROFILE_COLUMNS,
    ROLE_COLUMNS,
    USER_COLUMNS,
)
from devdata.scale.constants import (
    CADRE_EMAIL,
    COORDINATOR_EMAIL,
    DAY,
    DECISION_DAYS,
    EPOCH_ORDINAL,
    FEMALE,
    HOUR,
    PILOT_KOTA,
    PILOT_KOTA_SHARE,
    PILOT_PROVINCE,
    PILOT_PROVINCE_SHARE,
    PORTAL_START,
    REJECTED,
    SEED_DOMAIN,
    STAFF_EMAIL,
    STALE_WAITING,
    STEPPED_DOWN,
    WITA,
)
from devdata.scale.helpers import moment, next_ids, random_hex, short_place, uuid4_strings
from devdata.scale.vocabulary import (
    BODY_K,
    BODY_POSITIONS,
    BODY_WEIGHTS,
    EDUCATION,
    FAMILY,
    FIELDS_TICKED,
    GIVEN_FEMALE,
    GIVEN_MALE,
    INACTIVE,
    NEEDS_TICKED,
    PHONE_PREFIXES,
    REJECTED_STATUS,
    REJECTION_REASONS,
    SKILLS,
    STATUS_CODES,
    STREETS,
    VERIFIED,
)
from forkom.accounts.models import Role, RoleAssignment, User


class PeopleSeeding:
    """A part of devdata.scale.seeder.Seeder."""

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
