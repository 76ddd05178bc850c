"""What no page can take in is refused with a 400 that says why, never a server error:
a NUL character (PostgreSQL's text holds none) and a character set other than UTF-8
(forkom.middleware.UnreadableRequestMiddleware, forkom.wsgi.Request)."""

from contextlib import contextmanager
from io import BytesIO

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse

from cadres.models import CadreProfile
from forkom.wsgi import application
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile

NUL_REFUSED = "no page of the portal takes one"
NOT_UTF8 = "the only character set the portal reads"


@pytest.fixture
def signed_in_staff(client, staff):
    client.force_login(with_totp(staff))
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/admin/cadres/cadreprofile/", {"q": "\x00"}),
        ("/admin/cadres/cadreprofile/", {"status__exact": "a\x00"}),
        ("/admin/programs/proposal/", {"kecamatan": "64.74\x00"}),
        ("/admin/territory/region/", {"q": "64\x00"}),
        (
            "/admin/autocomplete/",
            {
                "term": "\x00",
                "app_label": "accounts",
                "model_name": "roleassignment",
                "field_name": "region",
            },
        ),
    ],
)
def test_a_nul_in_an_admin_search_filter_or_autocomplete_is_refused(signed_in_staff, path, query):
    response = signed_in_staff.get(path, query)
    assert response.status_code == 400
    assert NUL_REFUSED in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/admin/cadres/cadreprofile/%00/change/",
        "/admin/territory/region/64%00/change/",
        "/admin/territory/region/64%00/history/",
    ],
)
def test_a_nul_in_an_admin_address_names_nothing(signed_in_staff, path):
    assert signed_in_staff.get(path).status_code == 404


def test_a_nul_in_a_form_is_refused_and_nothing_is_saved(client, kelurahan_officer):
    profile = make_profile()
    client.force_login(kelurahan_officer)
    response = client.post(
        reverse("cadres:reject", args=[profile.public_id]), {"reason": "NIK\x00salah."}
    )
    assert response.status_code == 400
    assert CadreProfile.objects.get(pk=profile.pk).status == CadreProfile.Status.WAITING


def test_a_nul_in_a_cookie_is_refused_before_the_session_is_looked_up(client, bontang):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get(reverse("home")).status_code == 400


def test_the_reason_is_given_in_indonesian_by_default(client, bontang):
    response = client.get(reverse("territory:index"), {"q": "\x00"})
    assert response.status_code == 400
    assert "karakter NUL" in response.text


@contextmanager
def served():
    """Call the portal's WSGI application as a server does, in the test's transaction: the
    test client builds its own requests, and would not show what forkom.wsgi changes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def serve(method, path, *, query="", content_type="", body=b"", language="en"):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": f"django_language={language}",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SCRIPT_NAME": "",
        "wsgi.input": BytesIO(body),
        "wsgi.errors": BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    started = []
    with served() as app:
        result = app(environ, lambda status, headers, exc_info=None: started.append(status))
        try:
            content = b"".join(result)
        finally:
            result.close()
    return int(started[0].split()[0]), content.decode()


FORM = "application/x-www-form-urlencoded"
MULTIPART_BODY = b'--x\r\nContent-Disposition: form-data; name="next"\r\n\r\n/\xe9\r\n--x--\r\n'


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (f"{FORM}; charset=latin-1", b"language=en&next=/caf\xe9"),
        (f"{FORM}; charset=nope", b"language=en"),
        (f"{FORM}; charset=base64", b"language=en"),
        (f"{FORM}; charset=undefined", b"language=en"),
        (f"{FORM}; charset=idna", b"language=en"),
        ("multipart/form-data; boundary=x; charset=latin-1", MULTIPART_BODY),
        ("multipart/form-data; boundary=x; charset=rot13", MULTIPART_BODY),
        ("text/plain; charset=zlib", b""),
    ],
)
def test_a_request_in_another_character_set_is_refused(db, content_type, body):
    status, page = serve(
        "POST", reverse("set_language"), query="q=%ff", content_type=content_type, body=body
    )
    assert status == 400
    assert NOT_UTF8 in page


@pytest.mark.parametrize("charset", ["utf-8", "UTF8", "us-ascii"])
def test_utf8_by_any_of_its_names_is_read(bontang, charset):
    status, page = serve("GET", "/", query="x=%ff", content_type=f"text/plain; charset={charset}")
    assert status == 200
    assert "Forkom KPM" in page


def test_a_nul_through_the_server_gets_the_translated_reason(db):
    status, page = serve("GET", "/", query="q=%00", language="id")
    assert status == 400
    assert "karakter NUL" in page


CONTROL_REFUSED = "invisible control character"


@pytest.mark.parametrize("reason", ["NIK salah\x07", "NIK\x0bsalah", "NIK salah\x1b[0m"])
def test_a_control_character_in_a_form_is_refused_and_nothing_is_saved(
    client, kelurahan_officer, reason
):
    """A name typed with a bell character was saved, and every XLSX export holding it then
    answered 500 (openpyxl refuses it; found by a walk through the demo site)."""
    profile = make_profile()
    client.force_login(kelurahan_officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("cadres:reject", args=[profile.public_id]), {"reason": reason})
    assert response.status_code == 400
    assert CONTROL_REFUSED in response.text
    assert CadreProfile.objects.get(pk=profile.pk).status == CadreProfile.Status.WAITING


def test_tabs_and_line_breaks_are_text_and_are_kept(client, kelurahan_officer):
    profile = make_profile()
    client.force_login(kelurahan_officer)
    reason = "NIK salah:\r\n\tdigit ke-7 tidak cocok."
    response = client.post(reverse("cadres:reject", args=[profile.public_id]), {"reason": reason})
    assert response.status_code == 302
    assert CadreProfile.objects.get(pk=profile.pk).status == CadreProfile.Status.REJECTED


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # Windows-1252 bytes as such: Django read them as ISO-8859-1 and saved "Café" and
        # the curly quotes as C1 control characters.
        (FORM, b"language=en&next=/Caf\xe9+\x93Mawar\x94"),
        (FORM, b"language=en&next=/Caf\xe9"),
        # Percent-encoded bytes that are no UTF-8: saved as U+FFFD.
        (FORM, b"language=en&next=/Caf%E9+%FF"),
        ("multipart/form-data; boundary=x", MULTIPART_BODY),
    ],
)
def test_a_form_whose_bytes_are_not_utf8_is_refused(db, content_type, body):
    status, page = serve("POST", reverse("set_language"), content_type=content_type, body=body)
    assert status == 400
    assert NOT_UTF8 in page


def test_a_form_in_utf8_is_read(db):
    body = b"language=en&next=/Caf%C3%A9+%E2%80%9CMawar%E2%80%9D"
    status, _page = serve("POST", reverse("set_language"), content_type=FORM, body=body)
    assert status == 403  # read, and refused by the CSRF check that comes after
