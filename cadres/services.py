"""Writes on cadres: consent, registration, the decisions on a profile, and "data saya".

Each decision locks the profile row, checks who acts and the current status, records a
CadreEvent and, once committed, emails the cadre.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from uuid import UUID

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.utils import build_absolute_uri
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import selectors
from cadres.consent import CONSENT_VERSION
from cadres.models import (
    AreaBodyCount,
    AreaStatusCount,
    Body,
    CadreEvent,
    CadreMembership,
    CadreProfile,
    ConsentRecord,
    DeletionRequest,
    Field,
    NikReview,
    PersonalDataView,
    Topic,
)
from cadres.nik import normalize_nik, parse_nik
from cadres.phones import normalize_phone
from forkom import mail, personal_data, scope, texts
from forkom.accounts import services as account_services
from forkom.accounts.models import Role, RoleAssignment, User
from forkom.conflicts import retried_on_conflict
from forkom.errors import BadInput, DomainError, MayNot
from forkom.events import recorded, records_language
from forkom.notifications import kinds as notification_kinds
from forkom.notifications import services as notifications
from forkom.scope import Actor
from forkom.territory.models import Region
from forkom.triggers import triggers_paused

# The longest address an email column holds (RFC 5321's path limit).
EMAIL_MAX_LENGTH = 254

MINIMUM_AGE = 17  # adult under Indonesian law: no data about children
# What stays of a person's name once their data is deleted; the row keeps anonymous counts.
ANONYMISED_NAME = personal_data.ANONYMISED_NAME
# How long the data of an inactive profile is kept (the consent statement says so).
RETENTION_YEARS = 2
# A body the cadre serves in: (body, position, since which year).
Membership = tuple[Body, str, int | None]
Status = CadreProfile.Status


def lock_acting_cadre(actor: Actor) -> CadreProfile | None:
    """The acting person's cadre profile (None: they have none), then their account, locked
    until the transaction ends in the order forgetting them takes them (carry_out_deletion);
    MayNot when the account is closed (forkom.accounts.services.lock_open_account).

    What a service calls first inside its transaction when it writes on the person's behalf
    and may touch their profile or a row pointing at it (a proposal they make). The profile
    FOR NO KEY UPDATE: rows pointing at it may still be written by others meanwhile."""
    profile = CadreProfile.objects.select_for_update(no_key=True).filter(user_id=actor.pk).first()
    account_services.lock_open_account(actor)
    return profile


def record_consent(*, actor: Actor, user: User, version: str = CONSENT_VERSION) -> ConsentRecord:
    """`user` agrees to the personal-data statement; `actor` is an officer in assisted cases."""
    with transaction.atomic():
        if actor.pk == user.pk:  # their own agreement: none once they are forgotten
            account_services.lock_open_account(actor)
        if selectors.has_current_consent(user) and version == CONSENT_VERSION:
            return ConsentRecord.objects.current(version).filter(user=user).first()
        return ConsentRecord.objects.create(
            user=user,
            version=version,
            agreed_at=timezone.now(),
            recorded_by=None if actor == user else actor,
        )


def age_on(birth_date: date, today: date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


@retried_on_conflict
def register_profile(
    *,
    actor: Actor,
    user: User,
    full_name: str,
    nik: str,
    sex: str,
    birth_place: str,
    birth_date: date,
    phone: str,
    address: str,
    kelurahan: Region,
    education: str,
    fields: Iterable[Field] = (),
    skills: str = "",
    training_needs: Iterable[Topic] = (),
    memberships: Iterable[Membership] = (),
    token: UUID | None = None,
) -> CadreProfile:
    """Create the cadre profile of `user`, waiting for verification.

    `actor` is the user themself, or an officer or staff member of the kelurahan registering
    someone without an email (assisted registration). `memberships` holds
    (body, position, since_year) triples.
    """
    if actor != user and not scope.can_act(
        actor, kelurahan.code, {Role.FORUM_OFFICER, Role.DINAS_STAFF}
    ):
        raise DomainError(
            texts.gettext("You may not register cadres in %(region)s.") % {"region": kelurahan}
        )
    if not selectors.has_current_consent(user):
        raise DomainError(
            texts.gettext("The cadre must agree to the personal-data statement first.")
        )
    _check_kelurahan(kelurahan)
    if CadreProfile.objects.filter(user=user).exists():
        raise DomainError(texts.gettext("This account already has a cadre profile."))
    today = timezone.localdate()
    _check_age(birth_date, today)
    nik = _checked_nik(nik, today)
    phone = _checked_phone(phone)
    try:
        with transaction.atomic():
            profile = CadreProfile.objects.create(
                user=user,
                full_name=full_name.strip(),
                nik=None,
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
            # A NIK that another profile holds is not refused (that would tell anyone whether a
            # NIK is registered): the profile waits without it and its officers check the KTP.
            if not _set_nik(profile, nik):
                NikReview.objects.create(profile=profile, nik=nik)
            profile.fields.set(fields)
            profile.training_needs.set(training_needs)
            CadreMembership.objects.bulk_create(
                CadreMembership(
                    profile=profile, body=body, position=position, since_year=since_year
                )
                for body, position, since_year in memberships
            )
            CadreEvent.objects.create(
                profile=profile, actor=actor, before="", after=Status.WAITING, token=token
            )
    except IntegrityError:  # a second registration of this account at the same moment
        raise DomainError(texts.gettext("This account already has a cadre profile.")) from None
    return profile


def _set_nik(profile: CadreProfile, nik: str) -> bool:
    """Give `profile` the NIK unless another profile has taken it meanwhile (the unique
    constraint decides, not a check before); False when taken."""
    if profile.nik == nik:
        return True
    try:
        with transaction.atomic():
            CadreProfile.objects.filter(pk=profile.pk).update(nik=nik)
    except IntegrityError:
        return False
    profile.nik = nik
    return True


def _check_kelurahan(kelurahan: Region) -> None:
    if kelurahan.level != Region.Level.DESA_KELURAHAN or not kelurahan.is_active:
        raise DomainError(texts.gettext("Choose a current kelurahan or desa."))


def _check_age(birth_date: date, today: date) -> None:
    if age_on(birth_date, today) < MINIMUM_AGE:
        raise DomainError(
            texts.gettext("Cadres are %(age)d years old or older.") % {"age": MINIMUM_AGE}
        )


def _checked_nik(nik: str, today: date) -> str:
    checked = parse_nik(nik, today=today)
    if not checked.is_valid:
        raise DomainError(texts.joined(" ", checked.errors))
    return checked.nik


def _checked_phone(phone: str) -> str:
    try:
        return normalize_phone(phone)
    except ValidationError as error:  # the message is already translated
        raise DomainError(texts.validation_messages(error)) from None


@retried_on_conflict
def register_assisted(
    *, actor: Actor, email: str | None = None, token: UUID | None = None, **details: Any
) -> CadreProfile:
    """An officer registers a cadre who has no email: an account without a password.

    The officer confirms that the cadre agreed to the personal-data statement (on paper);
    the consent row records the officer. The cadre claims the account later by email.
    `token` is the form's one-time key: the same form posted again (a double tap) answers
    with the cadre the first post registered, not with a second account.
    """
    if (done := _registered_by_form(actor, token)) is not None:
        return done
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email or None, password=None)
            user.set_unusable_password()
            user.save(update_fields=["password"])
            record_consent(actor=actor, user=user)
            return register_profile(actor=actor, user=user, token=token, **details)
    except DomainError:
        # Both taps at once: the second's event met the first's token (unique) and undid all.
        if (done := _registered_by_form(actor, token)) is not None:
            return done
        raise


def _registered_by_form(actor: Actor, token: UUID | None) -> CadreProfile | None:
    if token is None:
        return None
    event = CadreEvent.objects.filter(token=token).select_related("profile").first()
    if event is None:
        return None
    if event.actor_id != actor.pk or event.before != "":
        raise DomainError(_("This form was already used. Reload the page and try again."))
    return event.profile


@retried_on_conflict
def verify_cadre(
    *, actor: Actor, profile: CadreProfile, note: str = "", token: UUID | None = None
) -> CadreProfile:
    """`token`: the decision form's one-time key; posted twice, the second answers with the
    first's result instead of "only a waiting cadre can be verified"."""
    with transaction.atomic():
        locked = _lock_for_decision(actor, profile)
        if _decided_by_form(actor, locked, token):
            return locked
        if not locked.can_be_verified():
            raise DomainError(_("Only a cadre waiting for verification can be verified."))
        if locked.nik is None:
            raise DomainError(
                _(
                    "The NIK this cadre gave is already registered to another profile. Check "
                    "their KTP: if they mistyped it, they correct it on their profile; if it "
                    "is theirs, contact Dinas PMPD."
                )
            )
        _change_status(locked, actor=actor, to_status=Status.VERIFIED, note=note, token=token)
        if not _holds_cadre_role(locked):
            account_services.grant_role(
                actor=None, user=locked.user, role=Role.CADRE, region=locked.kelurahan
            )
    return locked


