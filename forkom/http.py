import codecs
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from forkom.errors import AlreadyDone, DomainError


def refuse(
    request: HttpRequest, message: str, *, status: int = 400, back_url: str | None = None
) -> HttpResponse:
    """Answer a refused action: the reason, a 4xx status, and the way back. Nothing changed."""
    return render(
        request, "refused.html", {"message": message, "back_url": back_url}, status=status
    )


def act(
    request: HttpRequest,
    service: Callable[..., Any],
    /,
    *,
    back: str,
    done: str | Callable[[Any], str] | None = None,
    then: str | None = None,
    refused: Callable[[DomainError], HttpResponseBase] | None = None,
    **arguments: Any,
) -> HttpResponseBase:
    """Call `service(actor=request.user, **arguments)` and answer the POST that asked for it.

    A refusal answers the refused page with the error's status (403 may not, 400 bad input,
    409 moved on) and a link `back`, or what `refused` makes of the error (the form's own
    page again, the reason beside its field). Otherwise `done` is shown (a message, or a
    function of the service's result that gives one) and the user is redirected to `then`,
    else `back`.
    """
    try:
        result = service(actor=request.user, **arguments)
    except AlreadyDone as done_before:
        # A double tap: the first post did it; answer as it was answered.
        messages.success(request, done_before.message)
        return redirect(then or back)
    except DomainError as error:
        if refused is not None:
            return refused(error)
        return refuse(request, error.message, status=error.status, back_url=back)
    message = done(result) if callable(done) else done
    if message:
        messages.success(request, message)
    return redirect(then or back)


@contextmanager
def refusals_on(form: Any) -> Iterator[None]:
    """Inside this block, a service's refusal becomes the form's error, shown above its
    fields; the view renders the form again (form_status answers 400)."""
    try:
        yield
    except DomainError as error:
        form.add_error(None, error.message)


def form_errors(form: Any, *, labelled: bool = False) -> str:
    """A form's errors joined into one message; `labelled` names each error's field."""
    return " ".join(
        f"{form[name].label}: {error}" if labelled and name != NON_FIELD_ERRORS else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


def safe_back(request: HttpRequest, default: str) -> str:
    """The `next` the form was posted with (or, on a GET, the link carried) when it is a path
    on this site, else `default`.

    Another host, a scheme or a bare word ("next=foo") falls back: a crafted link can neither
    send the user off the site nor break the page.
    """
    given = request.POST if request.method == "POST" else request.GET
    target = given.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def form_status(request: HttpRequest, form: Any) -> int:
    """400 for a posted form that did not validate, so clients and logs see the refusal."""
    return 400 if request.method == "POST" and form.errors else 200


# The origin (scheme and host) of the request being answered, set by
# forkom.middleware.SiteOriginMiddleware; empty outside a request (a task, a command).
request_origin: ContextVar[str] = ContextVar("forkom_request_origin", default="")


def absolute_url(path: str) -> str:
    """The address of `path` as users reach the site, for emails and inbox links.

    In development, the address the request came to (runserver on any port); in
    production FORKOM_SITE_URL, which a forged Host header cannot change; outside a request
    FORKOM_SITE_URL too. Empty when neither is known: a bare path leads nowhere from an email.
    """
    origin = request_origin.get()
    site = origin if origin and (settings.DEBUG or not settings.FORKOM_SITE_URL) else ""
    site = (site or settings.FORKOM_SITE_URL).rstrip("/")
    return site + path if site else ""


def posted_token(request: HttpRequest) -> uuid.UUID | None:
    """The one-time key a form carries in its `token` field (forms.html's one_time_token);
    None when absent or not a key (an old page, a forged post): the action then runs as
    without one."""
    try:
        return uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return None


def is_utf8(charset: str) -> bool:
    """Whether a declared character set is UTF-8 (or ASCII, a part of it): the only one the
    portal's pages send their forms in, and the only one it reads."""
    try:
        return codecs.lookup(charset).name in {"utf-8", "ascii"}
    except LookupError:
        return False
