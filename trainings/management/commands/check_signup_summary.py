from forkom.management.recount import RecountCommand
from trainings import selectors, services


class Command(RecountCommand[selectors.SummaryMismatch]):
    help = (
        "Recount the sign-ups per kelurahan and month and compare them with the summary the "
        "dashboards read (SignupSummary, kept by database triggers). Exits with an error on "
        "a difference; --fix brings the summary to the recount instead."
    )
    fix_help = "Store the recount where the summary differs."
    differ_message = (
        "{count} summary row(s) differ from the sign-ups; "
        "run check_signup_summary --fix to repair them."
    )
    fixed_message = "Summary rows fixed: {count}."
    match_message = "The sign-up summary matches the sign-ups."

    def mismatches(self):
        return selectors.signup_summary_mismatches()

    def fix(self):
        return services.fix_signup_summary()

    def describe(self, row):
        return (
            f"{row.kelurahan_id} {row.month:%Y-%m}: summary "
            f"{'/'.join(map(str, row.stored))}, recount {'/'.join(map(str, row.counted))} "
            "(sign-ups/seated at a finished training/attended)"
        )
