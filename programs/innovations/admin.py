"""The innovations in the admin: read only, published and channelled on the site."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from forkom.admin import ReadOnlyInline, ScopedAdmin, region_filter, with_empty_choice
from programs.models import (
    Innovation,
    InnovationEvent,
    InnovationPhoto,
)

KecamatanFilter = region_filter("kelurahan__code")


class InnovationEventInline(ReadOnlyInline):
    model = InnovationEvent
    verbose_name_plural = _("timeline")
    fields = ["at", "kind", "actor_name", "actor_role", "note"]
    readonly_fields = fields
    ordering = ["-at", "-pk"]  # the latest first

    def get_queryset(self, request):
        # Each row is named after its innovation (InnovationEvent.__str__).
        return super().get_queryset(request).select_related("innovation")


class PhotoInline(ReadOnlyInline):
    model = InnovationPhoto
    fields = ["view", "caption", "size", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def view(self, photo):
        return format_html('<a href="{}">{}</a>', photo.get_absolute_url(), photo.public_id)


@admin.register(Innovation)
class InnovationAdmin(ScopedAdmin):
    """Read only: cadres record innovations, forum officers publish them, the Koordinator
    Kota channels them, each on the site."""

    scope_path = "kelurahan__code"
    staff_may_add = False
    list_display = ["title", "kelurahan", "field", "state", "published_at", "channelled_at"]
    list_filter = [
        "state",
        KecamatanFilter,
        (
            "field",
            with_empty_choice(admin.RelatedFieldListFilter, _("No field of work")),
        ),
    ]
    list_select_related = ["kelurahan", "field"]
    search_fields = ["title", "recorded_by__full_name"]
    fields = [
        "public_id",
        "title",
        "state",
        "recorded_by",
        "cadres",
        "kelurahan",
        "field",
        "proposal",
        "description",
        "results",
        "impact",
        "created_at",
        "published_at",
        "channelled_at",
    ]
    readonly_fields = fields
    inlines = [PhotoInline, InnovationEventInline]

    def has_change_permission(self, request, obj=None):
        return False
