from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from forkom import scope
from forkom.accounts.models import Role
from forkom.territory.codes import level_of
from forkom.territory.models import Region


@dataclass(frozen=True)
class Menu:
    """What the menu offers the signed-in person, decided from their roles (forkom.scope):
    templates read these flags and never name a role."""

    reviews_proposals: bool = False
    lists_cadres: bool = False
    sees_dashboard: bool = False
    registers_cadres: bool = False
    imports_cadres: bool = False
    organises_trainings: bool = False
    administers: bool = False


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": Menu()}
    grants = scope.grants(user)
    roles = frozenset(grant.role for grant in grants)
    # Dinas staff import into their region, forum officers of a kecamatan into it.
    imports_cadres = any(
        grant.role == Role.DINAS_STAFF
        or (
            grant.role == Role.FORUM_OFFICER
            and level_of(grant.region_code) == Region.Level.KECAMATAN
        )
        for grant in grants
    )
    if user.is_superuser:
        roles = frozenset(Role)
    return {
        "menu": Menu(
            reviews_proposals=bool(roles & scope.OFFICERS_AND_ABOVE),
            lists_cadres=bool(roles & scope.OFFICERS_AND_ABOVE),
            sees_dashboard=bool(roles & scope.CITY_AND_ABOVE),
            registers_cadres=bool(roles & scope.OFFICERS_AND_STAFF),
            imports_cadres=imports_cadres,
            organises_trainings=bool(roles & scope.OFFICERS_AND_STAFF),
            administers=bool(roles & scope.STAFF),
        )
    }
