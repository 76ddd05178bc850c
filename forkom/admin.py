"""The Django admin for Dinas PMPD staff.

Only active superusers and holders of a current Dinas staff role get in, and
only once they have turned on TOTP two-factor authentication. Every list is
narrowed to the staff member's region through forkom.scope.
"""

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forkom import scope
from forkom.accounts.models import Role
from forkom.errors import DomainError
from forkom.territory.codes import placement
from forkom.territory.models import Region


def is_admin_user(user):
    return bool(
        user.is_active
        and user.is_authenticated
        and (user.is_superuser or scope.has_role(user, Role.DINAS_STAFF))
    )


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class FoundOnlyWhenViewable:
    """Rows of a model its admin does not let the user view are not found, on every page.

    Django's history page looks a row up before it asks for permission: the admins of other
    apps (Django's groups, allauth's email addresses and authenticators), which give Dinas
    staff no permission, answered 403 for a row that exists and "does not exist" for an id
    that does not, so any id could be tried for existence.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if self.has_view_or_change_permission(request) else queryset.none()


class ForkomAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Forkom KPM administration")
    site_title = gettext_lazy("Forkom KPM admin")
    index_title = gettext_lazy("Dinas PMPD")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin registered here, the project's and other apps', finds only the rows
        its user may view (FoundOnlyWhenViewable)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, FoundOnlyWhenViewable):
            admin_class = type(
                admin_class.__name__,
                (FoundOnlyWhenViewable, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        user = request.user
        return is_admin_user(user) and user.is_staff and has_totp(user)

    def login(self, request, extra_context=None):
        """Sign-in goes through allauth (and its two-factor step), never a second form."""
        user = request.user
        next_url = request.GET.get("next") or reverse("admin:index")
        if user.is_authenticated:
            if is_admin_user(user) and user.is_staff and not has_totp(user):
                messages.warning(
                    request,
                    _("Turn on two-factor authentication (TOTP) before using the admin."),
                )
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            if not self.has_permission(request):
                messages.error(request, _("Your account has no access to the admin."))
                return HttpResponseRedirect(resolve_url("home"))
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(
            resolve_url("account_login") + "?" + urlencode({"next": next_url})
        )


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are those within the staff member's regions.

    `scope_path` names the region code of a row (e.g. "region__code").
    """

    scope_path = None
    staff_may_add = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scope.scoped(queryset, request.user, self.scope_path, scope.STAFF)

    def _is_staff(self, request):
        return is_admin_user(request.user)

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._is_staff(request)

    def has_add_permission(self, request):
        return self._is_staff(request) and self.staff_may_add

    def has_change_permission(self, request, obj=None):
        return self._is_staff(request)

    def has_delete_permission(self, request, obj=None):
        # Rows leave through their services (deletion requests, revoking, retiring), which
        # keep the events and the personal-data promises; the admin deletes nothing.
        return False

    def call_service(self, request, service, **kwargs):
        """Run the service that saves what the admin form holds.

        The form has already run the service's checks (a field error beside the field); a
        refusal that comes only now (someone else acted meanwhile) rolls the whole save back
        and is shown on the form again instead of a server error.
        """
        try:
            return service(actor=request.user, **kwargs)
        except DomainError as error:
            transaction.set_rollback(True)
            request.forkom_admin_refusal = error.message
            return None

    @staticmethod
    def saved_by_service(formsets):
        """The inline rows were saved by the service (or are read-only): tell the admin's
        change message that none of them was written here."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def response_add(self, request, obj, post_url_continue=None):
        return self._refused(request) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._refused(request) or super().response_change(request, obj)

    def _refused(self, request):
        refusal = getattr(request, "forkom_admin_refusal", None)
        if refusal is None:
            return None
        self.message_user(request, refusal, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


class ReadOnlyInline(admin.TabularInline):
    """Rows that change only through the services; any admin user may see them."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RegionFilter(admin.SimpleListFilter):
    """Rows in one region of a level, offered among the regions of the staff member's area.

    `path` is the region code that a row lies under (e.g. "kelurahan__code"): codes are
    hierarchical, so a kecamatan's rows are those whose code starts with it (one index range
    scan, as in forkom.scope). A value that is no region code finds nothing.
    """

    level = Region.Level.KECAMATAN
    path = "kelurahan__code"

    def lookups(self, request, model_admin):
        regions = scope.scoped(
            Region.objects.filter(level=self.level), request.user, "code", scope.STAFF
        )
        return [(region.code, region.name) for region in regions.order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if placement(value) is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path}__startswith": value})


def region_filter(path, level=Region.Level.KECAMATAN):
    """A RegionFilter for rows whose region code is at `path`, by kecamatan or kelurahan."""
    name = "kelurahan" if level == Region.Level.DESA_KELURAHAN else "kecamatan"
    return type(
        f"{name.title()}Filter",
        (RegionFilter,),
        {"path": path, "level": level, "title": gettext_lazy(name), "parameter_name": name},
    )
