from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forkom import scope
from forkom.admin import ReadOnlyInline, ScopedAdmin, region_filter, with_empty_choice
from forkom.errors import DomainError
from forkom.territory.models import Region
from trainings import services
from trainings.models import Registration, Training, TrainingEvent

# The venue's kecamatan.
KecamatanFilter = region_filter("venue_kecamatan__code")


class RegistrationInline(ReadOnlyInline):
    """Read only: seats change through sign-ups, cancellations and the capacity."""

    model = Registration
    fields = ["profile", "masked_nik", "status", "attended", "created_at"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]  # the latest sign-ups first

    def get_queryset(self, request):
        # Each row is named after its cadre and training (Registration.__str__).
        return super().get_queryset(request).select_related("profile", "training")

    @admin.display(description=gettext_lazy("NIK"))
    def masked_nik(self, registration):
        return registration.profile.masked_nik


class TrainingEventInline(ReadOnlyInline):
    model = TrainingEvent
    fields = ["at", "kind", "before_shown", "after_shown", "actor", "note"]
    readonly_fields = fields
    ordering = ["-at", "-pk"]  # the latest first

    @admin.display(description=gettext_lazy("from"))
    def before_shown(self, event):
        return event.value_shown(event.before)

    @admin.display(description=gettext_lazy("to"))
    def after_shown(self, event):
        return event.value_shown(event.after)

    def get_queryset(self, request):
        # The actor is shown and each row is named after its training (TrainingEvent.__str__).
        return super().get_queryset(request).select_related("training", "actor")


@admin.register(Training)
class TrainingAdmin(ScopedAdmin):
    scope_path = "venue_kecamatan__code"
    list_display = ["title", "starts_at", "venue_kecamatan", "state", "capacity"]
    list_filter = [
        "state",
        ("topics", with_empty_choice(admin.RelatedOnlyFieldListFilter, gettext_lazy("No topic"))),
        KecamatanFilter,
    ]
    list_select_related = ["venue_kecamatan"]
    search_fields = ["title", "organiser", "venue"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["topics", "eligible_bodies"]
    inlines = [RegistrationInline, TrainingEventInline]
    actions = ["publish", "cancel", "finish"]
    fields = [
        *services.DETAILS,
        "topics",
        "capacity",
        "eligible_bodies",
        "state",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The state moves by the actions; the capacity of a saved training by its
        # participants page, where lowering and raising respect the seats taken.
        return ["state", "capacity"] if obj else ["state"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "venue_kecamatan":
            kwargs["queryset"] = scope.scoped(
                Region.objects.active().filter(level=Region.Level.KECAMATAN),
                request.user,
                "code",
                scope.STAFF,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Nothing is written yet: the service saves the training with its topics and bodies
        once they are read (save_related), and records the events."""

    def save_related(self, request, form, formsets, change):
        self.saved_by_service(formsets)
        data = form.cleaned_data
        lists = {"topics": data["topics"], "eligible_bodies": data["eligible_bodies"]}
        if change:
            values = {name: data[name] for name in services.DETAILS if name in data}
            self.call_service(
                request, services.change_training, training=form.instance, values=values, **lists
            )
        else:
            self.call_service(request, services.create_training, training=form.instance, **lists)

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for training in queryset:
            try:
                service(actor=request.user, training=training)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{training}: {error.message}", messages.ERROR)
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Publish the selected trainings"))
    def publish(self, request, queryset):
        self._apply(request, queryset, services.publish, _("%(count)d training(s) published."))

    @admin.action(
        description=gettext_lazy("Cancel the selected trainings (emails those signed up)")
    )
    def cancel(self, request, queryset):
        self._apply(
            request, queryset, services.cancel_training, _("%(count)d training(s) cancelled.")
        )

    @admin.action(description=gettext_lazy("Mark the selected trainings as finished"))
    def finish(self, request, queryset):
        self._apply(request, queryset, services.finish, _("%(count)d training(s) finished."))
