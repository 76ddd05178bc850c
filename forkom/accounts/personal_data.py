"""What an account holds about its person: the login, email addresses, roles, second factor."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy

from forkom import personal_data
from forkom.accounts import services
from forkom.accounts.models import RoleAssignment, RoleInvitation, User


def export(user: User) -> dict[str, Any]:
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user)
            .order_by("email")
            .values("email", "verified", "primary")
        ),
        "role_assignments": _role_assignments(user),
        "role_invitations": list(
            RoleInvitation.objects.filter(accepted_by=user)
            .order_by("created_at")
            .values("email", "role", "region_id", "created_at", "accepted_at")
        ),
    }


def _role_assignments(user: User) -> list[dict[str, Any]]:
    assignments = (
        RoleAssignment.objects.filter(user=user)
        .select_related("region", "officer_field__field")
        .order_by("starts_on", "pk")
    )
    rows = []
    for assignment in assignments:
        officer_field = getattr(assignment, "officer_field", None)
        rows.append(
            {
                "role": assignment.role,
                "position": assignment.position,
                "field": officer_field.field.name if officer_field else None,
                "region": {"code": assignment.region_id, "name": assignment.region.name},
                "starts_on": assignment.starts_on,
                "ends_on": assignment.ends_on,
                "is_active": assignment.is_active,
            }
        )
    return rows


def forget(forgetting: personal_data.Forgetting) -> None:
    """Last of all: the roles end (the rows stay as the record of who held what), the account
    can no longer sign in and keeps no name, address or second factor."""
    user = forgetting.user
    for assignment in RoleAssignment.objects.filter(user=user, is_active=True):
        services.revoke_role(actor=None, assignment=assignment)
    personal_data.forget_admin_history(
        User.objects.filter(pk=user.pk),
        RoleAssignment.objects.filter(user=user),
        title=personal_data.ANONYMISED_NAME,
    )
    # Invitations to the person's addresses, open or answered, keep no address of theirs.
    addresses = [
        user.email or "",
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    ]
    RoleInvitation.objects.filter(email__in=[a.lower() for a in addresses if a]).delete()
    RoleInvitation.objects.filter(accepted_by=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = None
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


# How the person reads each key of the export (Data saya as a page and a PDF).
LABELS: personal_data.Labels = {
    "account": gettext_lazy("Your account"),
    "date_joined": gettext_lazy("Account created"),
    "email": gettext_lazy("Email"),
    "email_addresses": gettext_lazy("Email addresses"),
    "ends_on": gettext_lazy("Until"),
    "field": gettext_lazy("Field"),
    "first_name": gettext_lazy("First name"),
    "is_active": gettext_lazy("Account active"),
    "last_login": gettext_lazy("Last sign-in"),
    "last_name": gettext_lazy("Last name"),
    "position": gettext_lazy("Position"),
    "primary": gettext_lazy("Main address"),
    "region": gettext_lazy("Region"),
    "role": gettext_lazy("Role"),
    "role_assignments": gettext_lazy("Your roles"),
    "role_invitations": gettext_lazy("Role invitations"),
    "starts_on": gettext_lazy("From"),
    "verified": gettext_lazy("Confirmed"),
    # A role that ended read "Account active: No" while the account was active.
    ("role_assignments", "is_active"): gettext_lazy("Role active"),
}


# How the person reads the codes stored in those keys.
VALUES = {
    ("role_assignments", "role"): personal_data.choices(RoleAssignment, "role"),
    ("role_assignments", "position"): personal_data.choices(RoleAssignment, "position"),
    ("role_invitations", "role"): personal_data.choices(RoleInvitation, "role"),
}


personal_data.register(
    labels=LABELS,
    values=VALUES,
    covers=(
        "accounts.RoleAssignment.user",
        # The staff member who granted a role: their own account, forgotten with them.
        "accounts.RoleAssignment.granted_by",
        # Invitations sent to the person (by address) or by them as staff.
        "accounts.RoleInvitation.accepted_by",
        "accounts.RoleInvitation.invited_by",
        # Admin actions the person took stay as the admin's audit trail; entries about them
        # lose their title and message above.
        "admin.LogEntry.user",
        "account.EmailAddress.user",
        "mfa.Authenticator.user",
    ),
    export=export,
    forget=forget,
)
