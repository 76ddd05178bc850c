# One vocabulary for every event table (forkom.events.Event): a status change is before/after.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cadres", "0005_covering_area_index")]

    operations = [
        migrations.RenameField("cadreevent", "from_status", "before"),
        migrations.RenameField("cadreevent", "to_status", "after"),
    ]
