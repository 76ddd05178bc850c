from django.contrib import admin

from forkom.admin import ScopedAdmin
from forkom.territory.models import Region


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    scope_path = "code"
    list_display = ["code", "name", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # The code is the key other rows point at: fixed once the region exists.
        return ["code"] if obj else []

    def get_search_results(self, request, queryset, search_term):
        # A dotted code searches its subtree directly (an index range scan).
        if search_term and search_term.replace(".", "").isdigit():
            return queryset.filter(code__startswith=search_term), False
        return super().get_search_results(request, queryset, search_term)
