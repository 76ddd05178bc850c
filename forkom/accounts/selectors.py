"""Reads about accounts that pages and services share."""

from allauth.mfa.models import Authenticator

from forkom import scope
from forkom.accounts.models import Role
from forkom.scope import Viewer


def has_totp(user: Viewer) -> bool:
    """Whether the person has turned on TOTP two-factor authentication (then allauth asks
    for it at every sign-in). Read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_forkom_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._forkom_has_totp = cached
    return bool(cached)


def staff_without_second_factor(user: Viewer) -> bool:
    """Dinas staff (or a superuser) who has not turned on TOTP: they see no full NIK and
    export no contact details until they do, on the site as in the admin."""
    return bool(
        getattr(user, "is_superuser", False) or scope.has_role(user, Role.DINAS_STAFF)
    ) and not has_totp(user)
