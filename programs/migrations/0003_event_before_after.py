# One vocabulary for every event table (forkom.events.Event): a move is before/after.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_form_tokens_and_text_limits")]

    operations = [
        migrations.RenameField("proposalevent", "from_state", "before"),
        migrations.RenameField("proposalevent", "to_state", "after"),
    ]
