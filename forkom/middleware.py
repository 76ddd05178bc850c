from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from forkom.characters import BAD_ENCODING, CONTROL, NUL
from forkom.errors import UnreadableRequest
from forkom.http import is_utf8, request_origin


class ChosenLanguageMiddleware:
    """Indonesian for everyone, unless the visitor picked another language with the switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    many phones here are set to English, but the portal speaks Indonesian first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


METHODS = frozenset({"GET", "HEAD", "POST"})


class MethodNotAllowedPageMiddleware:
    """Django answers a GET on a POST-only address (require_POST) with an empty 405; people
    who followed or bookmarked such an address get a page that says what to do instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in METHODS:
            # Django's function views answer PUT, DELETE or any made-up method as a GET (found
            # by a walk through the demo site): the portal has no other kind of request.
            refused = HttpResponseNotAllowed(
                sorted(METHODS), _("The portal answers GET, HEAD and POST requests only.")
            )
            refused["Content-Type"] = "text/plain; charset=utf-8"
            return refused
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class UnreadableRequestMiddleware:
    """Refuse what no page of the portal can take in:

    - a NUL character in the query string, a form field or a file name, or a cookie:
      PostgreSQL's text holds none, so a search, a filter or a lookup with %00 failed as a
      server error (and no form would keep one anyway); in the path it names no page (404);
    - a declared character set other than UTF-8: the portal's pages send their forms in
      UTF-8, and Django would read the query string and the form in the declared one
      (forkom.wsgi.Request keeps one that Python cannot read from breaking the request).

    It runs after the language is chosen, so the reason is given in the visitor's language,
    and before anything reads the form (CSRF) or looks anything up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if charset is not None and not is_utf8(charset):
            raise UnreadableRequest(
                _("What was sent is not in UTF-8, the only character set the portal reads.")
            )
        if NUL in request.path:
            raise Http404  # an address that names nothing, like every other one
        if any(NUL in text for text in _texts(request)):
            raise UnreadableRequest(
                _(
                    "What was sent contains a NUL character (a zero byte): "
                    "no page of the portal takes one."
                )
            )
        if request.method == "POST":
            sent = list(_sent_texts(request))
            if _undecodable_form(request) or any(BAD_ENCODING.search(text) for text in sent):
                raise UnreadableRequest(
                    _("What was sent is not in UTF-8, the only character set the portal reads.")
                )
            if any(CONTROL.search(text) for text in sent):
                raise UnreadableRequest(
                    _(
                        "What was sent contains an invisible control character, which no field "
                        "of the portal takes: type the text again, or paste it as plain text."
                    )
                )
        return self.get_response(request)


def _sent_texts(request):
    """The names and values of the form, and the names of uploaded files."""
    for name, values in request.POST.lists():
        yield name
        yield from values
    for _name, uploads in request.FILES.lists():
        yield from (upload.name or "" for upload in uploads)


def _undecodable_form(request):
    """A form sent as application/x-www-form-urlencoded whose bytes, once unquoted, are no
    UTF-8: Django reads it as ISO-8859-1 instead ("Caf\xe9" saved as "Café", "\x93" as a
    control character)."""
    if request.content_type != "application/x-www-form-urlencoded":
        return False
    try:
        for pair in request.body.split(b"&"):
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _texts(request):
    """Every piece of text the request brings besides its path: the names and values of the
    query string, the form and the cookies, and the names of uploaded files."""
    yield from request.COOKIES.keys()
    yield from request.COOKIES.values()
    for name, values in request.GET.lists():
        yield name
        yield from values
    if request.method == "POST":
        yield from _sent_texts(request)


class SiteOriginMiddleware:
    """Remembers the origin of the request being answered, for the links of the emails and
    notifications it causes (forkom.http.absolute_url). The host is Django's validated one
    (ALLOWED_HOSTS); production links still come from FORKOM_SITE_URL when it is set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = ""
        token = request_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            request_origin.reset(token)
