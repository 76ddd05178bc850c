from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forkom.http import act
from forkom.notifications import kinds, services
from forkom.notifications.models import Notification

PAGE_SIZE = 25


@login_required
def inbox(request):
    """The person's notifications, newest first."""
    notifications = Notification.objects.filter(user=request.user).only(
        "pk", "subject", "other_subjects", "url", "created_at", "read_at"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(request, "notifications/inbox.html", {"page": page})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def open_notification(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(actor=request.user, notification=notification)
    return redirect(notification.url or "notifications:inbox")


@require_POST
@login_required
def mark_all_read(request):
    count = services.mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    """Per kind of notification: also by email, or only here."""
    every = kinds.all_kinds()
    if request.method == "POST":
        # A refusal (the account closed meanwhile) answers its page, never a server error.
        return act(
            request,
            services.set_email_preferences,
            back=reverse("notifications:preferences"),
            done=_("Your choices are saved."),
            chosen={kind.name: request.POST.get(f"email_{kind.name}") == "on" for kind in every},
        )
    chosen = services.email_choices(request.user)
    return render(
        request,
        "notifications/preferences.html",
        {
            "kinds": [(kind, chosen[kind.name]) for kind in every],
            "has_email": bool(request.user.email),
        },
    )
