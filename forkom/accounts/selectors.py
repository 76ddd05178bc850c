"""Reads about accounts that pages and services share."""

from functools import cache

from allauth.mfa.models import Authenticator
from django.db import router

from forkom import scope, statements
from forkom.accounts.models import Role
from forkom.scope import Viewer


def has_totp(user: Viewer) -> bool:
    """Whether the person has turned on TOTP two-factor authentication (then allauth asks
    for it at every sign-in). Read once per request and kept on the user.

    Every admin page asks (ForkomAdminSite.has_permission), so the query is compiled once
    per database (forkom.statements): building it took longer than running it. The answer
    itself is read afresh on every request."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_forkom_has_totp", None)
    if cached is None:
        statement = _totp_statement(router.db_for_read(Authenticator))
        cached = bool(statements.rows(statement, user.pk))
        user._forkom_has_totp = cached
    return bool(cached)


@cache
def _totp_statement(alias: str) -> statements.Statement:
    """Whether a user has a TOTP authenticator: one row or none."""
    return statements.compiled(
        Authenticator.objects.using(alias)
        .filter(user_id=statements.PLACEHOLDER, type=Authenticator.Type.TOTP)
        .values_list("pk")[:1]
    )


def staff_without_second_factor(user: Viewer) -> bool:
    """Dinas staff (or a superuser) who has not turned on TOTP: they see no full NIK and
    export no contact details until they do, on the site as in the admin."""
    return bool(
        getattr(user, "is_superuser", False) or scope.has_role(user, Role.DINAS_STAFF)
    ) and not has_totp(user)
