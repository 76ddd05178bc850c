from django.conf import settings
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

from forkom import brand, health
from forkom.errors import UnreadableRequest
from forkom.territory.selectors import region_tree

# Seconds within which /healthz answers, whatever does not.
HEALTH_TIMEOUT = 1.0
# The manifest and the images change only with a deployment.
BRAND_MAX_AGE = 24 * 60 * 60


def home(request, extra=None):
    """The public home page; `extra` is what the apps add to it (dashboard.views.landing
    gives the public announcements: the core knows no app)."""
    kota, kecamatan_list = region_tree(settings.FORKOM_HOME_REGION)
    context = {"kota": kota, "kecamatan_list": kecamatan_list, **(extra or {})}
    return render(request, "home.html", context)


@cache_control(public=True, max_age=BRAND_MAX_AGE)
def manifest(request):
    """The web app manifest: a phone adds the portal to its home screen by it."""
    palette = brand.colours()
    icons = [
        {
            "src": reverse("icon", kwargs={"size": size}),
            "sizes": f"{size}x{size}",
            "type": "image/png",
        }
        for size in brand.ICON_SIZES
    ]
    icons.append({"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"})
    return JsonResponse(
        {
            "name": f"{brand.NAME} Kota Bontang",
            "short_name": brand.NAME,
            "description": _(
                "The communication forum of community-empowerment cadres (Kader Pemberdayaan"
                " Masyarakat) in Kota Bontang."
            ),
            "lang": get_language(),
            "start_url": reverse("home"),
            "scope": "/",
            "display": "standalone",
            "theme_color": palette.theme,
            "background_color": palette.background,
            "icons": icons,
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@cache_control(public=True, max_age=BRAND_MAX_AGE)
def icon(request, size):
    if size not in brand.ICON_SIZES:
        raise Http404
    return HttpResponse(brand.icon_png(size), content_type="image/png")


@cache_control(public=True, max_age=BRAND_MAX_AGE)
def favicon(request):
    """Browsers ask for /favicon.ico on a page that names no icon (a PDF, a feed, the JSON
    download), and so do bookmark and feed readers: the portal's icon, not a 404 in the
    log on every first visit."""
    return HttpResponsePermanentRedirect(reverse("icon", kwargs={"size": brand.ICON_SIZES[0]}))


@cache_control(public=True, max_age=BRAND_MAX_AGE)
def og_image(request):
    """The picture that link previews (WhatsApp, Facebook, Telegram) show for the portal."""
    return HttpResponse(brand.og_image_png(), content_type="image/png")


def privacy(request):
    return render(request, "privacy.html")


@never_cache
def livez(request):
    """Liveness, for a process supervisor: this worker answers, nothing more. It reads no
    database, cache or queue: that is /healthz (readiness), and a database outage must not
    get every worker restarted. Also the benchmarks' trivial view."""
    return HttpResponse("ok\n", content_type="text/plain")


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