@retried_on_conflict
def reject_cadre(
    *, actor: Actor, profile: CadreProfile, reason: str, token: UUID | None = None
) -> CadreProfile:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the rejection: the cadre will read it."))
    with transaction.atomic():
        locked = _lock_for_decision(actor, profile)
        if _decided_by_form(actor, locked, token):
            return locked
        if not locked.can_be_rejected():
            raise DomainError(_("Only a cadre waiting for verification can be rejected."))
        locked.rejection_reason = reason
        _change_status(locked, actor=actor, to_status=Status.REJECTED, note=reason, token=token)
    return locked


@retried_on_conflict
def deactivate_cadre(*, actor: Actor, profile: CadreProfile, note: str = "") -> CadreProfile:
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


def _lock_for_decision(actor: Actor, profile: CadreProfile) -> CadreProfile:
    locked = (
        CadreProfile.objects.select_for_update(of=("self",))
        .select_related("user", "kelurahan")
        .get(pk=profile.pk)
    )
    if not selectors.may_decide(actor, locked.kelurahan_id):
        raise DomainError(_("You may not decide on cadres of this kelurahan."))
    return locked


def _change_status(
    profile: CadreProfile, *, actor: Actor, to_status: str, note: str, token: UUID | None = None
) -> None:
    from_status = profile.status
    profile.status = to_status
    profile.save(update_fields=["status", "rejection_reason", "updated_at"])
    CadreEvent.objects.create(
        profile=profile, actor=actor, before=from_status, after=to_status, note=note, token=token
    )
    mail.later(_email_decision, profile.pk)


