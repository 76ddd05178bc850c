"""The Python steps of scripts/restore-drill; run by it, one step per call:

    python scripts/restore_drill.py load STATE     migrate, demo data, the drill's two cadres
    python scripts/restore_drill.py forget STATE   carry out the open deletion request
    python scripts/restore_drill.py counts         rows per model of the portal's apps (JSON)
    python scripts/restore_drill.py check STATE    the forgotten cadre is forgotten here

STATE is a JSON file where `load` writes what identifies the drill's cadres, for the later
steps and for the script's search of the restored database. The data goes in through the
project's commands and services, as users would have made it.
"""

import io
import json
import os
import secrets
import sys
from datetime import date
from pathlib import Path

import django
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forkom.settings")
django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from cadres import services as cadre_services  # noqa: E402
from cadres.models import Body, CadreProfile, DeletionRequest, Education, Sex  # noqa: E402
from devdata.shared_data import BONTANG_REGIONS  # noqa: E402
from forkom.accounts.models import User  # noqa: E402
from forkom.models import ForgottenPerson  # noqa: E402
from forkom.territory.models import Region  # noqa: E402
from programs import services as program_services  # noqa: E402
from programs.models import AidKind, Attachment  # noqa: E402

STAFF_EMAIL = "staf@demo.forkom.id"
DEMO_CADRE_EMAIL = "kader@demo.forkom.id"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
KELURAHAN = "64.74.03.1001"  # Belimbing, Bontang Barat
PROJECT_APPS = ("accounts", "territory", "forkom", "cadres", "trainings", "programs")


def _png():
    """A real picture (the portal opens pictures to check them), 4 x 3 pixels."""
    stream = io.BytesIO()
    Image.new("RGB", (4, 3), (30, 120, 90)).save(stream, "PNG")
    return stream.getvalue()


PNG = _png()
QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


def load(state_file):
    call_command("migrate", verbosity=0)
    call_command(
        "import_regions",
        str(BONTANG_REGIONS),
        within="64.74",
        verbosity=0,
    )
    # A scratch database: the demo passwords need no slow hashing.
    with override_settings(PASSWORD_HASHERS=FAST_HASHER), open(os.devnull, "w") as quiet:
        for command in ("create_demo_accounts", "create_demo_cadres", "create_demo_trainings"):
            call_command(command, stdout=quiet)
    staff = User.objects.get(email=STAFF_EMAIL)
    # An upload that stays: the restored MEDIA_ROOT must hold it.
    draft_with_upload(User.objects.get(email=DEMO_CADRE_EMAIL))
    token, serial = secrets.token_hex(4), secrets.randbelow(4000) + 1000
    # Forgotten before the backup: the dump already holds that, the restore keeps it.
    earlier = cadre(staff, f"lama.{token}", "Rudianto Lamahala", serial)
    with override_settings(MAILERS=QUIET_MAIL):
        request = cadre_services.request_deletion(actor=earlier.user)
        cadre_services.carry_out_deletion(actor=staff, request=request)
    # Asks now, forgotten after the backup: the restore must forget her again.
    later = cadre(staff, f"ayunda.{token}", "Ayunda Permatasari", serial + 4000)
    attachment = draft_with_upload(later.user)
    request = cadre_services.request_deletion(actor=later.user, reason="Pindah ke Balikpapan")
    state = {
        "user_id": later.user_id,
        "request_id": request.pk,
        "file": attachment.file.name,
        "traces": [later.user.email, later.nik, later.full_name, later.phone, later.address],
        "earlier_user_id": earlier.user_id,
    }
    Path(state_file).write_text(json.dumps(state), encoding="utf-8")


def draft_with_upload(user):
    proposal = program_services.create_draft(
        actor=user,
        aids=[(AidKind.TRAINING, 5_000_000, "")],
        title="Pelatihan anyaman ulin",
        summary="Anyaman dari sisa kayu ulin.",
        problem="Sisa kayu terbuang.",
        needs="Pelatih, alat.",
        resources="Balai RT 03.",
        goals="Pendapatan naik.",
        activities="Pelatihan dua hari.",
        target_group="Ibu rumah tangga",
        beneficiaries=15,
        location=Region.objects.get(code=KELURAHAN),
        field=None,
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 3, 31),
        budget=5_000_000,
    )
    return program_services.attach_file(
        actor=user,
        proposal=proposal,
        upload=SimpleUploadedFile("denah.png", PNG + secrets.token_bytes(8), "image/png"),
    )


def cadre(staff, local_part, name, serial):
    email = f"{local_part}@drill.forkom.id"
    user = User.objects.create_user(email=email, password=None)
    cadre_services.record_consent(actor=user, user=user)
    profile = cadre_services.register_profile(
        actor=user,
        user=user,
        full_name=name,
        nik=f"647403{55:02d}0391{serial:04d}",
        sex=Sex.FEMALE,
        birth_place="Bontang",
        birth_date=date(1991, 3, 15),
        phone=f"0812-{serial:04d}-{secrets.randbelow(9000) + 1000:04d}",
        address=f"Jl. Drill Nomor {serial}",
        kelurahan=Region.objects.get(code=KELURAHAN),
        education=Education.SMA,
        memberships=[(Body.objects.get_or_create(name="Posyandu")[0], "Kader", 2020)],
    )
    with override_settings(MAILERS=QUIET_MAIL):
        return cadre_services.verify_cadre(actor=staff, profile=profile)


def forget(state_file):
    state = json.loads(Path(state_file).read_text(encoding="utf-8"))
    staff = User.objects.get(email=STAFF_EMAIL)
    request = DeletionRequest.objects.get(pk=state["request_id"])
    with override_settings(MAILERS=QUIET_MAIL):
        cadre_services.carry_out_deletion(actor=staff, request=request)


def counts():
    rows = {
        model._meta.label: model._base_manager.count()
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
    }
    print(json.dumps(rows, indent=1, sort_keys=True))


def check(state_file):
    """Exit non-zero, saying what, unless the drill's cadre is forgotten in this database."""
    state = json.loads(Path(state_file).read_text(encoding="utf-8"))
    user = User.objects.get(pk=state["user_id"])
    profile = CadreProfile.objects.get(user=user)
    request = DeletionRequest.objects.get(pk=state["request_id"])
    media = Path(settings.MEDIA_ROOT)
    problems = [
        problem
        for problem, failed in [
            ("the account still has an email", user.email is not None),
            ("the account can still sign in", user.is_active or user.has_usable_password()),
            ("the profile still has a name", profile.full_name != cadre_services.ANONYMISED_NAME),
            ("the profile still has a NIK", profile.nik is not None),
            ("the profile still has a phone", bool(profile.phone)),
            ("the deletion request is still open", request.status != DeletionRequest.Status.DONE),
            ("the attachment's row is back", Attachment.objects.filter(uploaded_by=user).exists()),
            ("the attachment's file is back", (media / state["file"]).exists()),
            (
                "the deletion log table does not record it",
                not ForgottenPerson.objects.filter(user_id=user.pk).exists(),
            ),
            (
                "the cadre forgotten before the backup is not recorded as forgotten",
                not ForgottenPerson.objects.filter(user_id=state["earlier_user_id"]).exists(),
            ),
        ]
        if failed
    ]
    for problem in problems:
        print(f"restore drill: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    step, *arguments = sys.argv[1:]
    {"load": load, "forget": forget, "counts": counts, "check": check}[step](*arguments)
