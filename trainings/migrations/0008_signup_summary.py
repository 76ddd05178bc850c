"""The sign-up summary of the dashboards, and the triggers that keep it.

Triggers rather than the services: sign-ups, attendance, a training's state and a cadre's
kelurahan are written by several services, the admin, the import, the seed and the deletion
of personal data; a trigger holds for every writer. Each change is an upsert of a difference
(INSERT ... ON CONFLICT DO UPDATE), so that concurrent writers on PostgreSQL wait on the
summary row instead of losing an increment.

The month is the sign-up's month in settings.TIME_ZONE, read when this migration runs:
PostgreSQL converts with the zone's name; SQLite stores UTC text and has no zones, so the
zone's fixed offset is used there, and a zone with daylight saving time is refused.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REGISTERED = "registered"
FINISHED = "finished"
SUMMARY = "trainings_signupsummary"
UPSERT = f"""
    ON CONFLICT (kelurahan_id, month) DO UPDATE SET
        signups = {SUMMARY}.signups + excluded.signups,
        seated_finished = {SUMMARY}.seated_finished + excluded.seated_finished,
        attended_finished = {SUMMARY}.attended_finished + excluded.attended_finished
"""
COLUMNS = f"INSERT INTO {SUMMARY} (kelurahan_id, month, signups, seated_finished, attended_finished)"
REGISTRATION_COLUMNS = "status, attended, training_id, profile_id, created_at"


def sqlite_offset():
    """The zone's offset from UTC as an SQLite date modifier ('+480 minutes')."""
    zone = ZoneInfo(settings.TIME_ZONE)
    offsets = {zone.utcoffset(datetime(2026, month, 1)) for month in (1, 7)}
    if len(offsets) != 1:
        raise RuntimeError(
            f"TIME_ZONE {settings.TIME_ZONE} has daylight saving time: SQLite's sign-up "
            "summary needs a fixed offset."
        )
    minutes = int(offsets.pop().total_seconds() // 60)
    return f"{minutes:+d} minutes"


def month_sql(vendor, column):
    if vendor == "postgresql":
        zone = settings.TIME_ZONE.replace("'", "")
        return f"date_trunc('month', {column} AT TIME ZONE '{zone}')::date"
    return f"date({column}, '{sqlite_offset()}', 'start of month')"


def fill_sql(vendor):
    """The summary counted afresh from every sign-up."""
    return f"""
        {COLUMNS}
        SELECT p.kelurahan_id, {month_sql(vendor, "r.created_at")}, count(*),
               sum(CASE WHEN r.status = '{REGISTERED}' AND t.state = '{FINISHED}'
                        THEN 1 ELSE 0 END),
               sum(CASE WHEN r.status = '{REGISTERED}' AND t.state = '{FINISHED}' AND r.attended
                        THEN 1 ELSE 0 END)
          FROM trainings_registration r, cadres_cadreprofile p, trainings_training t
         WHERE p.id = r.profile_id AND t.id = r.training_id
         GROUP BY 1, 2
    """


def postgresql_triggers():
    month = month_sql("postgresql", "signup.created_at")
    return [
        # A sign-up leaves its old (kelurahan, month) and joins its new one. The cadre's and
        # the training's rows are read FOR SHARE: a concurrent change of the kelurahan or the
        # state (which recounts the sign-ups it moves) commits first, or waits for this one.
        f"""
        CREATE FUNCTION trainings_signupsummary_count(signup trainings_registration, sign integer)
        RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            kelurahan varchar;
            finished boolean;
        BEGIN
            SELECT p.kelurahan_id INTO kelurahan
              FROM cadres_cadreprofile p WHERE p.id = signup.profile_id FOR SHARE;
            SELECT t.state = '{FINISHED}' INTO finished
              FROM trainings_training t WHERE t.id = signup.training_id FOR SHARE;
            IF kelurahan IS NULL THEN
                RETURN;  -- the cadre is gone: nothing of theirs is counted any more
            END IF;
            {COLUMNS}
            VALUES (
                kelurahan, {month}, sign,
                sign * (signup.status = '{REGISTERED}' AND finished IS TRUE)::int,
                sign * (signup.status = '{REGISTERED}' AND finished IS TRUE AND signup.attended)::int
            )
            {UPSERT};
        END $$
        """,
        """
        CREATE FUNCTION trainings_signupsummary_registration() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                PERFORM trainings_signupsummary_count(OLD, -1);
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                PERFORM trainings_signupsummary_count(NEW, 1);
            END IF;
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER trainings_signupsummary_registration
        AFTER INSERT OR DELETE ON trainings_registration
        FOR EACH ROW EXECUTE FUNCTION trainings_signupsummary_registration()
        """,
        f"""
        CREATE TRIGGER trainings_signupsummary_registration_changed
        AFTER UPDATE OF {REGISTRATION_COLUMNS} ON trainings_registration
        FOR EACH ROW WHEN ((OLD.status, OLD.attended, OLD.training_id, OLD.profile_id,
                            OLD.created_at)
                           IS DISTINCT FROM (NEW.status, NEW.attended, NEW.training_id,
                                             NEW.profile_id, NEW.created_at))
        EXECUTE FUNCTION trainings_signupsummary_registration()
        """,
        # A training that becomes or stops being finished adds or takes away its seated
        # sign-ups, month by month of each kelurahan, in a fixed order (fewer deadlocks).
        f"""
        CREATE FUNCTION trainings_signupsummary_training() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            sign integer := CASE WHEN NEW.state = '{FINISHED}' THEN 1 ELSE -1 END;
        BEGIN
            {COLUMNS}
            SELECT p.kelurahan_id, {month_sql("postgresql", "r.created_at")}, 0,
                   sign * count(*), sign * count(*) FILTER (WHERE r.attended)
              FROM trainings_registration r, cadres_cadreprofile p
             WHERE r.training_id = NEW.id AND r.status = '{REGISTERED}' AND p.id = r.profile_id
             GROUP BY 1, 2
             ORDER BY 1, 2
            {UPSERT};
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE TRIGGER trainings_signupsummary_training
        AFTER UPDATE OF state ON trainings_training
        FOR EACH ROW WHEN ((OLD.state = '{FINISHED}') IS DISTINCT FROM (NEW.state = '{FINISHED}'))
        EXECUTE FUNCTION trainings_signupsummary_training()
        """,
        # A cadre who moves takes their sign-ups from the old kelurahan to the new one.
        f"""
        CREATE FUNCTION trainings_signupsummary_profile() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            {COLUMNS}
            SELECT moved.kelurahan, {month_sql("postgresql", "r.created_at")},
                   moved.sign * count(*),
                   moved.sign * count(*) FILTER (
                       WHERE r.status = '{REGISTERED}' AND t.state = '{FINISHED}'),
                   moved.sign * count(*) FILTER (
                       WHERE r.status = '{REGISTERED}' AND t.state = '{FINISHED}' AND r.attended)
              FROM trainings_registration r, trainings_training t,
                   (VALUES (OLD.kelurahan_id, -1), (NEW.kelurahan_id, 1))
                       AS moved (kelurahan, sign)
             WHERE r.profile_id = NEW.id AND t.id = r.training_id
             GROUP BY moved.kelurahan, moved.sign, 2
             ORDER BY 1, 2
            {UPSERT};
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER trainings_signupsummary_profile
        AFTER UPDATE OF kelurahan_id ON cadres_cadreprofile
        FOR EACH ROW WHEN (OLD.kelurahan_id IS DISTINCT FROM NEW.kelurahan_id)
        EXECUTE FUNCTION trainings_signupsummary_profile()
        """,
    ]


def sqlite_registration_sql(row, sign):
    """The upsert of one sign-up's counts (row: OLD or NEW) times sign."""
    seated = f"({row}.status = '{REGISTERED}' AND t.state = '{FINISHED}')"
    return f"""
        {COLUMNS}
        SELECT p.kelurahan_id, {month_sql("sqlite", f"{row}.created_at")}, {sign},
               {sign} * {seated}, {sign} * ({seated} AND {row}.attended)
          FROM cadres_cadreprofile p, trainings_training t
         WHERE p.id = {row}.profile_id AND t.id = {row}.training_id
        {UPSERT};
    """


def sqlite_triggers():
    changed = " OR ".join(
        f"OLD.{column} IS NOT NEW.{column}" for column in REGISTRATION_COLUMNS.split(", ")
    )
    moved = f"""
        {COLUMNS}
        SELECT moved.kelurahan, {month_sql("sqlite", "r.created_at")},
               moved.sign * count(*),
               moved.sign * sum(r.status = '{REGISTERED}' AND t.state = '{FINISHED}'),
               moved.sign * sum(r.status = '{REGISTERED}' AND t.state = '{FINISHED}'
                                AND r.attended)
          FROM trainings_registration r, trainings_training t,
               (SELECT OLD.kelurahan_id AS kelurahan, -1 AS sign
                UNION ALL SELECT NEW.kelurahan_id, 1) AS moved
         WHERE r.profile_id = NEW.id AND t.id = r.training_id
         GROUP BY moved.kelurahan, moved.sign, 2
        {UPSERT};
    """
    return [
        f"""
        CREATE TRIGGER trainings_signupsummary_registration_insert
        AFTER INSERT ON trainings_registration
        BEGIN {sqlite_registration_sql("NEW", 1)} END
        """,
        f"""
        CREATE TRIGGER trainings_signupsummary_registration_delete
        AFTER DELETE ON trainings_registration
        BEGIN {sqlite_registration_sql("OLD", -1)} END
        """,
        f"""
        CREATE TRIGGER trainings_signupsummary_registration_update
        AFTER UPDATE OF {REGISTRATION_COLUMNS} ON trainings_registration
        WHEN {changed}
        BEGIN {sqlite_registration_sql("OLD", -1)} {sqlite_registration_sql("NEW", 1)} END
        """,
        f"""
        CREATE TRIGGER trainings_signupsummary_training
        AFTER UPDATE OF state ON trainings_training
        WHEN (OLD.state = '{FINISHED}') IS NOT (NEW.state = '{FINISHED}')
        BEGIN
            {COLUMNS}
            SELECT p.kelurahan_id, {month_sql("sqlite", "r.created_at")}, 0,
                   CASE WHEN NEW.state = '{FINISHED}' THEN 1 ELSE -1 END * count(*),
                   CASE WHEN NEW.state = '{FINISHED}' THEN 1 ELSE -1 END * sum(r.attended)
              FROM trainings_registration r, cadres_cadreprofile p
             WHERE r.training_id = NEW.id AND r.status = '{REGISTERED}' AND p.id = r.profile_id
             GROUP BY 1, 2
            {UPSERT};
        END
        """,
        f"""
        CREATE TRIGGER trainings_signupsummary_profile
        AFTER UPDATE OF kelurahan_id ON cadres_cadreprofile
        WHEN OLD.kelurahan_id IS NOT NEW.kelurahan_id
        BEGIN {moved} END
        """,
    ]


DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS trainings_signupsummary_profile ON cadres_cadreprofile",
        "DROP TRIGGER IF EXISTS trainings_signupsummary_training ON trainings_training",
        "DROP TRIGGER IF EXISTS trainings_signupsummary_registration_changed"
        " ON trainings_registration",
        "DROP TRIGGER IF EXISTS trainings_signupsummary_registration ON trainings_registration",
        "DROP FUNCTION IF EXISTS trainings_signupsummary_profile()",
        "DROP FUNCTION IF EXISTS trainings_signupsummary_training()",
        "DROP FUNCTION IF EXISTS trainings_signupsummary_registration()",
        "DROP FUNCTION IF EXISTS"
        " trainings_signupsummary_count(trainings_registration, integer)",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS trainings_signupsummary_profile",
        "DROP TRIGGER IF EXISTS trainings_signupsummary_training",
        "DROP TRIGGER IF EXISTS trainings_signupsummary_registration_update",
        "DROP TRIGGER IF EXISTS trainings_signupsummary_registration_delete",
        "DROP TRIGGER IF EXISTS trainings_signupsummary_registration_insert",
    ],
}


def vendor_of(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in DROP:
        raise RuntimeError(f"The sign-up summary has no triggers for {vendor}.")
    return vendor


def create_triggers(apps, schema_editor):
    vendor = vendor_of(schema_editor)
    triggers = postgresql_triggers() if vendor == "postgresql" else sqlite_triggers()
    for statement in [*triggers, fill_sql(vendor)]:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in DROP[vendor_of(schema_editor)]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('cadres', '0016_meetings'),
        ('territory', '0001_initial'),
        ('trainings', '0007_fill_seats_taken'),
    ]

    operations = [
        migrations.CreateModel(
            name='SignupSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('signups', models.IntegerField(default=0, verbose_name='sign-ups')),
                ('seated_finished', models.IntegerField(default=0, verbose_name='seated at a finished training')),
                ('attended_finished', models.IntegerField(default=0, verbose_name='attended a finished training')),
                ('kelurahan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='territory.region', verbose_name='kelurahan')),
            ],
            options={
                'verbose_name': 'sign-up summary',
                'verbose_name_plural': 'sign-up summaries',
                'constraints': [models.UniqueConstraint(fields=('kelurahan', 'month'), name='signupsummary_one_per_kelurahan_and_month')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
