"""Every page of the site at 360 px, as the person it is for: nothing wider than the phone,
and every button of the page inside it.

The pages are those `make bench` times (bench/pages.py ROUTES, which a test keeps complete),
each asked for as its persona of Kota Bontang, with the objects of the authorization
matrix's Bontang world (tests/site/worlds.py: a forum, a proposal, a training, a meeting, an
announcement...). Downloads and probes are not pages; the Django admin is the agency staff's
desktop tool. A new page with an object the worlds do not name fails here until it is
given one. All offenders are listed at once.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.helpers import PHONE_WIDTH
from tests.site.test_authorization_matrix import LIST_ROUTES, OBJECT_ROUTES
from tests.site.worlds import worlds  # noqa: F401  (the fixture)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import pages as bench_pages

NOT_PAGES = {"file", "probe", "redirect"}
# bench/pages.py names Dinas staff of the province "staff"; the worlds, "province_staff".
PERSONA = {"staff": "province_staff"}
# WCAG 2.5.5: a target is at least 44 by 44 CSS pixels (links inside a sentence excepted:
# only buttons, submits, button-links and <summary> are measured).
TARGET = 44
# Pages whose object the worlds do not hold: the certificate check answers for a code that
# is no certificate with its own page (and the lookup form), which is what is looked at.
EXTRA_ARGS = {"certificates:verify": {"code": "ABCD-EFGH-JKLM"}}
# The buttons and button-links a person acts with, of the page's own content.
ACTIONS = "main button, main input[type='submit'], main a.button, main summary"


def phone_pages():
    """(URL name, persona) of every HTML page of the site in the bench's list."""
    return [
        (name, PERSONA.get(route.persona, route.persona))
        for name, route in bench_pages.ROUTES.items()
        if not name.startswith("admin:") and route.kind not in NOT_PAGES
    ]


def path_of(name, world):
    if name in OBJECT_ROUTES:
        kwargs = OBJECT_ROUTES[name](world)
    else:
        kwargs = EXTRA_ARGS.get(name) or LIST_ROUTES.get(name, {})
    return reverse(name, kwargs=kwargs or None)


def overflow(page):
    """What sticks out of the phone's width: the document's width, and each action whose box
    leaves the viewport (a hidden one, in a closed <details>, has none)."""
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH:
        found.append(f"the page is {width} px wide")
    actions = page.locator(ACTIONS)
    for index in range(actions.count()):
        if not actions.nth(index).is_visible():  # in a closed <details>: not a target yet
            continue
        box = actions.nth(index).bounding_box()
        if box and (box["x"] < 0 or box["x"] + box["width"] > PHONE_WIDTH + 0.5):
            text = " ".join(actions.nth(index).inner_text().split())[:40]
            found.append(f"“{text}” spans {box['x']:.0f} to {box['x'] + box['width']:.0f} px")
        if box and (box["height"] < TARGET - 0.5 or box["width"] < TARGET - 0.5):
            text = (
                " ".join(actions.nth(index).inner_text().split())[:40]
                or actions.nth(index).evaluate("element => element.outerHTML")[:80]
            )
            found.append(f"“{text}” is {box['width']:.0f} by {box['height']:.0f} px")
    return found


def test_every_page_fits_the_phone_with_every_button_inside(page, live_server_url, worlds):  # noqa: F811
    bontang = worlds["bontang"]
    personas = bontang.personas()
    cookies = {}
    for persona in {persona for _name, persona in phone_pages()} - {"anonymous"}:
        client = Client()
        client.force_login(personas[persona])
        cookies[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value

    offenders, seen = [], 0
    for name, persona in phone_pages():
        page.context.clear_cookies()
        if persona != "anonymous":
            page.context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookies[persona],
                        "url": live_server_url,
                    }
                ]
            )
        path = path_of(name, bontang)
        response = page.goto(live_server_url + path)
        assert response is not None, path
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        seen += 1
        offenders += [f"{name} {path} as {persona}: {what}" for what in overflow(page)]
    assert not offenders, "\n".join(offenders)
    assert seen >= 60, f"only {seen} pages were looked at"
