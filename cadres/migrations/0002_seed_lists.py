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
    for model_name, names in LISTS.items():
        model = apps.get_model("cadres", model_name)
        for order, name in enumerate(names, start=1):
            # "Lainnya" (other) stays last whatever staff add later.
            sort_order = 999 if name == "Lainnya" else order * 10
            model.objects.get_or_create(name=name, defaults={"sort_order": sort_order})


def unseed(apps, schema_editor):
    for model_name, names in LISTS.items():
        apps.get_model("cadres", model_name).objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