def _decided_by_form(actor: Actor, profile: CadreProfile, token: UUID | None) -> bool:
    """Whether the form with `token` already made its decision on `profile` (read under the
    profile's lock); a token used elsewhere or by someone else is refused."""
    if token is None:
        return False
    event = CadreEvent.objects.filter(token=token).first()
    if event is None:
        return False
    if event.profile_id != profile.pk or event.actor_id != actor.pk:
        raise DomainError(_("This form was already used. Reload the page and try again."))
    return True


def _cadre_roles(profile: CadreProfile) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.current().filter(
        user_id=profile.user_id, role=Role.CADRE, region_id=profile.kelurahan_id
    )


def _holds_cadre_role(profile: CadreProfile) -> bool:
    return _cadre_roles(profile).exists()


DECISION = notification_kinds.register(
    "cadre_decision", gettext_lazy("Decisions about my cadre profile"), email_default=True
)
DATA_REQUEST = notification_kinds.register(
    "data_request", gettext_lazy("Answers to my personal-data requests"), email_default=True
)


def _email_decision(profile_pk: int) -> None:
    """Tell the cadre (in the inbox; by email too if they have one and want it)."""
    profile = CadreProfile.objects.select_related("user", "kelurahan").get(pk=profile_pk)
    notifications.tell(
        [profile.user],
        kind=DECISION,
        template="cadres/email/decision",
        context={"profile": profile},
        url=reverse("cadres:mine"),
    )


