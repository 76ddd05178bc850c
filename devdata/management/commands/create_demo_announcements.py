"""A demo announcement: the Koordinator Kota writes to every cadre of Kota Bontang.

Development only; runs after create_demo_accounts and create_demo_cadres; idempotent (a
second run finds the first one's announcement). Written through the announcement services,
so the demo cadres find it in their inbox once the worker has run.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cadres.announcements import services
from cadres.models import Announcement
from forkom.accounts.models import User
from forkom.territory.models import Region

TITLE = "Pendataan kader Posyandu dan Karang Taruna se-Kota Bontang"
TEXT = (
    "Kepada seluruh kader di Kota Bontang: mohon lengkapi profil kader Anda di portal ini "
    "paling lambat akhir bulan, termasuk lembaga dan jabatan. Forum kelurahan membantu kader "
    "yang belum memiliki email.\n\nDaftar pelatihan terbuka: /pelatihan/"
)


class Command(BaseCommand):
    help = "Create a demo announcement of the Koordinator Kota (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo announcements exist only in development: set DEBUG=true.")
        coordinator = User.objects.filter(email="koordinator@demo.forkom.id").first()
        if coordinator is None:
            raise CommandError("Run create_demo_accounts first.")
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
