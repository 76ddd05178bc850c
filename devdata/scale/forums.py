"""Forums with their SK, officers, members; the kader role and status events."""

from collections import defaultdict

from cadres.forums.services import term_end
from cadres.models import (
    CadreEvent,
    Forum,
    ForumEvent,
    ForumMember,
)
from devdata.scale.columns import (
    CADRE_EVENT_COLUMNS,
    FORUM_COLUMNS,
    FORUM_EVENT_COLUMNS,
    FORUM_MEMBER_COLUMNS,
    ROLE_COLUMNS,
)
from devdata.scale.constants import (
    DAY,
    FORMED_IN_PILOT_KELURAHAN,
    FORMED_KECAMATAN,
    FORMED_KELURAHAN,
    FORUM_MEMBERS,
    PILOT_KOTA,
    STARTED_KECAMATAN,
    STARTED_KELURAHAN,
)
from devdata.scale.helpers import local_date, moment
from devdata.scale.vocabulary import (
    INACTIVE,
    REJECTED_STATUS,
    REJECTION_REASONS,
    VERIFIED,
    WAITING,
)
from forkom.accounts.models import Position, Role, RoleAssignment


class ForumSeeding:
    """A part of devdata.scale.seeder.Seeder."""

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
