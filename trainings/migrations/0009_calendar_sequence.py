"""The version of a training's calendar entry (its .ics's SEQUENCE)."""

from contextlib import nullcontext

from django.db import migrations, models

from forkom.triggers import table_triggers_paused

# The tables whose triggers name trainings_training (0008_signup_summary).
TRIGGERS_ON = ["trainings_training", "trainings_registration", "cadres_cadreprofile"]


class AddFieldTriggersPaused(migrations.AddField):
    """SQLite adds a NOT NULL column by building the table again: a trigger that names the
    table stops its rename, and one on it would go with the old table. They are dropped
    for the while and created again, as around a bulk load; PostgreSQL adds the column in
    place."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        with self._paused(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        with self._paused(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def _paused(self, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return nullcontext()
        return table_triggers_paused(TRIGGERS_ON, using=connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('trainings', '0008_signup_summary'),
    ]

    operations = [
        AddFieldTriggersPaused(
            model_name='training',
            name='calendar_sequence',
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False, verbose_name='calendar version'),
        ),
    ]
