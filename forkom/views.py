from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from forkom import health
from forkom.errors import UnreadableRequest
from forkom.territory.selectors import region_tree

# Seconds within which /healthz answers, whatever does not.
HEALTH_TIMEOUT = 1.0


def home(request):
    kota, kecamatan_list = region_tree(settings.FORKOM_HOME_REGION)
    return render(request, "home.html", {"kota": kota, "kecamatan_list": kecamatan_list})


def privacy(request):
    return render(request, "privacy.html")


@never_cache
def healthz(request):
    """For load balancers and monitoring, answered within about a second whatever hangs.

    200 when the database answers; 503 when it refuses or does not answer in time. The
    cache (Redis) and the task queue are reported too: the site works without Redis, and a
    growing backlog means the worker is down or behind.
    """
    checks = health.run_checks(timeout=HEALTH_TIMEOUT)
    status = 200 if checks["database"] == "ok" else 503
    body = "".join(f"{name}: {value}\n" for name, value in checks.items())
    return HttpResponse(body, status=status, content_type="text/plain")


def bad_request(request, exception):
    """Django's 400 page, which also says why when the portal itself refused the request.

    Like Django's own it is rendered without the request: what the request carries may be
    what could not be read. Django's reasons stay unsaid (they may echo what was sent).
    """
    message = exception.message if isinstance(exception, UnreadableRequest) else ""
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"message": message}))
