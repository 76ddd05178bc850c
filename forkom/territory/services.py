"""Writes on regions that staff make in the admin (the importer loads whole tables)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from forkom import scope
from forkom.errors import DomainError
from forkom.territory.codes import placement
from forkom.territory.models import Region


def check_new_region(*, actor: Any, code: str) -> None:
    """Raise DomainError unless `actor` may add a region with `code` (used by forms too)."""
    place = placement(code)
    if place is None:
        raise DomainError(_("A Kemendagri code looks like 64, 64.74, 64.74.01 or 64.74.01.1001."))
    if not scope.can_act(actor, code, scope.STAFF):
        raise DomainError(_("%(code)s is outside your region.") % {"code": code})
    if place.parent and not Region.objects.filter(code=place.parent).exists():
        raise DomainError(
            _("Add the region %(parent)s first: it holds %(code)s.")
            % {"parent": place.parent, "code": code}
        )


def add_region(*, actor: Any, code: str, name: str, is_active: bool = True) -> Region:
    """A region missing from the Kemendagri table, placed in the tree by its code."""
    code = code.strip()
    check_new_region(actor=actor, code=code)
    place = placement(code)
    assert place is not None  # checked above
    return Region.objects.create(
        code=code,
        name=name.strip(),
        level=place.level,
        kind=place.kind,
        parent_id=place.parent,
        is_active=is_active,
    )


def change_region(*, actor: Any, region: Region, name: str, is_active: bool) -> Region:
    """Rename a region or retire it; its code, and so its place in the tree, stay."""
    with transaction.atomic():
        locked = Region.objects.select_for_update().get(pk=region.pk)
        if not scope.can_act(actor, locked.code, scope.STAFF):
            raise DomainError(_("%(code)s is outside your region.") % {"code": locked.code})
        locked.name = name.strip()
        locked.is_active = is_active
        locked.save(update_fields=["name", "is_active"])
    return locked
