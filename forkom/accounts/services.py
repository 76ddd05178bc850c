"""Writes on accounts and roles. Each assignment row is its own audit record."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forkom import mail, scope
from forkom.accounts.models import ROLE_LEVELS, Role, RoleAssignment, RoleInvitation, User
from forkom.errors import DomainError, MayNot
from forkom.http import absolute_url
from forkom.territory.models import Region

# Roles that come with a flow of their own, with its rules and events: a person gives them
# only through it (verification, the forum's page), never directly.
ROLES_BY_FLOW = {Role.CADRE, Role.FORUM_OFFICER}


def check_grant(*, actor: Any, role: str, region: Region, position: str = "") -> None:
    """Raise DomainError if `actor` may not give `role` over `region` (used by forms too).

    `actor` None is the portal itself, acting for one of the flows.
    """
    if actor is not None and not scope.can_act(actor, region.code, scope.STAFF):
        raise DomainError(_("You may not assign roles in %(region)s.") % {"region": region.name})
    role = Role(role)
    if actor is not None and role in ROLES_BY_FLOW:
        raise DomainError(_by_flow(role))
    if region.level not in ROLE_LEVELS[role]:
        raise DomainError(
            _("A %(role)s is not held at the level of %(region)s.")
            % {"role": role.label, "region": region.name}
        )
    if (role == Role.FORUM_OFFICER) != bool(position):
        raise DomainError(_("A position is given to forum officers, and only to them."))
    if not region.is_active:
        raise DomainError(_("%(region)s is no longer an active region.") % {"region": region.name})
    # The database refuses a second active coordinator (grant_role reads that as this same
    # message); asked here too, an invitation is refused to staff instead of to the invitee.
    if (
        role == Role.CITY_COORDINATOR
        and RoleAssignment.objects.filter(region=region, role=role, is_active=True).exists()
    ):
        raise _coordinator_taken(region)


def _coordinator_taken(region: Region) -> DomainError:
    return DomainError(
        _("%(region)s already has an active city coordinator.") % {"region": region.name}
    )


def grant_role(
    *,
    actor: Any,
    user: User,
    role: str,
    region: Region,
    position: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> RoleAssignment:
    """Give `user` the `role` over `region`.

    The actor must be staff over that region and already manage the account (an account of
    their region that stands below them; see scope.manageable_users): a role is never the way
    to make someone else's account one's own. A new person is invited instead
    (invite_to_role), and accepts by email.
    """
    check_grant(actor=actor, role=role, region=region, position=position)
    if actor is not None:
        _check_manages(actor, user)
    return _create_assignment(
        granted_by=actor,
        user=user,
        role=role,
        region=region,
        position=position,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def _create_assignment(
    *,
    granted_by: Any,
    user: User,
    role: str,
    region: Region,
    position: str,
    starts_on: date | None,
    ends_on: date | None,
) -> RoleAssignment:
    role = Role(role)
    starts_on = starts_on or timezone.localdate()
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user,
                role=role,
                region=region,
                position=position,
                starts_on=starts_on,
                ends_on=ends_on,
                granted_by=granted_by,
            )
            # A role dated to start later changes nothing about the account until it starts
            # (sync_staff_flag, at sign-in and daily).
            sync_staff_flag(user)
    except IntegrityError:
        if role == Role.CITY_COORDINATOR:
            raise _coordinator_taken(region) from None
        raise DomainError(_("This user already holds this role here.")) from None
    scope.forget_grants(user)
    return assignment


def revoke_role(*, actor: Any, assignment: RoleAssignment) -> RoleAssignment:
    """End a role assignment; the row stays as the record of who held what, and when."""
    if actor is not None and not scope.can_act(actor, assignment.region_id, scope.STAFF):
        raise DomainError(_("You may not change roles in this region."))
    if actor is not None and assignment.role in ROLES_BY_FLOW:
        raise DomainError(_by_flow(assignment.role))
    if actor is not None:
        # Not a peer's, not the coordinator's for a kota's staff: only those above them.
        _check_manages(actor, assignment.user)
    with transaction.atomic():
        locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if not locked.is_active:
            raise DomainError(_("This role has already been revoked."))
        locked.is_active = False
        locked.revoked_at = timezone.now()
        locked.ends_on = min(locked.ends_on or timezone.localdate(), timezone.localdate())
        locked.ends_on = max(locked.ends_on, locked.starts_on)
        locked.save(update_fields=["is_active", "revoked_at", "ends_on"])
        user = locked.user
        sync_staff_flag(user)
    scope.forget_grants(user)
    return locked


def sync_staff_flag(user: User, today: date | None = None) -> bool:
    """Django's `is_staff` follows a current Dinas staff role (a superuser keeps it).

    Called when a role is given or revoked, at each sign-in and by the daily
    `sync_staff_flags` command, so that a role dated to start later opens the admin only on
    its first day and one that ran out closes it. Returns whether the flag changed.
    """
    staff_now = user.is_superuser or (
        RoleAssignment.objects.current(today).filter(user=user, role=Role.DINAS_STAFF).exists()
    )
    if user.is_staff == staff_now:
        return False
    user.is_staff = staff_now
    User.objects.filter(pk=user.pk).update(is_staff=staff_now)
    return True


def sync_staff_flags(today: date | None = None) -> int:
    """`sync_staff_flag` for every account whose flag may be out of date; the count changed."""
    current = RoleAssignment.objects.current(today).filter(role=Role.DINAS_STAFF)
    started = User.objects.filter(is_staff=False, pk__in=current.values("user_id"))
    ended = User.objects.filter(is_staff=True, is_superuser=False).exclude(
        pk__in=current.values("user_id")
    )
    return started.update(is_staff=True) + ended.update(is_staff=False)


def _by_flow(role: str) -> str:
    if role == Role.CADRE:
        return _(
            "The cadre role comes with verification: verify, reject or deactivate the cadre "
            "on their page."
        )
    return _("Forum officers are appointed and their terms ended on the forum's page.")


# Accounts that Dinas staff manage in the admin.

ACCOUNT_FIELDS = ("email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")
SUPERUSER_FIELDS = {"is_staff", "is_superuser"}


def lock_open_account(actor: Any) -> User:
    """The acting account's row, held until the transaction ends; MayNot when the account is
    closed (its person forgotten: a deletion request carried out, the retention period run
    out; or closed by staff).

    A service that writes on behalf of the person (their comment, answer, draft, profile,
    preferences) calls it inside its transaction.atomic(), before it locks or writes anything
    else, so that nothing of theirs is written after their data is forgotten: forgetting locks
    the account too, so a service arriving meanwhile waits here and then finds the account
    closed, and a service that got here first makes the forgetting wait, which then finds what
    it wrote and forgets it as well.

    Lock order, the one forgetting takes (cadres.services.carry_out_deletion, and
    forkom.personal_data.forget_again through the apps' `lock_first`): the person's
    cadre profile, then this account, then the rows the service works on (a proposal, an
    invitation). A service that locks or writes the profile, or inserts a row pointing at it
    (a draft, an innovation), takes the profile first (cadres.services.lock_acting_cadre does
    both): holding the account while waiting for the profile would deadlock with a forgetting
    that holds the profile and waits for the account. A service that does not touch the
    profile takes only the account: it then never waits for the profile at all (an officer's
    decision holding it).

    FOR NO KEY UPDATE rather than FOR SHARE: a service may go on to update the account row
    (the unread count of notifications), and two transactions holding a shared lock on the
    same row could not both upgrade it; and rows pointing at the account (a notification for
    the person, an event) may still be inserted by others meanwhile. MayNot (403): whatever
    the request asked, the person may no longer act, and asking again does not help.
    """
    locked = User.objects.select_for_update(no_key=True).filter(pk=actor.pk).first()
    if locked is None or not locked.is_active:
        raise MayNot(_("This account is closed."))
    return locked


def _check_manages(actor: Any, user: User) -> None:
    if not scope.manageable_users(User.objects.filter(pk=user.pk), actor).exists():
        raise DomainError(_("You may not manage this account."))


def create_account(*, actor: Any, user: User) -> User:
    """A new account from the admin's form (email and a hashed password already set).

    Superusers only: an account made by staff would belong to no region. Staff invite a new
    person into a role instead (invite_to_role).
    """
    if not actor.is_superuser:
        raise DomainError(
            _("Invite the person into a role instead: they create their own account.")
        )
    user.is_superuser = user.is_staff = False
    user.save()
    return user


def change_account(*, actor: Any, user: User, values: dict[str, Any]) -> User:
    """Change an account's email, name or status; only a superuser changes who is staff or
    superuser."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        _check_manages(actor, locked)
        allowed = set(ACCOUNT_FIELDS) - (set() if actor.is_superuser else SUPERUSER_FIELDS)
        changed = [
            name
            for name, value in values.items()
            if name in allowed and getattr(locked, name) != value
        ]
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.save(update_fields=changed)
    return locked


def set_account_password(*, actor: Any, user: User, password: str) -> User:
    """Staff set a password for an account they manage (the person changes it later)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        _check_manages(actor, locked)
        locked.set_password(password)
        locked.save(update_fields=["password"])
    return locked


# Invitations: how staff reach a person who is not yet theirs to manage.

INVITATION_DAYS = 14


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_to_role(
    *,
    actor: Any,
    email: str,
    role: str,
    region: Region,
    starts_on: date | None = None,
    ends_on: date | None = None,
    build_url: Callable[[str], str] = absolute_url,
) -> tuple[RoleInvitation, str]:
    """Offer `role` over `region` to whoever holds `email`; returns the invitation and the
    token of its link (kept nowhere else). The role is given when the person accepts.

    `build_url` turns the link's path into the address in the email (the request's own
    address from the admin)."""
    check_grant(actor=actor, role=role, region=region)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter a valid email address.")) from None
    if ends_on and ends_on < (starts_on or timezone.localdate()):
        raise DomainError(_("A role ends on or after the day it starts."))
    token = secrets.token_urlsafe(32)
    invitation = RoleInvitation.objects.create(
        email=email,
        role=role,
        region=region,
        starts_on=starts_on,
        ends_on=ends_on,
        invited_by=actor,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    link = build_url(reverse("accounts:invitation", kwargs={"token": token}))
    mail.send(
        to=email,
        template="accounts/email/invitation",
        context={"invitation": invitation, "link": link, "days": INVITATION_DAYS},
    )
    return invitation, token


def withdraw_invitation(*, actor: Any, invitation: RoleInvitation) -> RoleInvitation:
    if not scope.can_act(actor, invitation.region_id, scope.STAFF):
        raise DomainError(_("You may not change roles in this region."))
    with transaction.atomic():
        locked = RoleInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at or locked.withdrawn_at:
            raise DomainError(_("This invitation has already been answered or withdrawn."))
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
    return locked


def open_invitation(token: str) -> RoleInvitation | None:
    """The open invitation behind a link's token, or None (unknown, used, expired)."""
    if not token or len(token) > 100:
        return None
    return (
        RoleInvitation.objects.open()
        .select_related("region", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )


def accept_invitation(*, actor: User, token: str) -> RoleAssignment:
    """The signed-in `actor` accepts the invitation of `token`.

    Only at an address of theirs that they have confirmed, the one invited; the inviter's
    right to give the role is checked again now (they may have left the region).
    """
    with transaction.atomic():
        # First: forgetting the person locks the account, then deletes their invitations.
        lock_open_account(actor)
        invitation = open_invitation(token)
        if invitation is None:
            raise DomainError(_("This invitation is no longer valid. Ask for a new one."))
        invitation = RoleInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at or invitation.withdrawn_at:
            raise DomainError(_("This invitation is no longer valid. Ask for a new one."))
        user = actor
        confirmed = EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
        if not confirmed:
            raise MayNot(
                _("This invitation was sent to %(email)s: sign in with that address, confirmed.")
                % {"email": invitation.email}
            )
        inviter = invitation.invited_by
        if inviter is None or not scope.can_act(inviter, invitation.region_id, scope.STAFF):
            raise DomainError(_("The person who invited you can no longer give this role."))
        check_grant(actor=inviter, role=invitation.role, region=invitation.region)
        assignment = _create_assignment(
            granted_by=inviter,
            user=user,
            role=invitation.role,
            region=invitation.region,
            position="",
            starts_on=invitation.starts_on,
            ends_on=invitation.ends_on,
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return assignment
