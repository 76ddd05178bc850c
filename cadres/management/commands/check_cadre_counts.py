from django.core.management.base import BaseCommand, CommandError

from cadres import selectors, services


class Command(BaseCommand):
    help = (
        "Recount the cadres per kelurahan and status, and the verified cadres per kelurahan "
        "and body, and compare them with the summary the dashboards read (AreaStatusCount, "
        "AreaBodyCount, kept by triggers). Exits with an error on a mismatch; --fix stores "
        "the recount instead, with cadre writes held back (PostgreSQL) while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Store the recounted figures where they differ."
        )

    def handle(self, *args, fix=False, **options):
        found = services.fix_area_counts() if fix else selectors.area_count_mismatches()
        for row in found:
            key = f"status {row.status}" if row.status is not None else f"body {row.body_id}"
            self.stdout.write(
                f"Kelurahan {row.kelurahan_id}, {key}: stored {row.stored}, "
                f"counted {row.counted}" + (" (fixed)" if fix else "")
            )
        if found and not fix:
            raise CommandError(
                f"{len(found)} cadre count(s) differ from a recount; "
                "run check_cadre_counts --fix to repair them."
            )
        if fix:
            self.stdout.write(f"Cadre counts fixed: {len(found)}.")
        else:
            self.stdout.write("Every cadre count matches its profiles and memberships.")
