"""The version of a training's calendar entry (its .ics's SEQUENCE)."""

from django.db import migrations, models

from forkom.triggers import TriggersPausedOnSQLite

# The tables whose triggers name trainings_training (0008_signup_summary).
TRIGGERS_ON = ["trainings_training", "trainings_registration", "cadres_cadreprofile"]


class Migration(migrations.Migration):

    dependencies = [
        ('trainings', '0008_signup_summary'),
    ]

    operations = [
        TriggersPausedOnSQLite(
            migrations.AddField(
                model_name='training',
                name='calendar_sequence',
                field=models.PositiveIntegerField(db_default=0, default=0, editable=False, verbose_name='calendar version'),
            ),
            TRIGGERS_ON,
        ),
    ]
