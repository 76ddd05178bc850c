"""`{% per_language %}` (forkom/templatetags/forkom.py): the parts of every page's frame that
are the same for everyone in a language, rendered once per language and copied."""

import re
from contextlib import ExitStack
from unittest import mock

import pytest
from django.conf import settings
from django.template import Context, Engine, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory, override_settings
from django.utils import translation

from forkom.templatetags.forkom import PerLanguageNode

# A form's CSRF token is masked afresh on every render, a CSP nonce made for every response.
VARYING = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|(nonce=")[^"]+')


def page(client, path, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code in (200, 404), response.status_code
    return VARYING.sub(r"\1\2…", response.content.decode())


def straight(node, context):
    """What the fragment gives when it is rendered in the page's own context, every time."""
    return node.nodelist.render(context)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("who", [None, "cadre", "kelurahan_officer", "coordinator", "staff"])
@pytest.mark.parametrize("path", ["/privasi/", "/", "/pelatihan/", "/forum/", "/no-such-page/"])
def test_the_frame_is_the_same_as_rendered_in_the_page_s_context(
    request, client, bontang, who, path, language
):
    """Fails when a fragment reads anything of the page (its context is empty): the request,
    the user, a count, the view's values."""
    if who:
        client.force_login(request.getfixturevalue(who))
    copied = page(client, path, language)
    with mock.patch.object(PerLanguageNode, "render", straight):
        rendered = page(client, path, language)
    assert copied == rendered
    assert 'class="site-footer"' in copied
    assert f'<html lang="{language}">' in copied


def fragments():
    engine = Engine.get_default()
    return [
        node
        for name in ("base.html", "_og_image.html")
        for node in engine.get_template(name).nodelist.get_nodes_by_type(PerLanguageNode)
    ]


def test_each_fragment_is_rendered_once_per_language(client, bontang):
    with override_settings(LANGUAGE_COOKIE_AGE=1):  # forget what earlier tests rendered
        pass
    nodes = fragments()
    # Six in base.html, one in _og_image.html.
    assert len(nodes) == 7
    with ExitStack() as stack:
        renders = [
            stack.enter_context(
                mock.patch.object(node.nodelist, "render", wraps=node.nodelist.render)
            )
            for node in nodes
        ]
        for language in ("id", "id", "en", "id", "en"):
            assert "site-footer" in page(client, "/privasi/", language)
    assert [render.call_count for render in renders] == [2] * 7


def test_a_fragment_sees_nothing_of_the_page():
    template = Template(
        "{% load forkom %}{% per_language %}[{{ user }}|{{ request.path }}]{% end_per_language %}"
    )
    with translation.override("id"):
        assert template.render(Context({"user": "Siti", "request": {"path": "/x/"}})) == "[|]"
    # A page's own context (its processors give the user, the request and the form key).
    template = Engine.get_default().from_string(
        "{% load forkom %}{% per_language %}[{{ user }}{{ request.path }}{% csrf_token %}]"
        "{% end_per_language %}"
    )
    with translation.override("id"):
        page_context = RequestContext(RequestFactory().get("/x/"), {"user": "Siti"})
        assert template.render(page_context) == "[]"


def test_a_fragment_is_rendered_again_for_another_language_and_after_a_settings_change():
    template = Template(
        '{% load i18n forkom %}{% per_language %}{% translate "Menu" %}{% end_per_language %}'
    )
    with translation.override("id"):
        first = template.render(Context())
    with translation.override("en"):
        assert template.render(Context()) == "Menu"
    with translation.override("id"):
        assert template.render(Context()) == first
    node = template.nodelist.get_nodes_by_type(PerLanguageNode)[0]
    with mock.patch.object(node.nodelist, "render", return_value="again") as rendered:
        with translation.override("id"):
            assert template.render(Context()) == first
        assert rendered.call_count == 0
        with override_settings(LANGUAGE_COOKIE_AGE=1), translation.override("id"):
            assert template.render(Context()) == "again"
        assert rendered.call_count == 1


def test_a_block_inside_a_fragment_is_refused():
    with pytest.raises(TemplateSyntaxError, match="cannot hold a"):
        Template(
            "{% load forkom %}{% per_language %}{% block title %}{% endblock %}"
            "{% end_per_language %}"
        )
    with pytest.raises(TemplateSyntaxError, match="no arguments"):
        Template("{% load forkom %}{% per_language 'x' %}{% end_per_language %}")
