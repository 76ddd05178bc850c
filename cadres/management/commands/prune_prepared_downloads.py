from django.core.management.base import BaseCommand

from cadres.exports import prune_exports
from cadres.imports.services import prune_unconfirmed_imports


class Command(BaseCommand):
    help = (
        "Delete the prepared cadre lists older than a day, and the uploaded import sheets "
        "nobody confirmed within a day (daily; safe to run twice)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{prune_exports()} prepared download(s) deleted.")
        self.stdout.write(f"{prune_unconfirmed_imports()} unconfirmed import sheet(s) deleted.")
