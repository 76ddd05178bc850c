from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cadres import exports, services
from cadres.forums import admin as forum_admin  # noqa: F401  (registers the forum admin pages)
from cadres.models import (
    Announcement,
    Body,
    CadreImport,
    CadreMembership,
    CadreProfile,
    DeletionRequest,
    Field,
    Meeting,
    MeetingInvitation,
    PersonalDataView,
    Topic,
)
from cadres.phones import number_start
from forkom import scope
from forkom.admin import (
    BoundedInlineFormSet,
    FirstRowsInline,
    ScopedAdmin,
    ServiceSavedAdmin,
    is_admin_request,
    region_filter,
)
from forkom.errors import DomainError
from forkom.fields import ModelMultipleChoiceField
from forkom.pagination import EstimatedKeysFirstPaginator, first_rows
from forkom.territory.models import Region


class StaffListAdmin(ServiceSavedAdmin):
    """Bodies, fields and topics: national lists that any Dinas staff member keeps."""

    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_module_permission(self, request):
        return is_admin_request(request)

    def has_view_permission(self, request, obj=None):
        return is_admin_request(request)

    def has_add_permission(self, request):
        return is_admin_request(request)

    def has_change_permission(self, request, obj=None):
        return is_admin_request(request)

    def has_delete_permission(self, request, obj=None):
        # Profiles point at entries: retire an entry (untick "active") instead.
        return False

    def save_model(self, request, obj, form, change):
        self.call_service(request, services.save_list_entry, entry=obj)


admin.site.register(Body, StaffListAdmin)
admin.site.register(Field, StaffListAdmin)
admin.site.register(Topic, StaffListAdmin)


KecamatanFilter = region_filter("kelurahan__code")
KelurahanFilter = region_filter("kelurahan__code", Region.Level.DESA_KELURAHAN)


class MembershipInline(admin.TabularInline):
    model = CadreMembership
    formset = BoundedInlineFormSet
    extra = 0
    fields = ["body", "position", "since_year"]

    def get_queryset(self, request):
        # Each row is named after its body (CadreMembership.__str__).
        return super().get_queryset(request).select_related("body")


