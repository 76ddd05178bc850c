from django.core.management.base import BaseCommand, CommandError

from trainings import selectors, services


class Command(BaseCommand):
    help = (
        "Recount the sign-ups per kelurahan and month and compare them with the summary the "
        "dashboards read (SignupSummary, kept by database triggers). Exits with an error on "
        "a difference; --fix brings the summary to the recount instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Store the recount where the summary differs."
        )

    def handle(self, *args, fix=False, **options):
        found = services.fix_signup_summary() if fix else selectors.signup_summary_mismatches()
        for row in found:
            self.stdout.write(
                f"{row.kelurahan_id} {row.month:%Y-%m}: summary "
                f"{'/'.join(map(str, row.stored))}, recount {'/'.join(map(str, row.counted))} "
                "(sign-ups/seated at a finished training/attended)" + (" (fixed)" if fix else "")
            )
        if found and not fix:
            raise CommandError(
                f"{len(found)} summary row(s) differ from the sign-ups; "
                "run check_signup_summary --fix to repair them."
            )
        if fix:
            self.stdout.write(f"Summary rows fixed: {len(found)}.")
        else:
            self.stdout.write("The sign-up summary matches the sign-ups.")
