from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forkom.accounts import services
from forkom.http import act


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """A role offered by Dinas staff: the person reads it and accepts it, signed in."""
    if request.method == "POST":
        return act(
            request,
            services.accept_invitation,
            token=token,
            back=request.path,
            then="home",
            done=lambda assignment: (
                _("You now hold the role %(role)s for %(region)s.")
                % {"role": assignment.get_role_display(), "region": assignment.region.name}
            ),
        )
    offer = services.open_invitation(token)
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": offer},
        status=200 if offer else 404,
    )
