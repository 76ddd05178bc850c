from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from forkom.admin import ScopedAdmin
from forkom.errors import DomainError
from forkom.territory import services
from forkom.territory.models import Region


class RegionForm(forms.ModelForm):
    """Name and status are edited; the code's shape gives level, kind and parent."""

    class Meta:
        model = Region
        fields = ["code", "name", "is_active"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        try:
            services.check_new_region(actor=self.request_user, code=code)
        except DomainError as error:
            raise ValidationError(error.message) from None
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
        values = {"name": obj.name, "is_active": obj.is_active}
        if change:
            saved = self.call_service(request, services.change_region, region=obj, **values)
        else:
            saved = self.call_service(request, services.add_region, code=obj.code, **values)
        if saved is not None:
            obj.pk = saved.pk

    def get_search_results(self, request, queryset, search_term):
        # A dotted code searches its subtree directly (an index range scan).
        if search_term and search_term.replace(".", "").isdigit():
            return queryset.filter(code__startswith=search_term), False
        return super().get_search_results(request, queryset, search_term)
