"""The worlds of the authorization matrix and the fuzz test, built once for each module here.

Building them takes about a second (three regions, through the services); the matrix and
the fuzz are some 40 tests. Each test starts from the worlds as built, with copies of their
Python objects and of their uploaded files, and its changes are rolled back."""

import copy
import shutil

import pytest

from tests.conftest import kept_for_the_module
from tests.site.worlds import build_worlds


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
