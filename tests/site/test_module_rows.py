"""Rows made once for a module's tests (tests/conftest.py, `kept_for_the_module`): each test
starts from them, and they are gone after the module, with the settings they were made in."""

import pytest
from django.conf import settings
from django.db import transaction

from forkom.territory.models import Region
from tests.conftest import FAST_HASHERS, kept_for_the_module


def test_rows_made_for_a_module_outlive_each_test_and_not_the_module(
    db, django_db_blocker, deletion_log_file, tmp_path
):
    seen = {}

    def build():
        seen["settings"] = settings.PASSWORD_HASHERS, settings.MEDIA_ROOT
        return Region.objects.create(code="99", name="Provinsi Uji", level=1)

    rows = kept_for_the_module(
        build, django_db_blocker, deletion_log_file.parent, MEDIA_ROOT=tmp_path
    )
    region = next(rows)
    assert seen["settings"] == (FAST_HASHERS, tmp_path)
    assert tmp_path == settings.MEDIA_ROOT  # for every test of the module

    # A test: its transaction is a savepoint within the module's, rolled back after it.
    with transaction.atomic():
        Region.objects.filter(pk=region.pk).update(name="Diubah")
        Region.objects.create(code="98", name="Tambahan", level=1)
        transaction.set_rollback(True)
    assert Region.objects.get(pk=region.pk).name == "Provinsi Uji"
    assert not Region.objects.filter(code="98").exists()

    # The module's last test is done.
    with pytest.raises(StopIteration):
        next(rows)
    assert not Region.objects.filter(pk=region.pk).exists()
    assert tmp_path != settings.MEDIA_ROOT
