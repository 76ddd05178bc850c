"""Proposals in every state with timelines, aids and teams; innovations."""

import itertools
from datetime import timedelta

from django.core.management.base import CommandError

from devdata.scale.columns import (
    AID_COLUMNS,
    INNOVATION_COLUMNS,
    INNOVATION_EVENT_COLUMNS,
    PROPOSAL_COLUMNS,
    PROPOSAL_EVENT_COLUMNS,
)
from devdata.scale.constants import (
    CHANNELLED,
    DAY,
    FROM_PROPOSAL,
    HOUR,
    PROPOSAL_STATES,
    PUBLISHED,
    REVISED,
    STEP_DAYS,
    TEAM,
)
from devdata.scale.helpers import local_date, moment, next_ids, uuid4_strings
from devdata.scale.vocabulary import (
    ACTIVITIES,
    AID_KINDS,
    AID_NOTES,
    INNOVATIONS,
    NOTES,
    TARGET_GROUPS,
)
from forkom.accounts.models import Position, Role
from programs.models import (
    AidKind,
    Innovation,
    InnovationEvent,
    Proposal,
    ProposalAid,
    ProposalEvent,
)


class ProposalSeeding:
    """A part of devdata.scale.seeder.Seeder."""

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
        # Withdrawn, declined or returned at one of the three review steps (a draft is not
        # withdrawn: its proposer discards it, and nothing of it is kept).
        stop = final if final in forward else rng.choice(forward[1:4])
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