# --- "Data saya": the cadre corrects, withdraws consent, asks for deletion ----------------

# Verification vouches for who the cadre is (NIK) and where they live (kelurahan): a verified
# cadre who changes either waits for their forum officers to verify them again.
_VERIFIED_FACTS = {"nik", "kelurahan"}


@retried_on_conflict
def update_profile(
    *,
    actor: Actor,
    profile: CadreProfile,
    full_name: str,
    nik: str,
    sex: str,
    birth_place: str,
    birth_date: date,
    phone: str,
    address: str,
    kelurahan: Region,
    education: str,
    fields: Iterable[Field] = (),
    skills: str = "",
    training_needs: Iterable[Topic] = (),
    memberships: Iterable[Membership] = (),
) -> tuple[CadreProfile, list[str]]:
    """The cadre corrects their own profile while it waits for verification or is verified.

    The same checks as at registration apply; a changed NIK is checked again (and must
    still be nobody else's). Returns the profile and the labels of what changed; nothing
    changed, nothing recorded.
    """
    if actor.pk != profile.user_id:
        raise DomainError(_("Only the cadre themself corrects their profile."))
    if not selectors.has_current_consent(actor):
        raise DomainError(_("Agree to the personal-data statement before you correct your data."))
    _check_kelurahan(kelurahan)
    today = timezone.localdate()
    _check_age(birth_date, today)
    phone = _checked_phone(phone)
    values = {
        **_personal_values(
            full_name, sex, birth_place, birth_date, phone, address, education, skills
        ),
        "kelurahan_id": kelurahan.pk,
    }
    with transaction.atomic():
        locked = CadreProfile.objects.select_for_update().get(pk=profile.pk)
        account_services.lock_open_account(actor)  # after the profile, as forgetting does
        if not selectors.can_be_corrected(locked):
            raise DomainError(
                _("A profile can be corrected while it waits for verification or is verified.")
            )
        review = locked.nik_reviews.open().first()
        given_nik = locked.nik or (review.nik if review else None)
        new_nik = _checked_nik(nik, today) if normalize_nik(nik) != given_nik else None
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        changed += ["nik"] if new_nik else []
        changed += _update_relations(locked, fields, training_needs, memberships)
        if not changed:
            return locked, []
        roles_to_end = list(_cadre_roles(locked))
        for name, value in values.items():
            setattr(locked, name, value)
        from_status = locked.status
        names = {name.removesuffix("_id") for name in changed}
        if from_status == Status.VERIFIED and names & _VERIFIED_FACTS:
            locked.status = Status.WAITING
            for assignment in roles_to_end:
                account_services.revoke_role(actor=None, assignment=assignment)
        locked.save()
        if new_nik:
            _correct_nik(locked, new_nik, review)
        with records_language():
            labels = sorted(_label(name) for name in names)
            note = _("Corrected by the cadre: %(parts)s.") % {"parts": ", ".join(labels)}
        CadreEvent.objects.create(
            profile=locked,
            actor=actor,
            before=from_status,
            after=locked.status,
            # Which parts changed, never the values: officers read this history.
            note=note,
        )
    return locked, labels


