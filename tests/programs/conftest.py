"""Fixtures of the programs tests: a verified proposer, reviewers outside the chain, media."""

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from forkom.accounts.models import Position, Role
from tests.conftest import make_persona, make_user
from tests.programs.factories import make_verified_profile


@pytest.fixture(autouse=True)
def _media_in_tmp(media_in_tmp):
    """Every programs test stores its uploads in its own folder."""


@pytest.fixture(autouse=True)
def _in_english(client):
    """Messages are checked in their English source, whatever the catalogue says."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def elsewhere(other_kota, other_province):
    """Kota Samarinda (another kota of the province) and Kalimantan Utara (another province)."""


@pytest.fixture
def proposer(bontang):
    """A verified cadre of Belimbing (Bontang Barat) who proposes programmes."""
    user = make_user("pengusul@test.forkom.id", first_name="Siti", last_name="Rahmawati")
    make_verified_profile(user, full_name="Siti Rahmawati")
    return user


@pytest.fixture
def teammate(bontang):
    """A verified cadre of Kanaan (Bontang Barat), on the proposer's team."""
    user = make_user("tim@test.forkom.id")
    make_verified_profile(user, kelurahan="64.74.03.1003", full_name="Rudi Hartono")
    return user


@pytest.fixture
def other_kecamatan_officer(bontang):
    return make_persona(Role.FORUM_OFFICER, "64.74.01", Position.KETUA)


@pytest.fixture
def kota_staff(bontang):
    return make_persona(Role.DINAS_STAFF, "64.74")
