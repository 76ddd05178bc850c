"""Writes on accounts and roles. Each assignment row is its own audit record."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forkom import scope
from forkom.accounts.models import ROLE_LEVELS, Role, RoleAssignment, User
from forkom.errors import DomainError
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
    """Give `user` the `role` over `region`; the actor must be staff over that region."""
    check_grant(actor=actor, role=role, region=region, position=position)
    role = Role(role)
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user,
                role=role,
                region=region,
                position=position,
                starts_on=starts_on or timezone.localdate(),
                ends_on=ends_on,
                granted_by=actor,
            )
            if role == Role.DINAS_STAFF and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
    except IntegrityError:
        if role == Role.CITY_COORDINATOR:
            raise DomainError(
                _("%(region)s already has an active city coordinator.") % {"region": region.name}
            ) from None
        raise DomainError(_("This user already holds this role here.")) from None
    scope.forget_grants(user)
    return assignment


def revoke_role(*, actor: Any, assignment: RoleAssignment) -> RoleAssignment:
    """End a role assignment; the row stays as the record of who held what, and when."""
    if actor is not None and not scope.can_act(actor, assignment.region_id, scope.STAFF):
        raise DomainError(_("You may not change roles in this region."))
    if actor is not None and assignment.role in ROLES_BY_FLOW:
        raise DomainError(_by_flow(assignment.role))
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
        still_staff = (
            RoleAssignment.objects.filter(user=user, role=Role.DINAS_STAFF, is_active=True)
            .exclude(pk=locked.pk)
            .exists()
        )
        if locked.role == Role.DINAS_STAFF and not still_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    scope.forget_grants(user)
    return locked


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


def _check_manages(actor: Any, user: User) -> None:
    if not scope.manageable_users(User.objects.filter(pk=user.pk), actor).exists():
        raise DomainError(_("You may not manage this account."))


def create_account(*, actor: Any, user: User) -> User:
    """A new account from the admin's form (email and a hashed password already set)."""
    if not (actor.is_superuser or scope.has_role(actor, Role.DINAS_STAFF)):
        raise DomainError(_("You may not manage this account."))
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
