from django.core.management.base import BaseCommand

from forkom.accounts.services import sync_staff_flags


class Command(BaseCommand):
    help = (
        "Open the admin to Dinas staff whose role starts today and close it to those whose "
        "role has ended (daily)."
    )

    def handle(self, *args, **options):
        changed = sync_staff_flags()
        self.stdout.write(f"{changed} account(s) changed.")
