"""Small value makers: random hex, ids, moments and dates in WITA."""

import base64
import os
from datetime import UTC, datetime

from django.db.models import Max

from devdata.scale.constants import WITA


def random_hex(count, length):
    """`count` random hex strings of `length` digits, from one read of the OS's randomness."""
    block = os.urandom(count * length // 2 + 1).hex()
    return [block[start : start + length] for start in range(0, count * length, length)]


def uuid4_strings(count):
    """Random (version 4) UUIDs as text, unique whatever --seed says, in increasing order.

    Sorted so that rows written in order of their primary key add to the unique index at its
    right edge, which PostgreSQL does without searching the tree; the values stay random.
    """
    uuids = []
    for digits in random_hex(count, 32):
        variant = "89ab"[int(digits[16], 16) & 3]
        uuids.append(
            f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"
        )
    uuids.sort()
    return uuids


def certificate_codes(count):
    """Like trainings.models.new_certificate_code: 96 random bits, URL-safe (16 characters).

    Sorted, like uuid4_strings, for the unique index.
    """
    block = base64.urlsafe_b64encode(os.urandom(12 * count)).decode()
    return sorted(block[start : start + 16] for start in range(0, 16 * count, 16))


def moment(seconds):
    return datetime.fromtimestamp(seconds, UTC)


def local_date(seconds):
    return datetime.fromtimestamp(seconds, WITA).date()


def next_ids(model, count):
    """Primary keys for `count` new rows, after the largest one in the table."""
    start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return range(start, start + count)


def short_place(name):
    for prefix in ("Kabupaten ", "Kota ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
