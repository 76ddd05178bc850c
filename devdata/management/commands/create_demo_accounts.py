from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cadres.forums.services import term_end
from forkom.accounts import services
from forkom.accounts.models import Position, Role, RoleAssignment, User
from forkom.territory.models import Region

DEMO_PASSWORD = "forkom-demo-2026"
# A fixed TOTP secret for the demo staff accounts, so a developer can add it to an app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPFORKOMDEMOKALTIM"

# (email, name, role, region code, position)
DEMO_ACCOUNTS = [
    ("kader@demo.forkom.id", "Siti Kader", Role.CADRE, "64.74.03.1001", ""),
    (
        "pengurus.kelurahan@demo.forkom.id",
        "Budi Pengurus",
        Role.FORUM_OFFICER,
        "64.74.03.1001",
        Position.KETUA,
    ),
    (
        "pengurus.kecamatan@demo.forkom.id",
        "Rina Pengurus",
        Role.FORUM_OFFICER,
        "64.74.03",
        Position.SEKRETARIS,
    ),
    ("koordinator@demo.forkom.id", "Ahmad Koordinator", Role.CITY_COORDINATOR, "64.74", ""),
    ("staf@demo.forkom.id", "Dewi Staf Dinas", Role.DINAS_STAFF, "64", ""),
]
SUPERUSER_EMAIL = "admin@demo.forkom.id"


class Command(BaseCommand):
    help = "Create (or refresh) one demo account for every role. Development only (DEBUG on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts exist only in development: set DEBUG=true.")
        missing = {code for *_, code, _ in DEMO_ACCOUNTS} - set(
            Region.objects.values_list("code", flat=True)
        )
        if missing:
            raise CommandError(
                "Import the Bontang territory first (make run does): missing "
                + ", ".join(sorted(missing))
            )
        with transaction.atomic():
            rows = [self._account(*account) for account in DEMO_ACCOUNTS]
            admin = self._user(SUPERUSER_EMAIL, "Admin Forkom", superuser=True)
            self._totp(admin)
            rows.append((SUPERUSER_EMAIL, "superuser (admin)", "/admin/"))
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for email, label, where in rows:
            self.stdout.write(f"  {email:<38} {label:<44} {where}")
        self.stdout.write(
            f"The admin asks for a TOTP code: add the secret {DEMO_TOTP_SECRET} to an "
            "authenticator app (staf@ and admin@ share it).\n"
        )

    def _account(self, email, name, role, code, position):
        user = self._user(email, name)
        region = Region.objects.get(code=code)
        held = RoleAssignment.objects.filter(
            user=user, role=role, region=region, position=position, is_active=True
        ).first()
        # A forum officer's term ends as the appointment form's does: five years on.
        is_term = role == Role.FORUM_OFFICER
        if held is None:
            today = timezone.localdate()
            services.grant_role(
                actor=None,
                user=user,
                role=role,
                region=region,
                position=position,
                starts_on=today,
                ends_on=term_end(today) if is_term else None,
            )
        elif is_term and held.ends_on is None:  # seeded before the terms had an end
            held.ends_on = term_end(held.starts_on)
            held.save(update_fields=["ends_on"])
        if role == Role.DINAS_STAFF:
            self._totp(user)
        label = f"{Position(position).label if position else Role(role).label}"
        return email, label, f"{region.name} ({code})"

    def _user(self, email, name, superuser=False):
        first, _, last = name.partition(" ")
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created:
            # Hashing is slow by design: only once, so that a second `make run` starts fast.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _totp(self, user):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
