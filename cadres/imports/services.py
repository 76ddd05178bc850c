"""Write a checked sheet: all rows or none, each through assisted registration."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cadres import services
from cadres.imports.checking import Plan, check_area
from forkom.errors import DomainError


def import_cadres(*, actor: Any, plan: Plan) -> int:
    """Register every row the check would create, in one transaction.

    Each cadre gets what assisted registration gives: an account without a password, the
    uploader as "registered by", the consent the uploader confirms was given on paper, an
    event. A refusal on any row (a NIK registered meanwhile is not one: it waits for review
    as on the form) undoes every row, and says which line it was.
    """
    check_area(actor, plan.area)
    with transaction.atomic():
        for line, details in plan.create:
            try:
                services.register_assisted(actor=actor, **details)
            except DomainError as error:
                raise DomainError(
                    _("Line %(line)d: %(reason)s Nothing was imported.")
                    % {"line": line, "reason": error.message}
                ) from None
    return len(plan.create)
