from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forkom.admin import is_admin_request
from forkom.outbox import services
from forkom.outbox.models import OutgoingEmail
from forkom.pagination import EstimatedCountPaginator


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What the portal sent and what it could not. Dinas staff see the state of each email
    (waiting, sent, failed; attempts, when), enough to notice a mail server that refuses and
    to send the failed ones again; not its recipients, subject, text or error, which may be
    about people outside their region. Superusers see everything."""

    date_hierarchy = "created_at"
    paginator = EstimatedCountPaginator  # every email the portal sends stays listed
    show_full_result_count = False
    list_filter = ["status"]
    actions = ["retry"]
    staff_fields = ["status", "attempts", "created_at", "next_attempt_at", "sent_at"]
    superuser_fields = ["to", "subject", *staff_fields, "last_error", "body", "key"]

    def get_list_display(self, request):
        if request.user.is_superuser:
            return ["subject", *self.staff_fields]
        return ["__str__", *self.staff_fields]

    def get_search_fields(self, request):
        return ["subject", "key"] if request.user.is_superuser else []

    def get_fields(self, request, obj=None):
        return self.superuser_fields if request.user.is_superuser else self.staff_fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_module_permission(self, request):
        return is_admin_request(request)

    def has_view_permission(self, request, obj=None):
        return is_admin_request(request)

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
