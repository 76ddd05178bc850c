from cadres import selectors, services
from forkom.management.recount import RecountCommand


class Command(RecountCommand[selectors.CountMismatch]):
    help = (
        "Recount the cadres per kelurahan and status, and the verified cadres per kelurahan "
        "and body, and compare them with the summary the dashboards read (AreaStatusCount, "
        "AreaBodyCount, kept by triggers). Exits with an error on a mismatch; --fix stores "
        "the recount instead, with cadre writes held back (PostgreSQL) while it runs."
    )
    fix_help = "Store the recounted figures where they differ."
    differ_message = (
        "{count} cadre count(s) differ from a recount; "
        "run check_cadre_counts --fix to repair them."
    )
    fixed_message = "Cadre counts fixed: {count}."
    match_message = "Every cadre count matches its profiles and memberships."

    def mismatches(self):
        return selectors.area_count_mismatches()

    def fix(self):
        return services.fix_area_counts()

    def describe(self, row):
        key = f"status {row.status}" if row.status is not None else f"body {row.body_id}"
        return f"Kelurahan {row.kelurahan_id}, {key}: stored {row.stored}, counted {row.counted}"
