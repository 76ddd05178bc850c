from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from cadres.models import CadreProfile
from forkom.accounts.models import User
from forkom.territory.models import Region
from programs import services
from programs.innovations import services as innovation_services
from programs.models import AidKind, Innovation, Proposal

PROPOSER_EMAIL = "kader@demo.forkom.id"
OFFICER_EMAIL = "pengurus.kecamatan@demo.forkom.id"
COORDINATOR_EMAIL = "koordinator@demo.forkom.id"
STAFF_EMAIL = "staf@demo.forkom.id"
# (title, kelurahan, how far along the review chain it goes)
PROGRAMMES = [
    (
        "Pelatihan pengolahan rumput laut untuk ibu-ibu nelayan",
        "64.74.03.1001",
        Proposal.State.ACCEPTED,
    ),
    ("Bank sampah RT dan kompos rumah tangga", "64.74.03.1002", Proposal.State.ESCALATED),
]
INNOVATION_TITLE = "Dodol rumput laut Belimbing"


class Command(BaseCommand):
    help = (
        "Take demo proposals through the review chain and publish a demo innovation, so that "
        "the public pages (region pages, programme list, gallery) have something to show."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo programmes exist only in development: set DEBUG=true.")
        people = {
            email: User.objects.filter(email=email).first()
            for email in (PROPOSER_EMAIL, OFFICER_EMAIL, COORDINATOR_EMAIL, STAFF_EMAIL)
        }
        proposer = people[PROPOSER_EMAIL]
        if None in people.values() or not CadreProfile.objects.filter(user=proposer).exists():
            raise CommandError("Run create_demo_accounts and create_demo_cadres first.")
        # The review emails would only fill the terminal of `make run`.
        quiet_mail = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        created = 0
        with override_settings(MAILERS=quiet_mail), transaction.atomic():
            for title, code, state in PROGRAMMES:
                if Proposal.objects.filter(title=title).exists():
                    continue
                proposal = services.create_draft(
                    actor=proposer,
                    title=title,
                    summary="Warga mengolah hasil dan limbah setempat menjadi pendapatan.",
                    problem="Hasil olahan dijual murah; sampah rumah tangga menumpuk.",
                    needs="Pelatihan, alat sederhana, pendampingan pemasaran.",
                    resources="Balai pertemuan RT dan kelompok 20 orang.",
                    goals="Pendapatan keluarga naik dan lingkungan lebih bersih.",
                    activities="Pelatihan 3 hari, pendampingan 3 bulan.",
                    target_group="Ibu rumah tangga",
                    beneficiaries=20,
                    location=Region.objects.get(code=code),
                    field=None,
                    starts_on=date(2027, 2, 1),
                    ends_on=date(2027, 5, 31),
                    budget=12_500_000,
                    aids=[(AidKind.TRAINING, 5_000_000, ""), (AidKind.MENTORING, None, "")],
                )
                steps = [
                    (services.submit_proposal, proposer),
                    (services.recommend_proposal, people[OFFICER_EMAIL]),
                    (services.escalate_proposal, people[COORDINATOR_EMAIL]),
                    (services.accept_proposal, people[STAFF_EMAIL]),
                ]
                for move, actor in steps:
                    proposal = move(actor=actor, proposal=proposal)
                    if proposal.state == state:
                        break
                created += 1
            if not Innovation.objects.filter(title=INNOVATION_TITLE).exists():
                innovation = innovation_services.record_innovation(
                    actor=proposer,
                    title=INNOVATION_TITLE,
                    description="Ibu-ibu nelayan mengolah rumput laut menjadi dodol dan keripik.",
                    kelurahan=Region.objects.get(code="64.74.03.1001"),
                    results="300 bungkus per bulan.",
                    impact="20 keluarga mendapat tambahan penghasilan.",
                )
                innovation_services.publish_innovation(
                    actor=people[OFFICER_EMAIL], innovation=innovation
                )
                created += 1
        self.stdout.write(f"Demo programmes and innovations: {created} created.")