def _correct_nik(profile: CadreProfile, nik: str, review: NikReview | None) -> None:
    """The cadre gave another NIK: it replaces theirs, or, when another profile holds it,
    their profile waits without one and the officers check it (as at registration)."""
    if review is not None:
        review.closed_at = timezone.now()
        review.save(update_fields=["closed_at"])
    if not _set_nik(profile, nik):
        CadreProfile.objects.filter(pk=profile.pk).update(nik=None)
        profile.nik = None
        NikReview.objects.create(profile=profile, nik=nik)


def check_correction(*, birth_date: date, phone: str) -> str:
    """The checks a correction of the person's facts passes, for the admin's form too:
    returns the phone number as stored (E.164); raises DomainError."""
    _check_age(birth_date, timezone.localdate())
    return _checked_phone(phone)


@retried_on_conflict
def correct_profile(
    *,
    actor: Actor,
    profile: CadreProfile,
    full_name: str,
    sex: str,
    birth_place: str,
    birth_date: date,
    phone: str,
    address: str,
    education: str,
    fields: Iterable[Field] = (),
    skills: str = "",
    training_needs: Iterable[Topic] = (),
    memberships: Iterable[Membership] | None = None,
) -> tuple[CadreProfile, list[str]]:
    """Dinas staff correct a cadre's profile in the admin (a typo in a name, a new number).

    The same checks as the cadre's own correction; the NIK and the kelurahan, which decide
    who the person is and who verifies them, change only through the cadre's own form.
    Records one CadreEvent naming what changed (never the values: officers read the
    history). `memberships` None leaves the bodies as they are. Returns the profile and the
    labels of what changed.
    """
    phone = check_correction(birth_date=birth_date, phone=phone)
    values = _personal_values(
        full_name, sex, birth_place, birth_date, phone, address, education, skills
    )
    with transaction.atomic():
        locked = CadreProfile.objects.select_for_update().get(pk=profile.pk)
        if not scope.can_act(actor, locked.kelurahan_id, scope.STAFF):
            raise DomainError(_("Only Dinas staff of this area correct this profile."))
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        changed += _update_relations(locked, fields, training_needs, memberships)
        if not changed:
            return locked, []
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        with records_language():
            labels = sorted(_label(name) for name in changed)
            note = _("Corrected by Dinas staff: %(parts)s.") % {"parts": ", ".join(labels)}
        CadreEvent.objects.create(
            profile=locked,
            actor=actor,
            before=locked.status,
            after=locked.status,
            note=note,
        )
    return locked, labels


def _personal_values(
    full_name: str,
    sex: str,
    birth_place: str,
    birth_date: date,
    phone: str,
    address: str,
    education: str,
    skills: str,
) -> dict[str, Any]:
    """The profile's own columns as a correction stores them (texts trimmed)."""
    return {
        "full_name": full_name.strip(),
        "sex": sex,
        "birth_place": birth_place.strip(),
        "birth_date": birth_date,
        "phone": phone,
        "address": address.strip(),
        "education": education,
        "skills": skills.strip(),
    }


def record_personal_data_view(*, actor: Actor, profile: CadreProfile) -> PersonalDataView | None:
    """Someone other than the cadre saw their full personal data (the NIK in full): the
    cadre reads these views in Data saya."""
    if actor.pk == profile.user_id:
        return None
    return PersonalDataView.objects.create(viewer=actor, profile=profile)


def save_list_entry(*, actor: Actor, entry: Body | Field | Topic) -> Body | Field | Topic:
    """Add or rename an entry of a staff list (bodies, fields of work, training topics), or
    retire it: profiles keep pointing at a retired entry, so entries are never deleted."""
    if not (actor.is_superuser or scope.has_role(actor, Role.DINAS_STAFF)):
        raise DomainError(_("Only Dinas staff keep the lists."))
    entry.name = entry.name.strip()
    entry.save()
    return entry


def _label(name: str) -> str:
    if name == "memberships":
        return str(CadreMembership._meta.verbose_name_plural)
    return str(getattr(CadreProfile._meta.get_field(name), "verbose_name", name))


