"""The forum communicating, for the demo: the Koordinator Kota's announcement to every cadre
of Kota Bontang, and a past meeting of the Bontang Barat kecamatan forum with its minutes.

Development only; runs after create_demo_accounts and create_demo_cadres; idempotent (a
second run finds what the first made). Written through the services, so the demo cadres find
both in their inbox once the worker has run.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadres.announcements import services
from cadres.meetings import selectors as meeting_selectors
from cadres.meetings import services as meeting_services
from cadres.models import Announcement, Meeting
from forkom.accounts.models import User
from forkom.territory.models import Region

MEETING_TITLE = "Rapat koordinasi Forkom KPM Kecamatan Bontang Barat"
TITLE = "Pendataan kader Posyandu dan Karang Taruna se-Kota Bontang"
TEXT = (
    "Kepada seluruh kader di Kota Bontang: mohon lengkapi profil kader Anda di portal ini "
    "paling lambat akhir bulan, termasuk lembaga dan jabatan. Forum kelurahan membantu kader "
    "yang belum memiliki email.\n\nDaftar pelatihan terbuka: /pelatihan/"
)


class Command(BaseCommand):
    help = "Create a demo announcement and a past forum meeting (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo announcements exist only in development: set DEBUG=true.")
        coordinator = User.objects.filter(email="koordinator@demo.forkom.id").first()
        if coordinator is None:
            raise CommandError("Run create_demo_accounts first.")
        self.meeting()
        if Announcement.objects.filter(title=TITLE).exists():
            self.stdout.write("The demo announcement is already there.")
            return
        announcement = services.create_draft(
            actor=coordinator,
            region=Region.objects.get(code="64.74"),
            title=TITLE,
            text=TEXT,
            link="/pelatihan/",
            pinned=True,
        )
        services.publish(actor=coordinator, announcement=announcement)
        self.stdout.write("Published the demo announcement of the Koordinator Kota.")

    def meeting(self):
        officer = User.objects.filter(email="pengurus.kecamatan@demo.forkom.id").first()
        if officer is None:
            raise CommandError("Run create_demo_accounts first.")
        if Meeting.objects.filter(title=MEETING_TITLE).exists():
            self.stdout.write("The demo meeting is already there.")
            return
        region = Region.objects.get(code="64.74.03")
        starts = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
        starts -= timedelta(days=10)
        meeting = meeting_services.schedule_meeting(
            actor=officer,
            region=region,
            title=MEETING_TITLE,
            agenda="Laporan kegiatan kelurahan\nRencana pelatihan pemasaran digital\nLain-lain",
            place="Aula Kecamatan Bontang Barat",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            invitee_ids=[c.user_id for c in meeting_selectors.candidates(region)],
        )
        invitations = list(meeting.invitations.all())
        meeting_services.record_minutes(
            actor=officer,
            meeting=meeting,
            attended_ids=[invitation.pk for invitation in invitations],
            minutes=(
                "1. Ketiga kelurahan melaporkan kegiatan Posyandu dan Karang Taruna bulan lalu.\n"
                "2. Pelatihan pemasaran digital diusulkan untuk kader UMKM."
            ),
            decisions="Forum mengusulkan pelatihan pemasaran digital ke Dinas PMPD",
            follow_ups=[
                meeting_services.FollowUpLine(
                    "Menyusun daftar calon peserta pelatihan",
                    invitations[0].pk,
                    (starts + timedelta(days=21)).date(),
                )
            ],
        )
        meeting_services.publish_minutes(actor=officer, meeting=meeting)
        self.stdout.write("Recorded a past meeting of the Bontang Barat kecamatan forum.")
