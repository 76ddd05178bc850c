"""Writes on cadres: consent, registration and the decisions on a profile.

Each decision locks the profile row, checks who acts and the current status, records a
CadreEvent and, once committed, emails the cadre.
"""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cadres import selectors
from cadres.consent import CONSENT_VERSION
from cadres.models import CadreEvent, CadreMembership, CadreProfile, ConsentRecord
from cadres.nik import parse_nik
from cadres.phones import normalize_phone
from forkom import scope
from forkom.accounts import services as account_services
from forkom.accounts.models import Role, RoleAssignment, User
from forkom.errors import DomainError
from forkom.territory.models import Region

MINIMUM_AGE = 17  # adult under Indonesian law: no data about children
Status = CadreProfile.Status


def record_consent(*, actor, user, version=CONSENT_VERSION):
    """`user` agrees to the personal-data statement; `actor` is an officer in assisted cases."""
    if selectors.has_current_consent(user) and version == CONSENT_VERSION:
        return ConsentRecord.objects.current(version).filter(user=user).first()
    return ConsentRecord.objects.create(
        user=user,
        version=version,
        agreed_at=timezone.now(),
        recorded_by=None if actor == user else actor,
    )


def age_on(birth_date, today):
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def register_profile(
    *,
    actor,
    user,
    full_name,
    nik,
    sex,
    birth_place,
    birth_date,
    phone,
    address,
    kelurahan,
    education,
    fields=(),
    skills="",
    training_needs=(),
    memberships=(),
):
    """Create the cadre profile of `user`, waiting for verification.

    `actor` is the user themself, or an officer or staff member of the kelurahan registering
    someone without an email (assisted registration). `memberships` holds
    (body, position, since_year) triples.
    """
    if actor != user and not scope.can_act(
        actor, kelurahan.code, {Role.FORUM_OFFICER, Role.DINAS_STAFF}
    ):
        raise DomainError(_("You may not register cadres in %(region)s.") % {"region": kelurahan})
    if not selectors.has_current_consent(user):
        raise DomainError(_("The cadre must agree to the personal-data statement first."))
    if kelurahan.level != Region.Level.DESA_KELURAHAN or not kelurahan.is_active:
        raise DomainError(_("Choose a current kelurahan or desa."))
    if CadreProfile.objects.filter(user=user).exists():
        raise DomainError(_("This account already has a cadre profile."))
    today = timezone.localdate()
    if age_on(birth_date, today) < MINIMUM_AGE:
        raise DomainError(_("Cadres are %(age)d years old or older.") % {"age": MINIMUM_AGE})
    checked = parse_nik(nik, today=today)
    if not checked.is_valid:
        raise DomainError(" ".join(checked.errors))
    try:
        phone = normalize_phone(phone)
    except Exception as error:  # ValidationError: the message is already translated
        raise DomainError(" ".join(error.messages)) from None
    try:
        with transaction.atomic():
            profile = CadreProfile.objects.create(
                user=user,
                full_name=full_name.strip(),
                nik=checked.nik,
                sex=sex,
                birth_place=birth_place.strip(),
                birth_date=birth_date,
                phone=phone,
                address=address.strip(),
                kelurahan=kelurahan,
                education=education,
                skills=skills.strip(),
                registered_by=None if actor == user else actor,
            )
            profile.fields.set(fields)
            profile.training_needs.set(training_needs)
            CadreMembership.objects.bulk_create(
                CadreMembership(
                    profile=profile, body=body, position=position, since_year=since_year
                )
                for body, position, since_year in memberships
            )
            CadreEvent.objects.create(
                profile=profile, actor=actor, from_status="", to_status=Status.WAITING
            )
    except IntegrityError:
        # Never say who holds the NIK: that would disclose another person's registration.
        raise DomainError(
            _(
                "This NIK is already registered. If it is yours, ask your forum officer "
                "or the Dinas for help."
            )
        ) from None
    return profile


def register_assisted(*, actor, email=None, **details):
    """An officer registers a cadre who has no email: an account without a password.

    The officer confirms that the cadre agreed to the personal-data statement (on paper);
    the consent row records the officer. The cadre claims the account later by email.
    """
    with transaction.atomic():
        user = User.objects.create_user(email=email or None, password=None)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        record_consent(actor=actor, user=user)
        return register_profile(actor=actor, user=user, **details)


def verify_cadre(*, actor, profile, note=""):
    with transaction.atomic():
        locked = _lock_for_decision(actor, profile)
        if not locked.can_be_verified():
            raise DomainError(_("Only a cadre waiting for verification can be verified."))
        _change_status(locked, actor=actor, to_status=Status.VERIFIED, note=note)
        if not _holds_cadre_role(locked):
            account_services.grant_role(
                actor=None, user=locked.user, role=Role.CADRE, region=locked.kelurahan
            )
    return locked


def reject_cadre(*, actor, profile, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the rejection: the cadre will read it."))
    with transaction.atomic():
        locked = _lock_for_decision(actor, profile)
        if not locked.can_be_rejected():
            raise DomainError(_("Only a cadre waiting for verification can be rejected."))
        locked.rejection_reason = reason
        _change_status(locked, actor=actor, to_status=Status.REJECTED, note=reason)
    return locked


def deactivate_cadre(*, actor, profile, note=""):
    """The cadre steps down, or an officer or staff member of their area ends the profile."""
    with transaction.atomic():
        locked = CadreProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.user_id != actor.pk and not selectors.may_decide(actor, locked.kelurahan_id):
            raise DomainError(_("You may not decide on cadres of this kelurahan."))
        if not locked.can_be_deactivated():
            raise DomainError(_("This cadre is already inactive."))
        _change_status(locked, actor=actor, to_status=Status.INACTIVE, note=note)
        for assignment in _cadre_roles(locked):
            account_services.revoke_role(actor=None, assignment=assignment)
    return locked


def _lock_for_decision(actor, profile):
    locked = (
        CadreProfile.objects.select_for_update()
        .select_related("user", "kelurahan")
        .get(pk=profile.pk)
    )
    if not selectors.may_decide(actor, locked.kelurahan_id):
        raise DomainError(_("You may not decide on cadres of this kelurahan."))
    return locked


def _change_status(profile, *, actor, to_status, note):
    from_status = profile.status
    profile.status = to_status
    profile.save(update_fields=["status", "rejection_reason", "updated_at"])
    CadreEvent.objects.create(
        profile=profile, actor=actor, from_status=from_status, to_status=to_status, note=note
    )
    transaction.on_commit(partial(_email_decision, profile.pk))


def _cadre_roles(profile):
    return RoleAssignment.objects.current().filter(
        user_id=profile.user_id, role=Role.CADRE, region_id=profile.kelurahan_id
    )


def _holds_cadre_role(profile):
    return _cadre_roles(profile).exists()


def _email_decision(profile_pk):
    profile = CadreProfile.objects.select_related("user", "kelurahan").get(pk=profile_pk)
    if not profile.user.email:
        return  # assisted registration without an email yet: the officer tells the cadre
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your cadre registration: %(status)s") % {
            "status": profile.get_status_display()
        }
        body = render_to_string("cadres/email/decision.txt", {"profile": profile})
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        None,
        [profile.user.email],
    )