def _update_relations(
    profile: CadreProfile,
    fields: Iterable[Field],
    training_needs: Iterable[Topic],
    memberships: Iterable[Membership] | None,
) -> list[str]:
    """Set the fields, training needs and bodies (None: unchanged); the names of those that
    changed."""
    changed = []
    lists: tuple[tuple[str, Iterable[Field] | Iterable[Topic]], ...] = (
        ("fields", fields),
        ("training_needs", training_needs),
    )
    for name, entries in lists:
        manager = getattr(profile, name)
        wanted_ids = {item.pk for item in entries}
        if set(manager.values_list("pk", flat=True)) != wanted_ids:
            manager.set(wanted_ids)
            changed.append(name)
    if memberships is None:
        return changed
    wanted = {(body.pk, position or "", since) for body, position, since in memberships}
    current = set(profile.memberships.values_list("body_id", "position", "since_year"))
    if wanted != current:
        profile.memberships.all().delete()
        CadreMembership.objects.bulk_create(
            CadreMembership(profile=profile, body_id=body_id, position=position, since_year=year)
            for body_id, position, year in wanted
        )
        changed.append("memberships")
    return changed


@retried_on_conflict
def withdraw_consent(*, actor: Actor) -> CadreProfile | None:
    """The person withdraws their consent to the personal-data statement.

    Nothing more is collected: their profile becomes inactive (the cadre role ends and the
    forum no longer counts them as an active cadre). The data already stored is kept as the
    statement says until they ask for its deletion.
    """
    with transaction.atomic():
        withdrawn = ConsentRecord.objects.filter(user=actor, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        if not withdrawn:
            raise DomainError(_("You have no consent to withdraw."))
        profile = CadreProfile.objects.select_for_update().filter(user=actor).first()
        if profile is not None and profile.can_be_deactivated():
            deactivate_cadre(
                actor=actor, profile=profile, note=recorded(gettext_lazy("Consent withdrawn."))
            )
    return profile


def request_deletion(*, actor: Actor, reason: str = "") -> DeletionRequest:
    """The cadre asks for their personal data to be deleted; Dinas staff of their area decide."""
    profile = CadreProfile.objects.filter(user=actor).first()
    if profile is None:
        raise DomainError(_("You have no cadre profile to delete."))
    already = _("You have already asked for the deletion of your data; Dinas staff handle it.")
    try:
        with transaction.atomic():
            account_services.lock_open_account(actor)
            if DeletionRequest.objects.filter(
                user=actor, status=DeletionRequest.Status.OPEN
            ).exists():
                raise DomainError(already)
            return DeletionRequest.objects.create(
                user=actor, kelurahan_id=profile.kelurahan_id, reason=(reason or "").strip()
            )
    except IntegrityError:  # a second request at the same moment
        raise DomainError(already) from None


@retried_on_conflict
def carry_out_deletion(
    *, actor: Actor, request: DeletionRequest, note: str = ""
) -> DeletionRequest:
    """Dinas staff carry out a deletion request: the person is anonymised.

    Kept, so that anonymous counts stay right: the kelurahan, sex, year of birth, education,
    bodies (without positions), fields, training needs and the status history (without
    notes). Everything that names or reaches the person is removed, the account is closed
    and every role ends. The person is told by email, once, at the address just removed.
    """
    with transaction.atomic():
        locked = _lock_open_request(actor, request)
        address = None
        if locked.user_id is not None:
            # The profile before the account, as whoever acts on what the profile allows
            # (a training sign-up) locks it and then writes rows pointing at the account.
            CadreProfile.objects.select_for_update().filter(user_id=locked.user_id).first()
            user = User.objects.select_for_update().get(pk=locked.user_id)
            address = user.email
            _anonymise(actor, user)
            locked.reason = ""
        _close_request(locked, actor, DeletionRequest.Status.DONE, note)
        if address:
            # Queued now, with the deletion: a task's arguments would keep the address.
            mail.send(to=address, template="cadres/email/deletion_done", context={})
    return locked


def delete_expired_personal_data(*, now: datetime | None = None) -> int:
    """Anonymise the cadres whose profile has been inactive for RETENTION_YEARS or more.

    What the consent statement promises: the data is kept while the person is an active
    cadre and for two years after their profile became inactive, then deleted. The same
    anonymisation as a deletion request, done by the system (no actor); each profile in its
    own transaction, re-checked under its lock, so that a cadre who became active again in
    the meantime is left alone and a second run finds nothing more to do. Returns how many
    were anonymised.
    """
    now = now or timezone.now()
    expired = _expired_profiles(now).values_list("pk", flat=True)
    done = 0
    for pk in expired.iterator(chunk_size=500):
        with transaction.atomic():
            profile = _expired_profiles(now).select_for_update(of=("self",)).filter(pk=pk).first()
            if profile is None:
                continue
            user = User.objects.select_for_update().get(pk=profile.user_id)
            _anonymise(
                None,
                user,
                note=recorded(
                    gettext_lazy(
                        "Personal data deleted: two years after the profile became inactive."
                    )
                ),
            )
            done += 1
    return done


def _expired_profiles(now: datetime) -> QuerySet[CadreProfile]:
    """Inactive profiles not yet anonymised whose last change to inactive is old enough."""
    became_inactive = (
        CadreEvent.objects.filter(profile=OuterRef("pk"), after=Status.INACTIVE)
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        CadreProfile.objects.filter(status=Status.INACTIVE)
        .exclude(full_name=ANONYMISED_NAME, nik=None)
        .annotate(inactive_since=Subquery(became_inactive))
        .filter(inactive_since__lt=_years_before(now, RETENTION_YEARS))
    )


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def decline_deletion(*, actor: Actor, request: DeletionRequest, note: str) -> DeletionRequest:
    """Dinas staff decline a deletion request, saying why (the person reads it)."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Give the reason for declining: the cadre will read it."))
    with transaction.atomic():
        locked = _lock_open_request(actor, request)
        _close_request(locked, actor, DeletionRequest.Status.DECLINED, note)
        mail.later(_email_deletion_declined, locked.pk)
    return locked


def _lock_open_request(actor: Actor, request: DeletionRequest) -> DeletionRequest:
    locked = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    if not scope.can_act(actor, locked.kelurahan_id, scope.STAFF):
        raise DomainError(_("You may not handle deletion requests of this region."))
    if locked.status != DeletionRequest.Status.OPEN:
        raise DomainError(_("This deletion request has already been handled."))
    return locked


def _close_request(locked: DeletionRequest, actor: Actor, status: str, note: str) -> None:
    locked.status = status
    locked.handled_by = actor
    locked.handled_at = timezone.now()
    locked.note = (note or "").strip()
    locked.save()


def _anonymise(actor: Actor, user: User, note: str | None = None) -> None:
    """Forget the person in every app that holds something about them (forkom.personal_data),
    and with them their profile here (cadres/personal_data.py)."""
    personal_data.forget(actor=actor, user=user, note=note)


def _email_deletion_declined(request_pk: int) -> None:
    request = DeletionRequest.objects.select_related("user").get(pk=request_pk)
    if request.user is None:
        return
    notifications.tell(
        [request.user],
        kind=DATA_REQUEST,
        template="cadres/email/deletion_declined",
        context={"request": request},
        url=reverse("cadres:my_data"),
    )


# --- Assisted registration: the cadre claims the account later ---------------------------


def add_email_for_claim(
    *, actor: Actor, profile: CadreProfile, email: str, http_request: HttpRequest
) -> User:
    """An officer or staff member gives the email of a cadre registered without one.

    The address is added unconfirmed and the cadre is emailed a link to set a password
    (allauth's password reset); they confirm the address when they first sign in. Until the
    cadre has set a password the address may be replaced (a typing mistake), and entering it
    again sends a new link. `http_request` lets allauth build the link's full address.
    """
    email = (email or "").strip().lower()
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise BadInput(_("Enter a valid email address.")) from None
    if not scope.can_act(actor, profile.kelurahan_id, {Role.FORUM_OFFICER, Role.DINAS_STAFF}):
        raise MayNot(_("You may not change the accounts of cadres in this kelurahan."))
    taken = _("This email address belongs to another account.")
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=profile.user_id)
            if not user.is_active:
                raise DomainError(_("This account is closed."))
            if user.has_usable_password():
                raise DomainError(
                    _(
                        "The cadre has already claimed this account; they change their "
                        "email address themselves."
                    )
                )
            if not selectors.is_plain_cadre(user):
                # An address given here opens the account by a password-reset link: never
                # for an account that holds more than the cadre role (a forum's ketua).
                raise MayNot(
                    _(
                        "This account holds an officer's or higher role: the person claims "
                        "it through Dinas PMPD, not through an email given here."
                    )
                )
            if (
                EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists()
                or User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
            ):
                raise DomainError(taken)
            EmailAddress.objects.filter(user=user).exclude(email=email).delete()
            user.email = email
            user.save(update_fields=["email"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": False, "primary": True}
            )
            CadreEvent.objects.create(
                profile=profile,
                actor=actor,
                before=profile.status,
                after=profile.status,
                note=recorded(
                    gettext_lazy("Email address added so that the cadre can claim the account.")
                ),
            )
            mail.later(_email_claim, user.pk, build_absolute_uri(http_request, "/"))
    except IntegrityError:
        raise DomainError(taken) from None
    return user


def _email_claim(user_pk: int, site: str) -> None:
    """`site` is the address of the site's root as the officer reached it."""
    user = User.objects.select_related("cadre_profile__kelurahan").get(pk=user_pk)
    if not (user.is_active and user.email) or user.has_usable_password():
        return
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    context = {
        "profile": user.cadre_profile,
        "link": site.rstrip("/") + path,
        "reset_url": site.rstrip("/") + reverse("account_reset_password"),
        "email": user.email,
    }
    mail.send(to=user.email, template="cadres/email/claim", context=context)


@retried_on_conflict
def fix_area_counts() -> list[selectors.CountMismatch]:
    """Recount the cadres per kelurahan and status, and the verified cadres per kelurahan
    and body, and store the recount where the summary differs; returns what was found.

    On PostgreSQL the profiles and memberships are locked against writes (reads go on)
    while it recounts and stores: a write committed between the two would be lost.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = ", ".join(
                connection.ops.quote_name(model._meta.db_table)
                for model in (CadreProfile, CadreMembership)
            )
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
        found = selectors.area_count_mismatches()
        AreaStatusCount.objects.bulk_create(
            [
                AreaStatusCount(
                    kelurahan_id=row.kelurahan_id, status=row.status, cadres=row.counted
                )
                for row in found
                if row.status is not None
            ],
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["kelurahan", "status"],
            update_fields=["cadres"],
        )
        AreaBodyCount.objects.bulk_create(
            [
                AreaBodyCount(
                    kelurahan_id=row.kelurahan_id, body_id=row.body_id, cadres=row.counted
                )
                for row in found
                if row.body_id is not None
            ],
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["kelurahan", "body"],
            update_fields=["cadres"],
        )
    return found


@contextmanager
def area_counts_recounted_after_bulk_load() -> Iterator[None]:
    """Around a bulk load of profiles and memberships (the seed's COPY), inside its
    transaction: their count triggers (a statement per row, otherwise) are off, and the
    counts are recounted once at the end."""
    with triggers_paused([CadreProfile, CadreMembership]):
        yield
    fix_area_counts()
