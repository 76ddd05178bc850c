"""Fill Training.seats_taken for the trainings that existed before the counter."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_seats(apps, schema_editor):
    Training = apps.get_model("trainings", "Training")
    Registration = apps.get_model("trainings", "Registration")
    seated = (
        Registration.objects.filter(training_id=OuterRef("pk"), status="registered")
        .order_by()
        .values("training_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # One UPDATE for every training, whatever their number.
    Training.objects.update(seats_taken=Coalesce(Subquery(seated), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0006_seats_taken"),
    ]

    operations = [
        migrations.RunPython(count_seats, migrations.RunPython.noop, elidable=True),
    ]
