from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from forkom import scope
from forkom.accounts.models import Role
from forkom.admin import ScopedAdmin
from forkom.territory.codes import kind_of, level_of, parent_of
from forkom.territory.models import Region


class RegionForm(forms.ModelForm):
    """Name and status are edited; the code's shape gives level, kind and parent."""

    class Meta:
        model = Region
        fields = ["code", "name", "is_active"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if level_of(code) is None:
            raise ValidationError(
                _("A Kemendagri code looks like 64, 64.74, 64.74.01 or 64.74.01.1001.")
            )
        if not scope.can_act(self.request_user, code, {Role.DINAS_STAFF}):
            raise ValidationError(_("%(code)s is outside your region.") % {"code": code})
        parent = parent_of(code)
        if parent and not Region.objects.filter(code=parent).exists():
            raise ValidationError(
                _("Add the region %(parent)s first: it holds %(code)s.")
                % {"parent": parent, "code": code}
            )
        return code


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    form = RegionForm
    scope_path = "code"
    list_display = ["code", "name", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    list_per_page = 50
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["code", "name", "is_active"]
        return ["code", "name", "level", "kind", "parent", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the key other rows point at, and it places the region in the tree:
        # fixed once the region exists, and with it the level, kind and parent.
        return ["code", "level", "kind", "parent"] if obj else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.level = level_of(obj.code)
            obj.kind = kind_of(obj.code, obj.level)
            obj.parent_id = parent_of(obj.code)
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        # A dotted code searches its subtree directly (an index range scan).
        if search_term and search_term.replace(".", "").isdigit():
            return queryset.filter(code__startswith=search_term), False
        return super().get_search_results(request, queryset, search_term)
