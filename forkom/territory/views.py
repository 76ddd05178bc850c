from django.http import Http404
from django.shortcuts import render

from forkom import statements
from forkom.territory.models import Region
from forkom.territory.sections import sections_for
from forkom.territory.selectors import ancestors, children_of


def region_index(request):
    provinces = Region.objects.active().filter(level=Region.Level.PROVINSI)
    return render(request, "territory/index.html", {"regions": provinces})


def region_detail(request, code):
    region = statements.one_by(Region, "code", code, "parent")
    if region is None:
        raise Http404
    children = children_of(region.code)
    return render(
        request,
        "territory/region.html",
        {
            "region": region,
            "ancestors": ancestors(region),
            "children": children,
            "sections": sections_for(region, request.user),
        },
    )
