from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from forkom.territory.selectors import region_tree


def home(request):
    kota, kecamatan_list = region_tree(settings.FORKOM_HOME_REGION)
    return render(request, "home.html", {"kota": kota, "kecamatan_list": kecamatan_list})


def privacy(request):
    return render(request, "privacy.html")


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
