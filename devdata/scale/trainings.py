"""Trainings from last year to next half-year, and their sign-ups."""

import bisect
import itertools
from collections import Counter, defaultdict, deque

from django.db import connection

from devdata.scale.columns import REGISTRATION_COLUMNS, TRAINING_COLUMNS, TRAINING_EVENT_COLUMNS
from devdata.scale.constants import (
    ATTENDED,
    CANCELLED_SIGNUP,
    DAY,
    HOUR,
    ONE_BODY_ONLY,
    TRAININGS_AHEAD_DAYS,
    TRAININGS_FROM,
)
from devdata.scale.helpers import certificate_codes, moment, next_ids
from devdata.scale.vocabulary import TRAINING_TOPICS, VENUES
from trainings.models import Registration, Training, TrainingEvent


class TrainingSeeding:
    """A part of devdata.scale.seeder.Seeder."""

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
            self.count_seats_taken()
        self.writer.write(TrainingEvent, TRAINING_EVENT_COLUMNS, events, label="training events")

    def count_seats_taken(self):
        """Store each training's seats taken (Training.seats_taken, which the catalogue reads),
        as the sign-up services would have: one grouped scan of the sign-ups, whose indexes
        are set aside during the load, rather than a count per training."""
        quote = connection.ops.quote_name
        training = quote(Training._meta.db_table)
        seats = quote(Training._meta.get_field("seats_taken").column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {training} SET {seats} = counted.seats
                  FROM (SELECT training_id, count(*) AS seats
                          FROM {quote(Registration._meta.db_table)}
                         WHERE status = %s
                         GROUP BY training_id) AS counted
                 WHERE {training}.id = counted.training_id
                """,
                [Registration.Status.REGISTERED],
            )

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
