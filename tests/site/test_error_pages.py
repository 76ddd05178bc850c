"""Error answers speak the visitor's language and say what to do, like every other page."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_an_unknown_address_gets_the_portals_404_page(client, db):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    assert 'href="/"' in response.text


def test_a_get_on_a_post_only_address_explains_itself(english, cadre):
    english.force_login(cadre)
    response = english.get(reverse("cadres:withdraw_consent"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "only takes a form sent from its page" in response.text


@pytest.mark.parametrize("method", ["put", "patch", "delete", "trace", "options"])
def test_a_method_the_portal_does_not_use_is_refused_not_answered_as_a_get(english, cadre, method):
    """PUT, DELETE or a made-up method on a page or a form answered 200 with the page, as a
    GET (found by a walk through the demo site)."""
    english.force_login(cadre)
    for path in ("/", reverse("cadres:edit"), reverse("notifications:preferences")):
        response = getattr(english, method)(path)
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == "GET, HEAD, POST"
        assert "GET, HEAD and POST" in response.text
    made_up = english.generic("FOO", "/")
    assert made_up.status_code == 405
    assert english.head("/").status_code == 200


def test_a_request_too_large_to_read_gets_the_400_page(english, db):
    fields = {f"f{number}": "x" for number in range(1100)}  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = english.post(reverse("set_language"), fields)
    assert response.status_code == 400
    assert "could not read what was sent" in response.text


def test_the_500_page_stands_alone_and_is_translated(db):
    request = RequestFactory().get("/")
    with translation.override("id"):
        response = defaults.server_error(request)
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()
