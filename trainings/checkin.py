"""The check-in code: what a participant shows at the venue (as a QR code or read aloud) and
the organiser scans or types to mark them present.

The code is not stored: it is an HMAC of the training and the registration under the site's
secret key, so it cannot be guessed from another code, and a participant's code for one
training is no code at all for another. Eight letters and digits of base32 (40 bits), shown
as two groups of four; typed codes forgive spaces, dashes, lower case and the digits 0, 1
and 8 read for the letters O, I and B.
"""

import base64
import hashlib
import hmac
import io

import segno
from django.conf import settings

from trainings.models import Registration

LENGTH = 8
# Typed by hand from a phone screen: what people confuse with the base32 letters.
LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def code_for(registration: Registration) -> str:
    message = f"trainings.checkin:{registration.training_id}:{registration.pk}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:LENGTH]


def shown(code: str) -> str:
    """`ABCD-EFGH`: easier to read aloud and to type."""
    return f"{code[:4]}-{code[4:]}"


def normalised(typed: str) -> str:
    """The code as `code_for` writes it, from what was typed or scanned; "" when it cannot
    be one (so that nothing is looked up)."""
    code = "".join(typed.split()).replace("-", "").upper().translate(LOOKALIKES)
    if len(code) != LENGTH or not all(char in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for char in code):
        return ""
    return code


def qr_png(code: str) -> bytes:
    """The code as a QR code (PNG, black on white, standard quiet zone)."""
    buffer = io.BytesIO()
    segno.make(shown(code), error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
