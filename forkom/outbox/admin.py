from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forkom.admin import is_admin_user
from forkom.outbox import services
from forkom.outbox.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What the portal sent and what it could not: Dinas staff see the state of each email
    (not its addresses or text, which may be of people outside their region); superusers
    see everything."""

    list_display = ["subject", "status", "attempts", "created_at", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    staff_fields = [
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["to", *self.staff_fields, "body", "key"]
        return self.staff_fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Send the selected failed emails again"))
    def retry(self, request, queryset):
        count = services.retry_failed(queryset.values_list("pk", flat=True))
        self.message_user(request, _("%d email(s) queued again.") % count, messages.SUCCESS)
