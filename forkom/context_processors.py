from typing import Any

from django.http import HttpRequest

from forkom import scope
from forkom.accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The roles the signed-in user holds, so the menu shows what they can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset()}
    roles = frozenset(grant.role for grant in scope.grants(user))
    return {
        "user_roles": roles,
        "is_dinas_staff": user.is_superuser or Role.DINAS_STAFF in roles,
    }
