"""The Django admin for Dinas PMPD staff.

Only active superusers and holders of a current Dinas staff role get in, and
only once they have turned on TOTP two-factor authentication. Every list is
narrowed to the staff member's region through forkom.scope.
"""

import functools
from datetime import MAXYEAR, MINYEAR
from typing import Any
from urllib.parse import quote

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    FilteredSelectMultiple,
)
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Window
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, path, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from forkom import fields, scope, statements
from forkom.accounts.models import Role
from forkom.accounts.selectors import has_totp
from forkom.conflicts import retried_on_conflict
from forkom.errors import DomainError
from forkom.http import safe_back
from forkom.pagination import EstimatedCountPaginator, LookaheadPaginator
from forkom.territory.codes import level_of, parent_of, placement, subtree_prefix
from forkom.territory.models import Region


def is_admin_user(user):
    return bool(
        user.is_active
        and user.is_authenticated
        and (user.is_superuser or scope.has_role(user, Role.DINAS_STAFF))
    )


def is_admin_request(request):
    """is_admin_user(request.user), worked out once per request: the sidebar of every admin
    page asks each model's admin five questions, each of which asks this."""
    try:
        return request._forkom_is_admin
    except AttributeError:
        answer = request._forkom_is_admin = is_admin_user(request.user)
        return answer


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

    def get_changelist(self, request, **kwargs):
        # Every admin's list, the outbox's and other apps' too, refuses an impossible date
        # (an admin of ours may extend CheckedChangeList).
        changelist = super().get_changelist(request, **kwargs)
        return changelist if issubclass(changelist, CheckedChangeList) else CheckedChangeList


class SuperusersOnly:
    """Other apps' admins that ask Django's own permissions: groups, email addresses,
    authenticators, task results.

    Nobody here is given those permissions: access comes from roles (forkom.scope), and the
    account form offers no groups or permissions to give. These admins are a superuser's,
    said here instead of asked of the database: Django read the user's permissions and their
    groups' (two queries) on every admin page of Dinas staff, to find none."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


def asks_django_permissions(admin_class):
    return admin_class.has_module_permission is admin.ModelAdmin.has_module_permission


class CountlessAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete (the search box of a field such as a forum member's cadre),
    without counting the matches on every key typed: it only says whether more follow."""

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        return LookaheadPaginator(queryset, per_page, orphans, allow_empty_first_page)


class AppList(list):
    """Django's list of apps and their models for one set of permission answers
    (ForkomAdminSite.get_app_list), with the sidebar rendered from it (sidebar_app_list)."""

    def __init__(self, apps):
        super().__init__(apps)
        self.sidebars: dict[tuple, str] = {}


def sidebar_app_list(context):
    """Django's admin/app_list.html as the sidebar of every admin page shows it.

    What it renders depends only on the list (kept per language) and which app and model the
    path lies under (marked as current), so it is rendered once for each and kept with the
    list: 1.8 ms a page for the twenty-odd models Dinas staff see.
    """
    app_list = context.get("available_apps") or []
    request = context["request"]
    path = quote(request.path, safe="/")  # the template's request.path|urlencode

    def under(url):
        return url is not None and url in path

    # A list that is not an AppList (no each_context) is rendered every time.
    sidebars = getattr(app_list, "sidebars", {})
    key = tuple(
        (under(app["app_url"]), tuple(under(model["admin_url"]) for model in app["models"]))
        for app in app_list
    )
    html = sidebars.get(key)
    if html is None:
        html = sidebars[key] = render_to_string(
            "admin/app_list.html",
            {"app_list": app_list, "show_changelinks": False, "request": request},
        )
    return html


def _shows_refused_form(context):
    """The admin page shows a form it refused: a change form's errors, or a list's edited
    rows (list_editable) with errors."""
    if context.get("errors"):
        return True
    rows = getattr(context.get("cl"), "formset", None)
    return rows is not None and rows.is_bound and not rows.is_valid()


class ForkomAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Forkom KPM administration")
    site_title = gettext_lazy("Forkom KPM admin")
    index_title = gettext_lazy("Dinas PMPD")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin registered here, the project's and other apps', finds only the rows
        its user may view (FoundOnlyWhenViewable); those that ask Django's own permissions
        are a superuser's (SuperusersOnly)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, FoundOnlyWhenViewable):
            mixins = (FoundOnlyWhenViewable,)
            if asks_django_permissions(admin_class):
                mixins += (SuperusersOnly,)
            admin_class = type(
                admin_class.__name__,
                (*mixins, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        user = request.user
        return is_admin_request(request) and user.is_staff and has_totp(user)

    def admin_view(self, view, cacheable=False):
        """Django's admin answers a form it refuses with 200; the portal answers bad input
        with 400 everywhere, the admin too (the page is the same: the form, its errors)."""
        wrapped = super().admin_view(view, cacheable)

        @functools.wraps(wrapped)
        def refused_as_400(request, *args, **kwargs):
            response = wrapped(request, *args, **kwargs)
            context = getattr(response, "context_data", None) or {}
            if (
                request.method == "POST"
                and response.status_code == 200
                and _shows_refused_form(context)
            ):
                response.status_code = 400
            return response

        return refused_as_400

    # Django's app lists already built, by what they were built from (get_app_list).
    APP_LISTS_KEPT = 64

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict[tuple, AppList] = {}

    def get_app_list(self, request, app_label=None):
        """Django's list of the models the user may reach: the sidebar of every admin page,
        and the index.

        Every model admin is asked for the user's permissions on every request, as Django
        asks, so a role or permission granted or taken away shows on the next page. What
        Django builds from the answers (two paths reversed per model, the names translated
        and sorted: 1.3 ms a page on this machine, against 0.14 ms for the answers) is kept
        for those answers, the language and the path prefix. The answers are asked once per
        request (the index page wants the list twice: its sidebar and its body).
        """
        asked = request.__dict__.setdefault("_forkom_admin_answers", {})
        answers = asked.get(app_label)
        if answers is None:
            answers = asked[app_label] = tuple(
                (
                    model,
                    model_admin.has_module_permission(request)
                    and tuple(model_admin.get_model_perms(request).items()),
                )
                for model, model_admin in self._registry.items()
                if app_label is None or model._meta.app_label == app_label
            )
        key = (answers, app_label, get_language(), get_script_prefix(), get_urlconf())
        app_list = self._app_lists.get(key)
        if app_list is None:
            app_list = AppList(super().get_app_list(request, app_label))
            if len(self._app_lists) >= self.APP_LISTS_KEPT:
                self._app_lists.clear()
            self._app_lists[key] = app_list
        return app_list

    def login(self, request, extra_context=None):
        """Sign-in goes through allauth (and its two-factor step), never a second form."""
        user = request.user
        # Only a path on this site: a crafted ?next= must not carry signed-in staff elsewhere.
        next_url = safe_back(request, reverse("admin:index"))
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

    def autocomplete_view(self, request):
        return CountlessAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_urls(self):
        """Django's "view on site" redirect, narrowed to the rows the staff member may see:
        Django's own answers for any row of any model, which confirms that a row of another
        region exists and reveals its public address."""
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(pattern, "name", None) == "view_on_site"
            else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            content_type = ContentType.objects.get_for_id(int(content_type_id))
        except (ValueError, OverflowError, ContentType.DoesNotExist):
            raise Http404 from None
        model_admin = self._registry.get(content_type.model_class())
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404
        try:
            obj = model_admin.get_queryset(request).get(pk=object_id)
        except (ObjectDoesNotExist, ValueError, ValidationError, OverflowError):
            raise Http404 from None
        if not hasattr(obj, "get_absolute_url"):
            raise Http404
        return HttpResponseRedirect(obj.get_absolute_url())


class CheckedChangeList(ChangeList):
    """Django's change list, refusing a date-hierarchy link that names no date range with its
    "?e=1" answer instead of a server error.

    Django turns ?<field>__year=&__month=&__day= into a range from that date and answers a
    ValueError (month 13) with ?e=1, but a 40-digit number overflows, year 9999 has no next
    year to end the range and year 1 ends before the first UTC instant.
    """

    date_parts = {"year": (MINYEAR + 1, MAXYEAR - 1), "month": (1, 12), "day": (1, 31)}

    def get_filters(self, request):
        if self.date_hierarchy:
            given = self.get_filters_params()
            for part, (lowest, highest) in self.date_parts.items():
                values = given.get(f"{self.date_hierarchy}__{part}")
                try:
                    number = int(values[-1]) if values else lowest
                except ValueError:
                    continue  # not a number: Django refuses it itself
                if not lowest <= number <= highest:
                    raise IncorrectLookupParameters(f"{part} out of range")
        return super().get_filters(request)


class CheckedAutocompleteMixin:
    """Django's autocomplete widget, which shows the chosen rows again by looking up what was
    posted (filter(pk__in=[...])): a posted value that is no key of the related model (a
    forged "user=x") raised ValueError there, a server error instead of the form's
    "not one of the choices". Such a value is left out before the lookup."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        named = getattr(remote, "field_name", None)  # a many-to-many relation names none
        key = remote.model._meta.get_field(named) if named else remote.model._meta.pk
        return super().optgroups(name, [v for v in value if _is_key(key, v)], attr)


def _is_key(key, value):
    try:
        key.to_python(value)
    except ValidationError:
        return False
    return True


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class RowRefused(Exception):
    """A service refused one row of a list's inline editing (ServiceSavedAdmin)."""

    def __init__(self, pk, message):
        super().__init__(message)
        self.pk, self.message = pk, message


class BoundedInlineFormSet(BaseInlineFormSet):
    """An inline's formset that builds, from what is posted, at most the forms of its rows
    and `added_at_once` new ones; more is refused with Django's "Please submit at most N
    forms", N being that limit (a 400 with the page). Django builds up to max_num plus
    1,000 forms from the management form's TOTAL_FORMS: a cadre's change page posted with
    2^63 there took 3 s and answered 5.6 MB, two thousand empty membership rows."""

    added_at_once = 20

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            limit = len(self.get_queryset()) + self.added_at_once
            # The forms built, and the number the refusal names (Django's is max_num).
            self.absolute_max = min(self.absolute_max, limit)
            self.max_num = min(self.max_num, limit)


class RefusedRowsFormSet(BaseModelFormSet):
    """The edited rows of a list, posted again, with the refusal a service gave a row."""

    refused: dict = {}

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.instance.pk in self.refused:
                form.add_error(None, self.refused[form.instance.pk])


class ServiceSavedAdmin(admin.ModelAdmin):
    """A ModelAdmin that saves each row through a service (call_service) and shows the
    service's refusal on the form or the list row it refused."""

    def changelist_view(self, request, extra_context=None):
        """Django's list, whose inline editing (list_editable) saves the changed rows one by
        one in one transaction. A row its service refuses undoes them all, and the list is
        shown again with the refusal on that row (a 400, ForkomAdminSite.admin_view): it was
        a server error, or Django's "changed successfully" over rows rolled back."""
        request.forkom_editing_list = True
        try:
            return super().changelist_view(request, extra_context)
        except RowRefused as refused:
            # The exception left Django's transaction: no row was kept.
            request.forkom_refused_rows = {refused.pk: refused.message}
            return super().changelist_view(request, extra_context)

    def get_changelist_formset(self, request, **kwargs):
        refused = getattr(request, "forkom_refused_rows", None)
        if refused:
            kwargs["formset"] = type(
                "RefusedRowsFormSet", (RefusedRowsFormSet,), {"refused": refused}
            )
        return super().get_changelist_formset(request, **kwargs)

    def save_form(self, request, form, change):
        # The list saves its rows one after another: call_service names the one refused.
        if getattr(request, "forkom_editing_list", False):
            request.forkom_list_row = form.instance
        return super().save_form(request, form, change)

    def call_service(self, request, service, **kwargs):
        """Run the service that saves what the admin form holds.

        The form has already run the service's checks (a field error beside the field); a
        refusal that comes only now (someone else acted meanwhile) rolls the whole save back
        and is shown on the form again instead of a server error; on a list's edited row,
        beside that row (changelist_view).
        """
        try:
            return service(actor=request.user, **kwargs)
        except DomainError as error:
            row = getattr(request, "forkom_list_row", None)
            if row is not None:
                raise RowRefused(row.pk, error.message) from None
            transaction.set_rollback(True)
            request.forkom_admin_refusal = error.message
            return None

    # Django logs the change in the same transaction, after save_related: with the save
    # refused and rolled back, the log's INSERT was refused by the database in turn, a server
    # error instead of the refusal (found by a walk through the demo site, saving a finished
    # training). Nothing changed, so there is nothing to log.
    def log_addition(self, request, obj, message):
        if getattr(request, "forkom_admin_refusal", None) is None:
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if getattr(request, "forkom_admin_refusal", None) is None:
            return super().log_change(request, obj, message)
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


class ScopedAdmin(ServiceSavedAdmin):
    """A ModelAdmin whose rows are those within the staff member's regions.

    `scope_path` names the region code of a row (e.g. "region__code").
    """

    scope_path = None
    staff_may_add = True
    # The related rows the model's name (__str__) reads, joined when one row is shown.
    name_select_related: tuple[str, ...] = ()
    # A province's lists run to hundreds of thousands of rows: count them once (no second
    # count of the unfiltered list), and from the planner's estimate when long.
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scope.scoped(queryset, request.user, self.scope_path, scope.STAFF)

    def get_object(self, request, object_id, from_field=None):
        """Django's, with the related rows of `name_select_related` read in the same query:
        the row's change, history and delete pages show its name, which reads them (a forum
        member's cadre, forum and kelurahan: three queries more otherwise).

        An admin whose rows are those of its scope and no more (get_queryset not narrowed
        further) reads the row by its key through a statement compiled once, with its
        region's code, and checks the scope on that code with scope.can_act, the condition
        region_q writes for the list: building and compiling the scoped queryset took 0.6-0.8
        ms of each of the row's pages, more than reading it. An admin with a rule of its own
        reads its rows the same way when it says how (_reads_kept_rows, _kept_annotations,
        _may_see_kept: the accounts')."""
        if from_field is None and self._reads_kept_rows():
            found = self._kept_object(request, object_id)
            if found is not _NOT_KEPT:
                return found
        queryset = self.get_queryset(request)
        if self.name_select_related:
            queryset = queryset.select_related(*self.name_select_related)
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None

    def _kept_object(self, request, object_id):
        """The row of `object_id` within the user's scope, None when there is none, or
        _NOT_KEPT for a key the kept statement does not take (the queryset answers then)."""
        if not self.has_view_or_change_permission(request):
            return None  # FoundOnlyWhenViewable: no row at all
        model = self.model
        try:
            key = model._meta.pk.to_python(object_id)
        except ValidationError:
            return None
        if type(key) not in (int, str):
            return _NOT_KEPT
        try:
            row = statements.one_by(
                model, "pk", key, *self.name_select_related, annotate=self._kept_annotations()
            )
        except ValueError:  # a default manager that reads more than plain rows
            return _NOT_KEPT
        if row is None:
            return None
        seen = self._may_see_kept(request, row)
        if seen is _NOT_KEPT:
            return _NOT_KEPT
        return row if seen else None

    def _reads_kept_rows(self):
        """Whether the row's pages read it by its key (_kept_object)."""
        return _rows_are_the_scope_s(type(self))

    def _kept_annotations(self):
        """What _kept_object reads with the row, for _may_see_kept: its region's code."""
        return ((SCOPE_CODE, self.scope_path),)

    def _may_see_kept(self, request, row):
        """Whether the user may see the row read by its key; _NOT_KEPT when the queryset's
        condition must answer."""
        code = getattr(row, SCOPE_CODE)
        if code is None:  # a row without a region: the queryset's condition answers
            return _NOT_KEPT
        return scope.can_act(request.user, code, scope.STAFF)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # A row's history page lists its few log entries: Django's count, no EXPLAIN first.
        if queryset.model is not self.model:
            return Paginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The site's choice fields: the list read in one query, a forged key refused.
        kwargs.setdefault("form_class", fields.ModelChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", fields.ModelMultipleChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                CheckedAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, FilteredSelectMultiple):
            # Django adds "Hold down Control ... to select more than one" to every multiple
            # select but checkboxes and autocompletes, the two-box picker (filter_horizontal)
            # too, where rows are chosen with its arrows: the field's own help alone.
            field.help_text = kwargs.get("help_text", db_field.help_text)
        return field

    # Django saves a change form, and deletes, in one transaction each: one that the database
    # cancelled to break a deadlock with another writer is made again (forkom.conflicts).
    @retried_on_conflict
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    @retried_on_conflict
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    def response_action(self, request, queryset, **kwargs):
        """Django's actions, answering selected rows that are no keys (a forged form) as it
        answers none selected, instead of the server error of filter(pk__in=["x"])."""
        key = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                key.to_python(value)
        except ValidationError:
            self.message_user(
                request, _("Select the rows to act on from the list."), messages.WARNING
            )
            return None  # the list again, nothing changed
        return super().response_action(request, queryset, **kwargs)

    def _is_staff(self, request):
        return is_admin_request(request)

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


# What _kept_object answers for a key its statement does not take.
_NOT_KEPT = object()
# The attribute holding a row's region code, read with it by _kept_object.
SCOPE_CODE = "forkom_scope_code"


@functools.cache
def _rows_are_the_scope_s(admin_class: type) -> bool:
    """Whether the admin's rows are ScopedAdmin.get_queryset's (behind FoundOnlyWhenViewable's
    check), not narrowed further by an admin of its own (proposals once submitted, the
    accounts staff manage)."""
    for klass in admin_class.__mro__:
        if klass is ScopedAdmin:
            return getattr(admin_class, "scope_path", None) is not None
        if klass is not FoundOnlyWhenViewable and "get_queryset" in klass.__dict__:
            return False
    return False


# The query parameter of a change page that shows every row of its inlines.
ALL_ROWS = "semua_baris"


class FirstRowsFormSet(BoundedInlineFormSet):
    """The first `shown` rows of a read-only inline in its order, and how many there are
    (`total`), read in one query; with `shown` None, every row, as Django reads them."""

    shown: int | None = None
    all_rows_url = ""
    total = 0

    def get_queryset(self):
        if self.shown is None:
            return super().get_queryset()
        if not hasattr(self, "_first_rows"):
            queryset = super().get_queryset().annotate(rows_in_all=Window(Count("pk")))
            self._first_rows = list(queryset[: self.shown])
            self.total = self._first_rows[0].rows_in_all if self._first_rows else 0
        return self._first_rows


class FirstRowsInline(admin.TabularInline):
    """A read-only inline whose rows grow without bound (a training's sign-ups, a forum's
    history): its change page shows the first `shown` rows in `ordering` (the latest first,
    for a history), says how many there are and links to the same page with all of them.
    A training with 460 sign-ups and 507 events made a page of 1.5 MB in 535 ms."""

    formset = FirstRowsFormSet
    template = "admin/forkom/first_rows_tabular.html"
    shown = 20
    extra = 0
    can_delete = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.shown = None if request.GET.get(ALL_ROWS) == "1" else self.shown
        query = request.GET.copy()
        query[ALL_ROWS] = "1"
        formset.all_rows_url = f"?{query.urlencode()}"
        return formset

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(FirstRowsInline):
    """Rows that change only through the services; any admin user may see them."""

    def has_view_permission(self, request, obj=None):
        return is_admin_request(request)


def with_empty_choice(base: type[admin.RelatedFieldListFilter], label: Any) -> type:
    """`base`, a related field's list filter, whose choice for the rows without a related
    row reads `label` ("Tanpa topik") instead of the empty cell's "-"."""

    class Named(base):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.empty_value_display = label

    return Named


class RegionFilter(admin.SimpleListFilter):
    """Rows in one region of a level, offered among the regions of the staff member's area.

    `path` is the region code that a row lies under (e.g. "kelurahan__code"): codes are
    hierarchical, so a kecamatan's rows are those whose code starts with it (one index range
    scan, as in forkom.scope). A value that is no region code finds nothing.
    """

    level = Region.Level.KECAMATAN
    path = "kelurahan__code"
    # The parameter of the filter one level up (kecamatan for kelurahan): when set, only its
    # regions are offered. A province has over a thousand kelurahan: a sidebar of a thousand
    # links is of use to nobody, and rendering it took 80 ms of the cadres' list.
    within: str | None = None

    def lookups(self, request, model_admin):
        regions = scope.scoped(
            Region.objects.filter(level=self.level), request.user, "code", scope.STAFF
        )
        if self.within is not None:
            # The chosen kecamatan's kelurahan, or the chosen kelurahan's neighbours; none
            # (the filter hidden) until a kecamatan is chosen.
            parent = request.GET.get(self.within) or parent_of(self.value() or "") or ""
            if level_of(parent) != self.level - 1:
                return []
            regions = regions.filter(code__startswith=subtree_prefix(parent))
        return list(regions.order_by("name").values_list("code", "name"))

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
    within = "kecamatan" if level == Region.Level.DESA_KELURAHAN else None
    return type(
        f"{name.title()}Filter",
        (RegionFilter,),
        {
            "path": path,
            "level": level,
            "within": within,
            "title": gettext_lazy(name),
            "parameter_name": name,
        },
    )
