"""When the database does not answer in time: a 503 "try again", not a server error."""

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.log import log_response

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """A statement cut off by its timeout, a connection refused or timed out: the request's
    transaction was rolled back (nothing was saved), and the visitor is told to try again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        response = HttpResponse(
            render_to_string("503.html", request=None), status=503, content_type="text/html"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Django's request log, which logs the response once: a line of our own as well
        # made two for one request ("Service Unavailable" after ours).
        log_response(
            "Database unavailable for %s: %s",
            request.path,
            exception,
            response=response,
            request=request,
        )
        return response
