"""Activation codes: how a cadre registered without an email signs in for the first time.

An officer of the cadre's area issues a code (printed, or sent on WhatsApp); the cadre signs
in once with their phone number or NIK and the code, then sets a password. Like the
Layanan Mandiri PIN that a village office hands out, but single use and short-lived. Only a
keyed hash is stored, so a copy of the database does not hold usable codes; the sign-in
itself goes through allauth (its login flow and its rate limits), see views.py.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import selectors
from cadres.models import ActivationCode, CadreEvent, CadreProfile
from cadres.nik import normalize_nik
from cadres.phones import normalize_phone
from forkom import scope
from forkom.accounts.models import User
from forkom.errors import DomainError, MayNot
from forkom.events import recorded
from forkom.scope import Actor

# Letters and digits that cannot be mistaken for one another when read aloud or copied
# from paper (no I/1, O/0).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8


def normalise_code(typed: str) -> str:
    """What the cadre typed, without spaces or dashes, in capitals."""
    return "".join(character for character in (typed or "").upper() if character.isalnum())


def hash_code(code: str) -> str:
    return salted_hmac(
        "forkom.cadres.activation", normalise_code(code), algorithm="sha256"
    ).hexdigest()


def display_code(code: str) -> str:
    """`ABCD2345` → `ABCD-2345`, easier to read out."""
    return f"{code[:4]}-{code[4:]}"


def issue_activation_code(*, actor: Actor, profile: CadreProfile) -> tuple[str, datetime]:
    """A new code for `profile` (older unused ones stop working): the plain code, shown to
    the officer once, and when it expires."""
    if not scope.can_act(actor, profile.kelurahan_id, scope.OFFICERS_AND_STAFF):
        raise MayNot(_("You may not give sign-in codes to cadres of this kelurahan."))
    now = timezone.now()
    code = "".join(secrets.choice(ALPHABET) for _position in range(LENGTH))
    expires_at = now + timedelta(hours=settings.FORKOM_ACTIVATION_CODE_HOURS)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=profile.user_id)
        _check_may_receive_code(user)
        ActivationCode.objects.filter(profile=profile).usable(now).update(revoked_at=now)
        ActivationCode.objects.create(
            profile=profile,
            code_hash=hash_code(code),
            issued_by=actor,
            issued_at=now,
            expires_at=expires_at,
        )
        CadreEvent.objects.create(
            profile=profile,
            actor=actor,
            before=profile.status,
            after=profile.status,
            note=recorded(gettext_lazy("Activation code issued for signing in without email.")),
        )
    return code, expires_at


def _check_may_receive_code(user: User) -> None:
    if not user.is_active:
        raise DomainError(_("This account is closed."))
    if not selectors.is_plain_cadre(user):
        # A code opens the account: never one that holds more than the cadre role.
        raise MayNot(
            _(
                "This account holds an officer's or higher role: the person signs in with "
                "their email address and password."
            )
        )
    if selectors.has_verified_email(user):
        raise DomainError(
            _(
                "This cadre has a confirmed email address: they sign in with it, and reset "
                "a forgotten password by email."
            )
        )


def matching_profiles(identifier: str) -> list[int]:
    """The profiles a typed phone number or NIK may name (none when it is neither)."""
    nik = normalize_nik(identifier)
    if nik.isdigit() and len(nik) == 16:
        return list(CadreProfile.objects.filter(nik=nik).values_list("pk", flat=True))
    try:
        phone = normalize_phone(identifier)
    except ValidationError:  # neither a NIK nor a phone number: nobody
        return []
    return list(CadreProfile.objects.filter(phone=phone).values_list("pk", flat=True))


def redeem_activation_code(*, identifier: str, code: str) -> User:
    """The account that `code` opens for the cadre named by `identifier` (phone or NIK).

    The code is used up; the account's password, if any, stops working (the code is how a
    cadre without email resets it), so the next step is setting a new one.
    """
    wrong = _("The phone number or NIK and the code do not match, or the code has expired.")
    profiles = matching_profiles(identifier)
    if not profiles or not normalise_code(code):
        raise DomainError(wrong)
    now = timezone.now()
    with transaction.atomic():
        row = (
            ActivationCode.objects.select_for_update(of=("self",))
            .usable(now)
            .filter(profile_id__in=profiles, code_hash=hash_code(code))
            .select_related("profile")
            .first()
        )
        if row is None:
            raise DomainError(wrong)
        user = User.objects.select_for_update().get(pk=row.profile.user_id)
        try:
            _check_may_receive_code(user)
        except DomainError:
            raise DomainError(wrong) from None
        row.used_at = now
        row.save(update_fields=["used_at"])
        user.set_unusable_password()
        user.save(update_fields=["password"])
        CadreEvent.objects.create(
            profile=row.profile,
            actor=user,
            before=row.profile.status,
            after=row.profile.status,
            note=recorded(gettext_lazy("Signed in with an activation code.")),
        )
    return user
