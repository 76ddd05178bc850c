"""The worlds of the authorization matrix and the fuzz test, built once for each module here.

Building them takes about a second (three regions, through the services); the matrix and
the fuzz are some 40 tests. Each test starts from the worlds as built, with copies of their
Python objects and of their uploaded files, and its changes are rolled back. Also the demo
data of `make run`, for the tests that go through every page of the admin."""

import copy
import io
import shutil

import pytest
from django.core.management import call_command

from cadres.forums import services as forum_services
from forkom.accounts.models import Position, Role
from forkom.territory.models import Region
from tests.conftest import kept_for_the_module, make_persona
from tests.site.worlds import build_worlds
from tests.trainings.factories import make_cadre


@pytest.fixture(scope="module")
def _worlds_of_the_module(
    django_db_setup, django_db_blocker, _deletion_log_directory, tmp_path_factory
):
    media = tmp_path_factory.mktemp("worlds-media")
    for built in kept_for_the_module(
        build_worlds, django_db_blocker, _deletion_log_directory, MEDIA_ROOT=media
    ):
        yield built, media


@pytest.fixture
def worlds(_worlds_of_the_module, db, settings, tmp_path):
    built, media = _worlds_of_the_module
    # A test may remove a file (an import once run drops its sheet): each has its own copy.
    settings.MEDIA_ROOT = shutil.copytree(media, tmp_path / "media")
    return copy.deepcopy(built)


@pytest.fixture
def demo(bontang, other_kota, settings):
    """The demo data of `make run`, with Kota Samarinda beside Bontang."""
    settings.DEBUG = True
    for command in (
        "create_demo_accounts",
        "create_demo_cadres",
        "create_demo_trainings",
        "create_demo_programmes",
        "create_demo_communication",
    ):
        call_command(command, stdout=io.StringIO())
    # A forum with a member, which the demo data does not make.
    forum = forum_services.get_or_create_forum(region=Region.objects.get(code="64.74.03"))
    officer = make_persona(Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS)
    forum_services.add_member(actor=officer, forum=forum, profile=make_cadre())
