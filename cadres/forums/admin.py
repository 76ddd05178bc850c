"""Admin pages of forums (registered on import by cadres/admin.py).

Dinas staff see the forums and members of their region. Changes to the SK go through
cadres.forums.services so that they leave an event; officers and members are managed on the forum's
manage page on the site, where the forum's rules are applied, so they are read-only here.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cadres.forums import selectors as selectors
from cadres.forums import services as services
from cadres.models import Forum, ForumEvent, ForumMember
from forkom import scope
from forkom.admin import CheckedChangeList, FirstRowsInline, ScopedAdmin, region_filter
from forkom.errors import DomainError


class FormedFilter(admin.SimpleListFilter):
    title = _("formed")
    parameter_name = "formed"

    def lookups(self, request, model_admin):
        return [("yes", _("Formed")), ("no", _("Not formed yet"))]

    def queryset(self, request, queryset):
        formed = selectors.formed()
        if self.value() == "yes":
            return queryset.filter(formed)
        if self.value() == "no":
            return queryset.exclude(formed)
        return queryset


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(str(level.value), level.label) for level in selectors.FORUM_LEVELS]

    def queryset(self, request, queryset):
        # Only a level it offers: any other value (not even a number) filters nothing.
        offered = {value for value, _label in self.lookup_choices}
        return queryset.filter(region__level=self.value()) if self.value() in offered else queryset


# The kecamatan forum and the forums of its kelurahan.
KecamatanFilter = region_filter("region__code")
ForumKecamatanFilter = region_filter("forum__region__code")


class CurrentFilter(admin.SimpleListFilter):
    title = _("membership")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class ForumEventInline(FirstRowsInline):
    model = ForumEvent
    fields = ["at", "kind", "actor", "subject", "before", "after", "note"]
    ordering = ["-at", "-pk"]  # the latest first, as on the forum's page
    readonly_fields = fields

    def get_queryset(self, request):
        # Actor and subject are shown, each row is named after its forum (ForumEvent.__str__).
        return super().get_queryset(request).select_related("forum__region", "actor", "subject")


class ForumAdminForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["region", "sk_number", "sk_date"]

    def clean(self):
        data = super().clean()
        if self.instance.has_sk and not (data.get("sk_number") or data.get("sk_date")):
            raise ValidationError(_("A recorded SK is corrected, not removed."))
        if data.get("sk_number") or data.get("sk_date"):
            try:
                services.check_sk(
                    number=data.get("sk_number", "").strip(), date=data.get("sk_date")
                )
            except DomainError as error:
                raise ValidationError(error.message) from None
        return data


class ForumChangeList(CheckedChangeList):
    """The list's rows say whether each forum has a ketua (the "formed" column). Only the
    list asks: a forum's change and history pages showed no such column but built and ran
    the subquery (1 ms of a 8 ms history page on the national seed)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.annotate(has_ketua=selectors.has_ketua(OuterRef("region_id")))


@admin.register(Forum)
class ForumAdmin(ScopedAdmin):
    form = ForumAdminForm
    scope_path = "region__code"
    list_display = ["region", "level", "is_formed", "sk_number", "sk_date", "manage_link"]
    list_filter = [FormedFilter, LevelFilter, KecamatanFilter]
    list_select_related = ["region"]
    name_select_related = ("region",)
    search_fields = ["region__code", "region__name"]
    # A province has over a thousand kecamatan and kelurahan (1,143 in Kalimantan Timur): a
    # search box, not a list of them.
    autocomplete_fields = ["region"]
    readonly_fields = ["sk_recorded_by", "created_at", "manage_link"]
    inlines = [ForumEventInline]

    def get_changelist(self, request, **kwargs):
        return ForumChangeList

    def get_readonly_fields(self, request, obj=None):
        # A forum stays with its region; the SK changes through the service (with an event).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "region"] if obj is not None else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = scope.scoped(
                selectors.forum_regions().filter(forum__isnull=True),
                request.user,
                "code",
                scope.STAFF,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        forum = obj if change else services.get_or_create_forum(region=obj.region)
        number, date = form.cleaned_data.get("sk_number", ""), form.cleaned_data.get("sk_date")
        if (
            number
            and date
            and (number, date) != (form.initial.get("sk_number"), form.initial.get("sk_date"))
        ):
            services.record_sk(actor=request.user, forum=forum, number=number, date=date)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The event inline is read-only: nothing of it is saved. The change message that
        # Django writes next reads what each formset saved, so say "nothing".
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.display(description=_("level"), ordering="region__level")
    def level(self, forum):
        return forum.region.get_level_display()

    @admin.display(description=_("formed"), boolean=True)
    def is_formed(self, forum):
        return selectors.is_formed(
            has_ketua=forum.has_ketua, sk_number=forum.sk_number, sk_date=forum.sk_date
        )

    @admin.display(description=_("on the site"))
    def manage_link(self, forum):
        if forum.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("forums:manage", kwargs={"code": forum.pk}),
            _("Officers and members"),
        )


@admin.register(ForumMember)
class ForumMemberAdmin(ScopedAdmin):
    """Members, read-only: they are added and removed on the forum's manage page."""

    scope_path = "forum__region__code"
    staff_may_add = False
    list_display = ["profile", "forum", "started_on", "ended_on"]
    list_filter = [CurrentFilter, ForumKecamatanFilter]
    list_select_related = ["profile", "forum__region"]
    name_select_related = ("profile", "forum__region")
    search_fields = ["profile__full_name", "forum__region__name", "forum__region__code"]
    date_hierarchy = "started_on"

    def has_change_permission(self, request, obj=None):
        return False