class CadreProfileAdminForm(forms.ModelForm):
    class Meta:
        model = CadreProfile
        fields = [
            "full_name",
            "sex",
            "birth_place",
            "birth_date",
            "phone",
            "address",
            "education",
            "fields",
            "skills",
            "training_needs",
        ]
        field_classes = {
            "fields": ModelMultipleChoiceField,
            "training_needs": ModelMultipleChoiceField,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("birth_date") and cleaned.get("phone"):
            try:
                cleaned["phone"] = services.check_correction(
                    birth_date=cleaned["birth_date"], phone=cleaned["phone"]
                )
            except DomainError as error:
                raise ValidationError(error.message) from None
        return cleaned


# The cadres a number search shows at most: type more of the number to narrow them.
PHONE_MATCHES = 50


class PhoneSearchForm(forms.Form):
    nomor = forms.CharField(
        label=gettext_lazy("Phone number"),
        max_length=30,
        help_text=gettext_lazy("The whole number, such as 0812-3456-7890, or its beginning."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def clean_nomor(self):
        return number_start(self.cleaned_data["nomor"])


@admin.register(CadreProfile)
class CadreProfileAdmin(ScopedAdmin):
    form = CadreProfileAdminForm
    scope_path = "kelurahan__code"
    staff_may_add = False  # a profile starts with consent, through the site's forms
    change_list_template = "cadres/admin/change_list_with_import.html"
    # The page's keys from the area-and-name index, then its rows: sorting a province's
    # whole rows by name took 150 ms (see KeysFirstPaginator).
    paginator = EstimatedKeysFirstPaginator
    list_display = ["full_name", "masked_nik", "kelurahan", "status", "created_at"]
    list_filter = [
        "status",
        KecamatanFilter,
        KelurahanFilter,
        # Every entry of the national lists: "only those some cadre of the area has" read
        # each membership and field of the province's cadres on every page (0.2 s).
        "memberships__body",
        "fields",
    ]
    list_select_related = ["kelurahan"]
    search_fields = ["full_name"]
    search_help_text = gettext_lazy(
        "Search by name. To find a phone number, use the number search below it: the "
        "number is then not written in the page's address."
    )
    inlines = [MembershipInline]
    # The kelurahan decides who verifies the cadre and where their role is held: it changes
    # through the profile form on the site (services.update_profile), which sends the cadre
    # back to verification, never here.
    readonly_fields = [
        "public_id",
        "user",
        "nik",
        "kelurahan",
        "status",
        "rejection_reason",
        "registered_by",
        "created_at",
        "updated_at",
    ]
    fields = [
        "public_id",
        "user",
        "full_name",
        "nik",
        "sex",
        "birth_place",
        "birth_date",
        "phone",
        "address",
        "kelurahan",
        "education",
        "fields",
        "skills",
        "training_needs",
        "status",
        "rejection_reason",
        "registered_by",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["fields", "training_needs"]
    actions = ["verify", "export_xlsx"]

    @admin.display(description=gettext_lazy("NIK"))
    def masked_nik(self, profile):
        return profile.masked_nik

    def get_search_results(self, request, queryset, search_term):
        """The names, every word, as Django's search does: a number is never searched here,
        since the search box puts what it finds in the page's address (`?q=`), and DESIGN.md
        keeps phone numbers out of addresses. The number search posts (phone_search_view).

        Django's own search asked for "name or phone holds the word": on the national seed a
        province's search by name read every one of its cadres' rows for the phone (131 ms
        in the database), where the name alone is read from the area-and-name index (13 ms).
        This runs on every key typed in the admin's cadre boxes too.
        """
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            queryset = queryset.filter(full_name__icontains=word)
        return queryset, False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {**(extra_context or {}), "phone_form": PhoneSearchForm()}
        )

    def get_urls(self):
        return [
            path(
                "nomor-hp/",
                self.admin_site.admin_view(self.phone_search_view),
                name="cadres_cadreprofile_phone_search",
            ),
            *super().get_urls(),
        ]

    def phone_search_view(self, request):
        """The cadres of the staff member's area whose number is, or starts with, the one
        typed: posted, so that the number stays out of the address, the browser's history
        and the logs. The first PHONE_MATCHES, in the order of their numbers."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PhoneSearchForm(request.POST if request.method == "POST" else None)
        matches, more, status = None, False, 200
        if form.is_bound and form.is_valid():
            found = self.get_queryset(request).filter(phone__startswith=form.cleaned_data["nomor"])
            matches, more = first_rows(
                found.select_related("kelurahan").order_by("phone", "pk"), PHONE_MATCHES
            )
        elif form.is_bound:
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Find cadres by phone number"),
            "form": form,
            "matches": matches,
            "more": more,
            "limit": PHONE_MATCHES,
        }
        return TemplateResponse(request, "cadres/admin/phone_search.html", context, status=status)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        profile = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and profile is not None:
            services.record_personal_data_view(actor=request.user, profile=profile)
        return response

    def save_model(self, request, obj, form, change):
        """Nothing is written yet: the profile and its bodies are saved together by the
        service, once the membership rows are read (save_related)."""

    def save_related(self, request, form, formsets, change):
        # The bodies' inline is there for superusers only (staff hold no model permissions):
        # without it, the bodies stay as they are.
        memberships = None
        for formset in formsets:
            if formset.model is CadreMembership:
                memberships = [
                    (row["body"], row.get("position", ""), row.get("since_year"))
                    for row in formset.cleaned_data
                    if row and not row.get("DELETE")
                ]
        self.saved_by_service(formsets)
        data = form.cleaned_data
        self.call_service(
            request,
            services.correct_profile,
            profile=form.instance,
            memberships=memberships,
            **{name: data[name] for name in CadreProfileAdminForm.Meta.fields},
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "kelurahan":
            kwargs["queryset"] = scope.scoped(
                Region.objects.active().filter(level=Region.Level.DESA_KELURAHAN),
                request.user,
                "code",
                scope.STAFF,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=gettext_lazy("Verify the selected cadres"))
    def verify(self, request, queryset):
        verified = 0
        for profile in queryset.filter(status=CadreProfile.Status.WAITING):
            try:
                services.verify_cadre(actor=request.user, profile=profile)
                verified += 1
            except DomainError as error:
                self.message_user(request, f"{profile}: {error.message}", messages.ERROR)
        if verified:
            self.message_user(
                request,
                ngettext("%d cadre verified.", "%d cadres verified.", verified) % verified,
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Export the selected cadres (XLSX)"))
    def export_xlsx(self, request, queryset):
        return exports.cadre_list_response(queryset, "xlsx", request.user)


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ScopedAdmin):
    scope_path = "profile__kelurahan__code"
    staff_may_add = False
    list_display = ["at", "viewer", "profile"]
    list_select_related = ["viewer", "profile"]
    name_select_related = ("viewer", "profile")
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CadreImport)
class CadreImportAdmin(ScopedAdmin):
    """The import history of a region: who uploaded which sheet when, and where its rows
    went. Imports are made on the site's import page (linked here), not in the admin."""

    scope_path = "area__code"
    staff_may_add = False
    change_list_template = "cadres/admin/change_list_with_import.html"
    list_display = ["uploaded_at", "file_name", "area", "uploaded_by", "status", "created",
                    "unchanged", "rejected"]  # fmt: skip
    list_filter = ["status"]
    list_select_related = ["area", "uploaded_by"]
    search_fields = ["file_name", "area__name", "area__code"]
    fields = ["file_name", "area", "uploaded_by", "status", "uploaded_at", "finished_at",
              "to_create", "created", "unchanged", "rejected", "message_shown"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("message"))
    def message_shown(self, cadre_import):
        """In the reader's language, as the worker wrote it in each (CadreImport.message)."""
        return cadre_import.message_shown


class DeletionDecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, note_required, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        if note_required:
            self.fields["note"].label = gettext_lazy("Reason (the cadre reads it)")


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ScopedAdmin):
    """The queue of cadres' deletion requests, for the Dinas staff of their region."""

    scope_path = "kelurahan__code"
    staff_may_add = False
    list_display = ["requested_at", "person", "kelurahan", "status", "handled_by", "handled_at"]
    list_filter = ["status", KecamatanFilter]
    list_select_related = ["kelurahan", "user__cadre_profile", "handled_by"]
    fields = [
        "person",
        "kelurahan",
        "reason",
        "requested_at",
        "status",
        "handled_by",
        "handled_at",
        "note",
    ]
    readonly_fields = fields
    actions = ["carry_out", "decline"]

    def has_change_permission(self, request, obj=None):
        # Decided by the actions (the deletion services), never edited.
        return False

    @admin.display(description=gettext_lazy("cadre"))
    def person(self, deletion_request):
        profile = getattr(deletion_request.user, "cadre_profile", None)
        return profile.full_name if profile else "—"

    @admin.action(description=gettext_lazy("Carry out the selected deletion requests"))
    def carry_out(self, request, queryset):
        return self._decide(request, queryset, "carry_out")

    @admin.action(description=gettext_lazy("Decline the selected deletion requests"))
    def decline(self, request, queryset):
        return self._decide(request, queryset, "decline")

    def _decide(self, request, queryset, action):
        """Ask for a confirmation (and, to decline, a reason), then call the service."""
        declining = action == "decline"
        form = DeletionDecisionForm(
            request.POST if "confirm" in request.POST else None, note_required=declining
        )
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Decline deletion requests")
                if declining
                else _("Carry out deletion requests"),
                "opts": self.model._meta,
                "queryset": queryset.select_related("user__cadre_profile", "kelurahan"),
                "form": form,
                "action": action,
                "declining": declining,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "cadres/admin/deletion_decision.html", context)
        done = 0
        for deletion_request in queryset:
            try:
                if declining:
                    services.decline_deletion(
                        actor=request.user,
                        request=deletion_request,
                        note=form.cleaned_data["note"],
                    )
                else:
                    services.carry_out_deletion(
                        actor=request.user,
                        request=deletion_request,
                        note=form.cleaned_data["note"],
                    )
                done += 1
            except DomainError as error:
                label = f"{deletion_request.requested_at:%Y-%m-%d}"
                self.message_user(request, f"{label}: {error.message}", messages.ERROR)
        if done:
            message = (
                ngettext("%d deletion request declined.", "%d deletion requests declined.", done)
                if declining
                else ngettext(
                    "%d deletion request carried out.", "%d deletion requests carried out.", done
                )
            )
            self.message_user(request, message % done, messages.SUCCESS)
        return None


@admin.register(Announcement)
class AnnouncementAdmin(ScopedAdmin):
    """The announcements of a region, for the record: who wrote what to whom, when it was
    published, edited or withdrawn. They are written, published and withdrawn on the site
    (linked here), where the services check who speaks for the area."""

    scope_path = "region__code"
    staff_may_add = False
    list_display = ["title", "region", "audience", "state", "signed_as", "published_at",
                    "delivered_to"]  # fmt: skip
    list_filter = ["state", "audience"]
    list_select_related = ["region"]
    search_fields = ["title", "region__name", "region__code"]
    fields = ["title", "text", "region", "audience", "officers_only", "bodies", "link",
              "pinned", "state", "signed_as", "created_at", "published_at", "edited_at",
              "withdrawn_at", "delivered_to"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MeetingInvitationInline(FirstRowsInline):
    model = MeetingInvitation
    fields = ["name", "position", "answer", "attended"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Each row is named after its meeting (MeetingInvitation.__str__).
        return super().get_queryset(request).select_related("meeting")


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    """The forums' meetings, for the record; called, answered and minuted on the site."""

    scope_path = "region__code"
    staff_may_add = False
    list_display = ["title", "region", "starts_at", "state", "signed_as"]
    list_filter = ["state"]
    list_select_related = ["region"]
    search_fields = ["title", "region__name", "region__code"]
    fields = ["title", "region", "signed_as", "place", "starts_at", "ends_at", "agenda",
              "state", "minutes", "decisions", "minutes_published_at"]  # fmt: skip
    readonly_fields = fields
    inlines = [MeetingInvitationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
