"""The dashboards fit a 360 px phone without JavaScript: every table scrolls inside its own
box, charts are inline SVG with a title, a description and their numbers in a table, and
nothing is styled inline or fetched from another host."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

PAGES = [
    ("dashboard:city", ["64.74"], "coordinator"),
    ("dashboard:city_kecamatan", ["64.74", "64.74.03"], "coordinator"),
    ("dashboard:province", ["64"], "staff"),
]


class Page(HTMLParser):
    """Records each table's ancestors, the SVG charts, and what CSP would refuse."""

    VOID = {"br", "img", "input", "link", "meta", "hr", "rect", "line", "path", "source"}

    def __init__(self):
        super().__init__()
        self.stack = []
        self.tables = []
        self.svgs = []
        self.inline_styles = 0
        self.scripts = 0
        self.foreign = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes or tag == "style":
            self.inline_styles += 1
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if value.startswith(("http://", "https://", "//")):
                self.foreign.append(value)
        if tag == "table":
            self.tables.append([classes for _tag, classes in self.stack])
        if tag == "svg":
            self.svgs.append({"attributes": attributes, "children": []})
        elif self.svgs and any(t == "svg" for t, _c in self.stack):
            self.svgs[-1]["children"].append(tag)
        if tag not in self.VOID:
            self.stack.append((tag, (attributes.get("class") or "").split()))

    def handle_endtag(self, tag):
        if tag not in (open_tag for open_tag, _classes in self.stack):
            return  # a void or self-closed element: nothing was opened
        while self.stack:
            open_tag, _classes = self.stack.pop()
            if open_tag == tag:
                break


def parsed(client, request, name, args, viewer):
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    page = Page()
    page.feed(response.text)
    return response, page


@pytest.mark.parametrize(("name", "args", "viewer"), PAGES)
def test_every_table_scrolls_in_its_own_box_on_a_phone(client, request, world, name, args, viewer):
    response, page = parsed(client, request, name, args, viewer)
    assert b'name="viewport" content="width=device-width, initial-scale=1"' in response.content
    assert len(page.tables) >= 3
    for ancestors in page.tables:
        assert any("table-scroll" in classes for classes in ancestors)


@pytest.mark.parametrize(("name", "args", "viewer"), PAGES)
def test_the_pages_need_no_script_no_inline_style_and_no_other_host(
    client, request, world, name, args, viewer
):
    response, page = parsed(client, request, name, args, viewer)
    assert page.scripts == 0
    assert page.inline_styles == 0
    assert page.foreign == []
    assert 'href="/static/css/forkom.' in response.text


@pytest.mark.parametrize(
    ("name", "args", "viewer", "described"),
    [(*PAGES[0], "Bontang Barat: 1 of 3"), (*PAGES[2], "Kota Bontang: 1 of 3")],
)
def test_the_charts_are_accessible_svg_with_their_numbers_beside_them(
    client, request, world, name, args, viewer, described
):
    response, page = parsed(client, request, name, args, viewer)
    assert len(page.svgs) == 4
    for svg in page.svgs:
        attributes = svg["attributes"]
        assert attributes["role"] == "img"
        title_id, desc_id = attributes["aria-labelledby"].split()
        assert f'<title id="{title_id}">' in response.text
        assert f'<desc id="{desc_id}">' in response.text
        assert {"title", "desc", "rect"} <= set(svg["children"])
    assert response.text.count('class="chart-table"') == 4
    # Each chart's figures are one tap away, not repeated under it.
    assert response.text.count('<details class="chart-figures">') == 4
    # The numbers are SVG numbers, whatever the language writes as a decimal comma.
    assert 'width="1,' not in response.text
    assert described in response.text


def test_the_indonesian_page_keeps_svg_numbers_with_a_decimal_point(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:city", args=["64.74"]))
    assert '<html lang="id">' in response.text
    svg = "".join(re.findall(r"<svg.*?</svg>", response.text, flags=re.DOTALL))
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert "106.7" in numbers  # a third of the bar: Belimbing of Bontang Barat's 3 kelurahan
    assert all(re.fullmatch(r"[0-9]+(\.[0-9])?|100%", number) for number in numbers), numbers
