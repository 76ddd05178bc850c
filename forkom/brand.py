"""The portal's look outside its pages: the colours of the web app manifest and the
theme-color, its icons, and the Open Graph image that link previews (WhatsApp) show.

The colours are read from the stylesheet, so that there is one place to change them. The
images are drawn with Pillow (already installed for fpdf2's images) once per process: no
file to keep in step with the colours, and no external service.
"""

import io
import re
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from PIL import Image, ImageDraw, ImageFont

STYLESHEET = "css/forkom.css"
ICON_SIZES = (192, 512)
OG_SIZE = (1200, 630)
NAME = "Forkom KPM"
FULL_NAME_LINES = ("Forum Komunikasi Kader", "Pemberdayaan Masyarakat")
PLACE = "Kota Bontang · Kalimantan Timur"
MARK = "FK"


@dataclass(frozen=True)
class Colours:
    theme: str  # --green: the header and buttons
    dark: str  # --green-dark
    background: str  # --paper
    ink: str  # --ink
    muted: str  # --muted


def _variable(css: str, name: str) -> str:
    found = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,6}})\s*;", css)
    if found is None:
        raise LookupError(f"{STYLESHEET} defines no colour --{name}.")
    return found.group(1).lower()


@cache
def colours() -> Colours:
    path = finders.find(STYLESHEET)
    if not isinstance(path, str):
        raise LookupError(f"{STYLESHEET} is not among the static files.")
    with open(path, encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    return Colours(
        theme=_variable(css, "green"),
        dark=_variable(css, "green-dark"),
        background=_variable(css, "paper"),
        ink=_variable(css, "ink"),
        muted=_variable(css, "muted"),
    )


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own scalable font: the same on every machine, nothing to install.
    return ImageFont.load_default(size=size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draw_mark(draw: ImageDraw.ImageDraw, left: int, top: int, size: int) -> None:
    """The favicon's mark: a rounded green square with "FK" in white."""
    draw.rounded_rectangle(
        (left, top, left + size - 1, top + size - 1), radius=size * 6 // 32, fill=colours().theme
    )
    draw.text(
        (left + size / 2, top + size / 2),
        MARK,
        font=_font(size * 15 // 32),
        fill="#ffffff",
        anchor="mm",
    )


@cache
def icon_png(size: int) -> bytes:
    """The app icon, `size` pixels square."""
    if size not in ICON_SIZES:
        raise ValueError(f"No icon of {size} px.")
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    _draw_mark(ImageDraw.Draw(image), 0, 0, size)
    return _png(image)


@cache
def og_image_png() -> bytes:
    """The picture of a link preview: the mark, the name, the full name and the place."""
    palette = colours()
    width, height = OG_SIZE
    image = Image.new("RGB", OG_SIZE, palette.background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height - 36, width, height), fill=palette.theme)
    _draw_mark(draw, 80, 150, 200)
    draw.text((330, 150), NAME, font=_font(110), fill=palette.dark)
    for number, line in enumerate(FULL_NAME_LINES):
        draw.text((330, 300 + number * 58), line, font=_font(48), fill=palette.ink)
    draw.text((330, 450), PLACE, font=_font(38), fill=palette.muted)
    return _png(image)
