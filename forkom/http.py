from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def refuse(
    request: HttpRequest, message: str, *, status: int = 400, back_url: str | None = None
) -> HttpResponse:
    """Answer a refused action: the reason, a 4xx status, and the way back. Nothing changed."""
    return render(
        request, "refused.html", {"message": message, "back_url": back_url}, status=status
    )


def form_status(request: HttpRequest, form: Any) -> int:
    """400 for a posted form that did not validate, so clients and logs see the refusal."""
    return 400 if request.method == "POST" and form.errors else 200


def absolute_url(path: str) -> str:
    """The address of `path` as users reach the site, for emails (sent outside a request);
    empty when FORKOM_SITE_URL is not set, as a bare path would lead nowhere from an email."""
    site = settings.FORKOM_SITE_URL.rstrip("/")
    return site + path if site else ""
