"""The first bodies, fields of work and training topics; staff keep them in the admin."""

from django.db import migrations

BODIES = [
    "Karang Taruna",
    "LPM",
    "Posyandu",
    "PKK",
    "Kader Pemberdayaan Masyarakat",
    "RT/RW",
    "Lembaga adat",
    "Lainnya",
]
FIELDS = [
    "Ekonomi kreatif/UMKM",
    "Kesehatan",
    "Pendidikan",
    "Lingkungan",
    "Infrastruktur",
    "Sosial budaya",
    "Pemerintahan",
    "Teknologi",
    "Lainnya",
]
TOPICS = [
    "Kewirausahaan dan UMKM",
    "Pemasaran digital",
    "Pengelolaan keuangan",
    "Penyusunan proposal program",
    "Kepemimpinan dan organisasi",
    "Kesehatan masyarakat",
    "Pengelolaan lingkungan dan sampah",
    "Teknologi informasi",
]
LISTS = {"Body": BODIES, "Field": FIELDS, "Topic": TOPICS}


def seed(apps, schema_editor):
    """Adds the entries that are missing; those present are left as staff keep them. The
    tests call it before each test that loads the territory (tests/conftest.py), so it reads
    each list once rather than each entry."""
    for model_name, names in LISTS.items():
        model = apps.get_model("cadres", model_name)
        present = set(model.objects.filter(name__in=names).values_list("name", flat=True))
        model.objects.bulk_create(
            # "Lainnya" (other) stays last whatever staff add later.
            model(name=name, sort_order=999 if name == "Lainnya" else order * 10)
            for order, name in enumerate(names, start=1)
            if name not in present
        )


def unseed(apps, schema_editor):
    for model_name, names in LISTS.items():
        apps.get_model("cadres", model_name).objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
