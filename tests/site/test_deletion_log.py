"""The deletion log (forkom/deletion_log.py): every forgetting is recorded in the database and,
once committed, in a file that a restore of an older backup does not roll back."""

import json
import logging
from datetime import UTC
from uuid import uuid4

import pytest
from django.core import checks
from django.db import transaction
from django.test import override_settings

from forkom import deletion_log, personal_data
from forkom.models import ForgottenPerson
from tests.conftest import make_user


@pytest.fixture
def log_file(settings, tmp_path):
    settings.FORKOM_DELETION_LOG = str(tmp_path / "logs" / "deletion-log.jsonl")
    return tmp_path / "logs" / "deletion-log.jsonl"


@pytest.mark.django_db
def test_forgetting_records_the_account_in_the_table_and_once_committed_in_the_file(
    log_file, django_capture_on_commit_callbacks
):
    user = make_user("rina.marlina@contoh.id", first_name="Rina")

    with django_capture_on_commit_callbacks() as callbacks:
        personal_data.forget(actor=None, user=user)
        forgotten = ForgottenPerson.objects.get()
        assert not log_file.exists()  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert (forgotten.user_id, forgotten.public_id) == (user.pk, None)
    [line] = log_file.read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {
        "user_id": user.pk,
        "public_id": None,
        "at": forgotten.at.astimezone(UTC).isoformat(),
    }
    assert "rina" not in line.lower()


@pytest.mark.django_db(transaction=True)
def test_a_forgetting_that_is_rolled_back_records_nothing(log_file):
    user = make_user()

    def forget_then_fail():
        with transaction.atomic():
            personal_data.forget(actor=None, user=user)
            raise RuntimeError("a later step failed")

    with pytest.raises(RuntimeError):
        forget_then_fail()

    assert not ForgottenPerson.objects.exists()
    assert not log_file.exists()


@pytest.mark.django_db(transaction=True)
def test_each_forgetting_appends_its_own_line(log_file):
    first, second = make_user(), make_user()
    personal_data.forget(actor=None, user=first)
    personal_data.forget(actor=None, user=second)

    entries, problems = deletion_log.read(log_file)
    assert problems == []
    assert [entry.user_id for entry in entries] == [first.pk, second.pk]
    assert [entry.at for entry in entries] == list(
        ForgottenPerson.objects.order_by("pk").values_list("at", flat=True)
    )
    assert log_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db(transaction=True)
def test_a_log_that_cannot_be_written_does_not_undo_the_deletion_and_says_what_to_add(
    settings, tmp_path, caplog
):
    (tmp_path / "not-a-directory").write_text("")
    settings.FORKOM_DELETION_LOG = str(tmp_path / "not-a-directory" / "deletion-log.jsonl")
    user = make_user()

    with caplog.at_level(logging.ERROR, logger="forkom.deletion_log"):
        personal_data.forget(actor=None, user=user)

    user.refresh_from_db()
    assert user.email is None
    assert ForgottenPerson.objects.filter(user_id=user.pk).exists()
    assert f'{{"user_id": {user.pk}, "public_id": null' in caplog.text


def test_read_reports_a_broken_line_and_keeps_the_others(tmp_path):
    public_id = uuid4()
    log = tmp_path / "deletion-log.jsonl"
    log.write_text(
        f'{{"user_id": 7, "public_id": "{public_id}", "at": "2026-03-01T02:00:00+00:00"}}\n'
        "\n"
        '{"user_id": 8, "public_id": null, "at": "2026-03-01T02:00:00"}\n'
        '{"user_id": "9", "public_id": null, "at": "2026-03-01T02:00:00+00:00"}\n'
        '{"user_id": 10, "public_id": null, "at": "2026-03-0',
        encoding="utf-8",
    )

    entries, problems = deletion_log.read(log)

    assert [(entry.user_id, entry.public_id) for entry in entries] == [(7, public_id)]
    assert [problem.split(" (")[0] for problem in problems] == [
        "line 3 is not a deletion record",
        "line 4 is not a deletion record",
        "line 5 is not a deletion record",
    ]


def test_in_development_the_log_defaults_to_var_in_the_project(settings, monkeypatch):
    del settings.FORKOM_DELETION_LOG
    monkeypatch.delenv("FORKOM_DELETION_LOG", raising=False)
    settings.DEBUG = True
    assert deletion_log.path() == settings.BASE_DIR / "var" / "deletion-log.jsonl"


def test_in_production_the_log_has_no_default_and_check_deploy_says_so(settings, monkeypatch):
    del settings.FORKOM_DELETION_LOG
    monkeypatch.delenv("FORKOM_DELETION_LOG", raising=False)
    settings.DEBUG = False
    assert deletion_log.path() is None
    assert [error.id for error in deletion_log.check_log_path()] == ["deletion_log.E001"]


def test_the_environment_variable_names_the_log_until_settings_read_it(
    settings, monkeypatch, tmp_path
):
    del settings.FORKOM_DELETION_LOG
    monkeypatch.setenv("FORKOM_DELETION_LOG", str(tmp_path / "deletions.jsonl"))
    settings.DEBUG = False
    assert deletion_log.path() == tmp_path / "deletions.jsonl"
    assert deletion_log.check_log_path() == []


def test_check_deploy_refuses_a_log_in_a_directory_that_does_not_exist(tmp_path):
    with override_settings(FORKOM_DELETION_LOG=str(tmp_path / "missing" / "log.jsonl")):
        assert [error.id for error in deletion_log.check_log_path()] == ["deletion_log.E002"]


def test_the_log_is_checked_by_check_deploy_only():
    assert deletion_log.check_log_path in checks.registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert deletion_log.check_log_path not in checks.registry.registry.get_checks()
