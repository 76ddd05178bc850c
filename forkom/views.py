from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from forkom.errors import UnreadableRequest
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


def bad_request(request, exception):
    """Django's 400 page, which also says why when the portal itself refused the request.

    Like Django's own it is rendered without the request: what the request carries may be
    what could not be read. Django's reasons stay unsaid (they may echo what was sent).
    """
    message = exception.message if isinstance(exception, UnreadableRequest) else ""
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"message": message}))
