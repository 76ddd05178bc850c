"""Each role, signed in on a phone, lands on their work and reaches their first task in one
tap: the cadre their profile, the ketua the cadre waiting for verification, the Koordinator
Kota the proposal waiting for escalation, Dinas staff the deletion request. Every home fits
360 px and 1280 px, passes axe, and every action button lies inside the viewport.

With FORKOM_SCREENSHOTS=<folder> the homes are saved there at both widths (the images in
docs/screenshots/ and the README come from `FORKOM_SCREENSHOTS=docs/screenshots make test
PYTEST_ARGS=tests/browser/test_role_homes.py`)."""

import os
from pathlib import Path

import pytest

from cadres import services as cadre_services
from forkom.accounts.models import Position, Role
from programs.models import Proposal
from tests.browser.helpers import PHONE_WIDTH, check, sign_in
from tests.cadres.factories import make_profile
from tests.conftest import make_persona, make_user
from tests.programs.factories import bring_to, make_proposal, make_verified_profile

SHOTS = os.environ.get("FORKOM_SCREENSHOTS", "")


def buttons_inside(page, width):
    """Every button and submit of the main content lies inside the viewport's width."""
    boxes = page.locator("main button, main input[type='submit'], main a.button")
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        if box:  # hidden ones (a closed <details>) have none
            assert box["x"] >= 0, page.url
            assert box["x"] + box["width"] <= width + 0.5, page.url


def shoot(page, name):
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


@pytest.fixture
def world(bontang):
    officer = make_persona(
        Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA, email="ketua@test.forkom.id"
    )
    kecamatan = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.KETUA)
    coordinator = make_persona(Role.CITY_COORDINATOR, "64.74", email="koor@test.forkom.id")
    staff = make_persona(Role.DINAS_STAFF, "64", email="staf@test.forkom.id")
    waiting = make_profile(
        user=make_user("siti@test.forkom.id"), kelurahan="64.74.03.1001", full_name="Siti Aminah"
    )
    proposer = make_verified_profile(
        user=make_user("budi@test.forkom.id"), kelurahan="64.74.03.1002"
    ).user
    proposal = make_proposal(proposer, title="Dodol rumput laut Belimbing")
    bring_to(
        proposal, Proposal.State.RECOMMENDED, officer=kecamatan, coordinator=coordinator,
        staff=staff,
    )  # fmt: skip
    leaving = make_verified_profile(
        user=make_user("pindah@test.forkom.id"), kelurahan="64.74.03.1003"
    ).user
    cadre_services.request_deletion(actor=leaving, reason="Pindah ke luar kota.")
    return {
        "cadre": ("siti@test.forkom.id", "/kader/"),
        "ketua": ("ketua@test.forkom.id", waiting.get_absolute_url()),
        "koordinator": ("koor@test.forkom.id", proposal.get_absolute_url()),
        "staf": ("staf@test.forkom.id", None),
        "officer": officer,
    }


@pytest.mark.parametrize("role", ["cadre", "ketua", "koordinator", "staf"])
def test_each_role_lands_on_their_work_and_reaches_the_first_task(
    page, live_server_url, world, role, assert_accessible
):
    base = live_server_url
    email, first_task = world[role]
    sign_in(page, base, email)
    check(page, assert_accessible)
    buttons_inside(page, PHONE_WIDTH)
    main = page.locator("main")
    shoot(page, f"home-{role}")
    if role == "staf":
        # Dinas staff handle deletion requests in the admin (with their second factor).
        assert main.locator("a[href*='/admin/cadres/deletionrequest/']").count() >= 1
    else:
        link = main.locator(f"a[href='{first_task}']").first
        link.click()
        page.wait_for_url(base + first_task)
        check(page, assert_accessible)
        buttons_inside(page, PHONE_WIDTH)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    buttons_inside(page, 1280)
    shoot(page, f"home-{role}")
