import os
from typing import Any

import django
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils.http import parse_header_parameters

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forkom.settings")


class Request(WSGIRequest):
    """Django's request, except that it reads everything as UTF-8, whatever charset the
    request declares.

    Django makes a declared charset the request's encoding and at once decodes the query
    string with it: `charset=base64` (a codec, but not of text), `charset=idna` or
    `charset=undefined` raised there, while the request was being built, outside Django's
    error handling, and the server answered a bare 500. Here the declared charset is never
    adopted (this private method of Django's is the one place that does), and
    forkom.middleware.UnreadableRequestMiddleware refuses one other than UTF-8 with a 400
    that says why.
    """

    def _set_content_type_params(self, meta: dict[str, Any]) -> None:
        self.content_type, self.content_params = parse_header_parameters(
            meta.get("CONTENT_TYPE", "")
        )
        # The encoding stays DEFAULT_CHARSET, UTF-8.


class Handler(WSGIHandler):
    request_class = Request


django.setup(set_prefix=False)
application = Handler()
