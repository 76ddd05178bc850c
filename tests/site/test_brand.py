"""The web app manifest, its icons, the theme colour and the Open Graph image."""

import io
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

STYLESHEET = Path(__file__).resolve().parents[2] / "static/css/forkom.css"
PUBLIC_PAGES = [
    reverse("home"),
    reverse("territory:region", kwargs={"code": "64.74.03"}),
    reverse("territory:region", kwargs={"code": "64.74.03.1001"}),
    reverse("programs:public"),
    reverse("programs:gallery"),
    reverse("forums:directory"),
    reverse("trainings:list"),
]


def css_colour(name):
    return re.search(rf"--{name}:\s*(#[0-9a-f]+);", STYLESHEET.read_text()).group(1)


def png(response):
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_the_manifest_names_the_portal_with_the_stylesheets_colours(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "max-age=86400" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "Forkom KPM"
    assert manifest["name"] == "Forkom KPM Kota Bontang"
    assert manifest["theme_color"] == css_colour("green") == "#0b5d4b"
    assert manifest["background_color"] == css_colour("paper")
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "id"
    assert "Kader Pemberdayaan Masyarakat" in manifest["description"]
    pngs = [icon for icon in manifest["icons"] if icon["type"] == "image/png"]
    assert [icon["sizes"] for icon in pngs] == ["192x192", "512x512"]
    for icon in pngs:
        image = png(client.get(icon["src"]))
        assert f"{image.width}x{image.height}" == icon["sizes"]
        assert image.getpixel((image.width // 2, image.height // 8))[:3] == (11, 93, 75)


def test_an_icon_of_another_size_is_not_found(client, db):
    assert client.get(reverse("icon", kwargs={"size": 64})).status_code == 404


def test_the_open_graph_image_is_a_png_that_previews_accept(client, db):
    response = client.get(reverse("og_image"))
    assert response.status_code == 200
    image = png(response)
    assert (image.width, image.height) == (1200, 630)
    assert len(response.content) < 300 * 1024  # WhatsApp ignores images above 300 KB


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_carry_the_manifest_theme_colour_and_preview_image(client, bontang, path):
    response = client.get(path)
    assert response.status_code == 200
    text = response.text
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in text
    assert '<meta name="theme-color" content="#0b5d4b">' in text
    assert '<meta property="og:image" content="http://testserver/pratinjau.png">' in text
    assert f'<meta property="og:url" content="http://testserver{path}">' in text
    assert text.count('property="og:image"') == 1


def test_the_region_page_previews_with_the_regions_name(client, bontang):
    text = client.get(reverse("territory:region", kwargs={"code": "64.74.03.1001"})).text
    title = re.search(r'<meta property="og:title" content="([^"]*)">', text).group(1)
    assert title.endswith("Belimbing · Forkom KPM")


def test_a_kelurahan_page_describes_what_it_holds_in_its_preview(client, bontang):
    text = client.get(reverse("territory:region", kwargs={"code": "64.74.03.1001"})).text
    description = re.search(r'<meta property="og:description" content="([^"]*)">', text)
    assert "Belimbing" in description.group(1)
    home = client.get(reverse("home")).text
    assert "Kader Pemberdayaan Masyarakat" in re.search(
        r'<meta property="og:description" content="([^"]*)">', home
    ).group(1)


def test_favicon_ico_leads_to_the_portals_icon_without_the_database(
    client, db, django_assert_num_queries
):
    """Browsers ask for /favicon.ico on a page that names no icon, and so do feed and
    bookmark readers: it answered 404 (found by a walk through the demo's admin)."""
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == reverse("icon", kwargs={"size": 192})
    assert "max-age=86400" in response["Cache-Control"]
    image = png(client.get(response["Location"]))
    assert (image.width, image.height) == (192, 192)


def test_admin_pages_name_the_portals_icon(client, bontang):
    from forkom.accounts.models import Role
    from tests.accounts.test_admin import with_totp
    from tests.conftest import make_persona

    client.force_login(with_totp(make_persona(Role.DINAS_STAFF, "64.74")))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert '<link rel="icon" href="/static/img/favicon.' in response.text
