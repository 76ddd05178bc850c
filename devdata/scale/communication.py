"""Announcements and forum meetings at national scale (issue 14): what `make bench` reads
the inbox, an announcement page and a meeting page against.

Every province's Dinas staff and every kota's coordinator have published a public
announcement; the pilot kota's kecamatan forums have one for their cadres only. Formed
kecamatan forums held two meetings in the last four months, with their officers invited and
the minutes published. The pilot kota's and the pilot province's announcements are then
delivered to their addressees' inboxes through the service the worker runs (one INSERT ...
SELECT each); the others stay undelivered (a seed of a million cadres would otherwise write
tens of millions of notifications).
"""

import uuid

from cadres.models import Announcement, Meeting, MeetingInvitation
from devdata.scale.constants import DAY, PILOT_KOTA
from devdata.scale.helpers import moment, next_ids
from forkom.accounts.models import Position

ANNOUNCEMENT_COLUMNS = [
    "id", "public_id", "region_id", "officers_only", "audience", "title", "text", "link",
    "pinned", "state", "author_id", "signed_as", "created_at", "published_at", "edited_at",
    "withdrawn_at", "delivered_to",
]  # fmt: skip
MEETING_COLUMNS = [
    "id", "public_id", "region_id", "title", "agenda", "place", "starts_at", "ends_at",
    "organiser_id", "signed_as", "state", "minutes", "decisions", "minutes_published_at",
    "created_at",
]  # fmt: skip
INVITATION_COLUMNS = [
    "meeting_id", "user_id", "name", "position", "answer", "answered_at", "attended",
]  # fmt: skip
PILOT_PROVINCE = PILOT_KOTA.split(".")[0]
MEETINGS_PER_FORUM = 2


class CommunicationSeeding:
    """A part of devdata.scale.seeder.Seeder."""

    def seed_communication(self):
        rng = self.rng("communication")
        territory = self.territory
        rows = []

        def announce(region, author, signed_as, title, audience="public"):
            published = self.now - rng.uniform(1, 60) * DAY
            rows.append(
                (None, str(uuid.uuid4()), region, False,
                 audience, title, "Kepada seluruh kader: mohon lengkapi profil Anda di portal.",
                 "", False, Announcement.State.PUBLISHED, author, signed_as,
                 moment(published - 3600), moment(published), None, None, 0)
            )  # fmt: skip

        for index, code in enumerate(territory.province_codes):
            staff = self.staff_of_province[index]
            if staff is not None:
                announce(code, staff, "Dinas PMPD", f"Pendataan kader se-provinsi {code}")
        for index, code in enumerate(territory.kota_codes):
            coordinator = self.coordinator_of_kota[index]
            if coordinator is not None:
                name = territory.kota_names[index]
                announce(code, coordinator, f"Koordinator Kota, {name}", f"Rapat kader {name}")
        for kecamatan, code in enumerate(territory.kecamatan_codes):
            officer = self.officer(code)
            if code.startswith(PILOT_KOTA + ".") and officer is not None:
                announce(code, self.user_ids[officer],
                         f"Ketua, Forkom KPM {territory.kecamatan_names[kecamatan]}",
                         "Jadwal Posyandu bulan ini", audience="cadres")  # fmt: skip
        ids = next_ids(Announcement, len(rows))
        rows = [(pk, *row[1:]) for pk, row in zip(ids, rows, strict=True)]
        self.writer.write(Announcement, ANNOUNCEMENT_COLUMNS, rows, label="announcements")
        self.announcement_ids = ids

        meetings, invitations = [], []
        for kecamatan, code in enumerate(territory.kecamatan_codes):
            held = self.officers.get(code, {})
            if Position.KETUA not in held:
                continue  # not formed: no meeting yet
            name = territory.kecamatan_names[kecamatan]
            chair = self.user_ids[held[Position.KETUA]]
            for number in range(MEETINGS_PER_FORUM):
                starts = self.now - rng.uniform(5 + 50 * number, 50 + 50 * number) * DAY
                meetings.append(
                    [None, str(uuid.uuid4()), code,
                     f"Rapat pengurus Forkom KPM {name}", "Laporan kegiatan\nRencana kerja",
                     f"Aula Kecamatan {name}", moment(starts), moment(starts + 7200), chair,
                     f"Ketua, Forkom KPM {name}", Meeting.State.PUBLISHED,
                     "Laporan kegiatan kelurahan diterima.", "Rapat berikutnya bulan depan",
                     moment(starts + 2 * DAY), moment(starts - 7 * DAY)]
                )  # fmt: skip
                meetings[-1].append(held)
        ids = next_ids(Meeting, len(meetings))
        for pk, meeting in zip(ids, meetings, strict=True):
            meeting[0] = pk
            for position, index in meeting.pop().items():
                came = rng.random() < 0.8
                invitations.append(
                    (pk, self.user_ids[index], self.full_name(index), str(position.label),
                     "hadir" if came else "tidak_hadir", meeting[6], came)
                )  # fmt: skip
        self.writer.write(Meeting, MEETING_COLUMNS, meetings, label="meetings")
        self.writer.write(
            MeetingInvitation, INVITATION_COLUMNS, invitations, label="meeting invitations"
        )

    def deliver_pilot_announcements(self):
        """The pilot kota's and province's announcements into their addressees' inboxes."""
        from cadres.announcements import services

        pilot = Announcement.objects.filter(
            pk__in=self.announcement_ids,
            region_id__in=[PILOT_PROVINCE, PILOT_KOTA],
        ) | Announcement.objects.filter(
            pk__in=self.announcement_ids, region__code__startswith=PILOT_KOTA + "."
        )
        for announcement_id in pilot.values_list("pk", flat=True):
            services.deliver(announcement_id)
