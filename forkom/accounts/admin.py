from contextvars import ContextVar

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from forkom import scope
from forkom.accounts import services
from forkom.accounts.models import RoleAssignment, RoleInvitation, User
from forkom.admin import BoundedInlineFormSet, ScopedAdmin
from forkom.errors import DomainError


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    formset = BoundedInlineFormSet
    fk_name = "user"
    fields = ["role", "position", "region", "starts_on", "ends_on", "is_active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        # Each row is named after its user and region (RoleAssignment.__str__).
        return super().get_queryset(request).select_related("user", "region")

    def has_add_permission(self, request, obj=None):
        return False


# Read with an account by its key (UserAdmin._kept_annotations): its cadre profile's key and
# kelurahan.
_PROFILE = "_forkom_profile"
_PROFILE_CODE = "_forkom_profile_code"


# Who sets the password, for PasswordForm: the admin builds the form without the request.
_password_setter: ContextVar = ContextVar("password_setter")


class PasswordForm(AdminPasswordChangeForm):
    """The admin's "set password" form, saved through the accounts service."""

    def save(self, commit=True):
        return services.set_account_password(
            actor=_password_setter.get(), user=self.user, password=self.cleaned_data["password1"]
        )


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (gettext_lazy("Name"), {"fields": ["first_name", "last_name"]}),
        (gettext_lazy("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    superuser_fieldsets = [
        *fieldsets,
        (gettext_lazy("Django permissions"), {"fields": ["is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.fieldsets

    def get_queryset(self, request):
        return scope.manageable_users(admin.ModelAdmin.get_queryset(self, request), request.user)

    # An account's pages (change, history, password, delete) read it by its key, with
    # whether it has a cadre profile and where, and check scope.may_manage, the rule
    # manageable_users writes as a query (compiling that query was a third of the history
    # page's time).
    def _reads_kept_rows(self):
        return True

    def _kept_annotations(self):
        return ((_PROFILE, "cadre_profile__id"), (_PROFILE_CODE, "cadre_profile__kelurahan_id"))

    def _may_see_kept(self, request, account):
        return scope.may_manage(
            request.user,
            account,
            has_profile=getattr(account, _PROFILE) is not None,
            profile_code=getattr(account, _PROFILE_CODE),
        )

    def has_add_permission(self, request):
        # An account made by staff would belong to no region: staff invite instead.
        return request.user.is_superuser and super().has_add_permission(request)

    def save_model(self, request, obj, form, change):
        if change:
            values = {name: form.cleaned_data[name] for name in form.changed_data}
            self.call_service(request, services.change_account, user=obj, values=values)
        else:
            self.call_service(request, services.create_account, user=obj)

    def save_related(self, request, form, formsets, change):
        self.saved_by_service(formsets)  # the roles inline is read-only

    change_password_form = PasswordForm

    def user_change_password(self, request, id, form_url=""):
        token = _password_setter.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_setter.reset(token)


class GrantForm(forms.ModelForm):
    """What the role-assignment and the invitation forms share: the roles staff may give
    here, and the grant service's check of the role and region."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Cadres and forum officers get their roles through verification and the forum page.
        # The change page shows a granted record read-only: there is no role field to narrow.
        if "role" in self.fields:
            role = self.fields["role"]
            role.choices = [
                (value, label)
                for value, label in role.choices
                if value not in services.ROLES_BY_FLOW
            ]

    def clean(self):
        data = super().clean()
        if data.get("role") and data.get("region"):
            try:
                services.check_grant(
                    actor=self.request_user, role=data["role"], region=data["region"]
                )
            except DomainError as error:
                raise ValidationError(error.message) from None
        return data


class RoleAssignmentForm(GrantForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "region", "starts_on", "ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            # Only accounts the staff member already manages: a role is never the way to make
            # someone else's account one's own (a new person is invited instead).
            self.fields["user"].queryset = scope.manageable_users(
                User.objects.all(), self.request_user
            )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    form = RoleAssignmentForm
    scope_path = "region__code"
    list_display = ["user", "role", "position", "region", "starts_on", "ends_on", "is_active"]
    list_filter = ["role", "position", "is_active", "region__level"]
    search_fields = [
        "user__email",
        "user__first_name",
        "user__last_name",
        "region__code",
        "region__name",
    ]
    autocomplete_fields = ["user", "region"]
    list_select_related = ["user", "region"]
    name_select_related = ("user", "region")
    # Newest first, by the primary key's index. The model's order (region code, role) is
    # not one an index serves under the scope's prefix condition: PostgreSQL walked the
    # codes of every province before Kalimantan Timur's, 1.2 s for a page.
    ordering = ["-pk"]
    fields = ["user", "role", "region", "starts_on", "ends_on"]
    actions = ["revoke"]

    # An assignment is a record of who held what: it is revoked, never rewritten.
    record_fields = [*fields, "position", "is_active", "granted_by", "granted_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.record_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.record_fields if obj is not None else self.fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # A refusal that comes only now (lost a race with another grant) is shown on the form.
        assignment = self.call_service(
            request,
            services.grant_role,
            user=obj.user,
            role=obj.role,
            region=obj.region,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
        )
        if assignment is not None:
            obj.pk = assignment.pk

    @admin.action(description=gettext_lazy("Revoke the selected roles"))
    def revoke(self, request, queryset):
        revoked = 0
        for assignment in queryset.filter(is_active=True):
            try:
                services.revoke_role(actor=request.user, assignment=assignment)
                revoked += 1
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
        if revoked:  # a row already revoked is not revoked again: no success to report
            self.message_user(
                request,
                ngettext("%d role revoked.", "%d roles revoked.", revoked) % revoked,
                messages.SUCCESS,
            )


class RoleInvitationForm(GrantForm):
    class Meta:
        model = RoleInvitation
        fields = ["email", "role", "region", "starts_on", "ends_on"]

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A role ends on or after the day it starts."))
        return data


@admin.register(RoleInvitation)
class RoleInvitationAdmin(ScopedAdmin):
    """Staff offer a role to a person by email; the person accepts while signed in."""

    form = RoleInvitationForm
    scope_path = "region__code"
    list_display = ["email", "role", "region", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "region__level"]
    search_fields = ["email", "region__name", "region__code"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    name_select_related = ("region",)
    fields = ["email", "role", "region", "starts_on", "ends_on"]
    record_fields = [
        *fields,
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "withdrawn_at",
    ]
    actions = ["withdraw"]

    def get_fields(self, request, obj=None):
        return self.record_fields if obj is not None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.record_fields if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        invitation, _token = self.call_service(
            request,
            services.invite_to_role,
            email=obj.email,
            role=obj.role,
            region=obj.region,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            build_url=request.build_absolute_uri,
        ) or (None, None)
        if invitation is not None:
            obj.pk = invitation.pk

    @admin.action(description=gettext_lazy("Withdraw the selected invitations"))
    def withdraw(self, request, queryset):
        withdrawn = 0
        for invitation in queryset:
            try:
                services.withdraw_invitation(actor=request.user, invitation=invitation)
                withdrawn += 1
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
        if withdrawn:
            self.message_user(
                request,
                ngettext("%d invitation withdrawn.", "%d invitations withdrawn.", withdrawn)
                % withdrawn,
                messages.SUCCESS,
            )
