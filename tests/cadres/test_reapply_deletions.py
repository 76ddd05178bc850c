"""After a restore of an older backup, `manage.py reapply_deletions` forgets again everyone the
deletion log records as forgotten since (DESIGN.md: a restore re-applies every deletion)."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from uuid import uuid4

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from cadres import services
from cadres.models import CadreProfile, DeletionRequest
from forkom import deletion_log, personal_data
from forkom.accounts.models import User
from forkom.models import ForgottenPerson
from tests.cadres.factories import make_nik, make_profile
from tests.conftest import make_user

RINA = {"email": "rina.marlina@contoh.id", "full_name": "Rina Marlina", "phone": "0812-7777-1234"}


@pytest.fixture
def log_file(settings, tmp_path):
    settings.FORKOM_DELETION_LOG = str(tmp_path / "deletion-log.jsonl")
    return tmp_path / "deletion-log.jsonl"


@pytest.fixture
def rina(bontang, kelurahan_officer):
    profile = make_profile(
        user=make_user(RINA["email"]),
        nik=make_nik(),
        full_name=RINA["full_name"],
        phone=RINA["phone"],
    )
    services.verify_cadre(actor=kelurahan_officer, profile=profile)
    return profile


def backup(tmp_path):
    """The whole database as a backup holds it."""
    dump = tmp_path / f"backup-{uuid4()}.json"
    with dump.open("w", encoding="utf-8") as out:
        call_command("dumpdata", stdout=out)
    return dump


def restore(dump):
    """Everything since the backup is lost, the newer deletion records with it."""
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # The test's transaction holds deferred key checks, which TRUNCATE will not skip.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("loaddata", str(dump), verbosity=0)


def reapply(*args, capture):
    out, err = StringIO(), StringIO()
    with capture(execute=True):
        call_command("reapply_deletions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_restore_of_an_older_backup_forgets_the_person_again_and_a_second_run_changes_nothing(
    rina, staff, log_file, tmp_path, django_capture_on_commit_callbacks
):
    request = services.request_deletion(actor=rina.user, reason="Pindah ke Surabaya")
    taken_at = timezone.now()
    older = backup(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_deletion(actor=staff, request=request)

    restore(older)
    back = CadreProfile.objects.get(pk=rina.pk)
    assert (back.full_name, back.user.email) == (RINA["full_name"], RINA["email"])
    assert not ForgottenPerson.objects.exists()

    out, err = reapply("--since", taken_at.isoformat(), capture=django_capture_on_commit_callbacks)

    assert out.startswith("Re-applied 1 deletion(s); 0 already done"), out
    assert err == ""
    dump = backup(tmp_path).read_text(encoding="utf-8")
    for trace in [rina.nik, *RINA.values(), "Pindah ke Surabaya"]:
        assert trace not in dump, trace
    profile = CadreProfile.objects.get(pk=rina.pk)
    assert (profile.full_name, profile.status) == (services.ANONYMISED_NAME, "inactive")
    assert profile.events.last().actor is None
    user = User.objects.get(pk=rina.user_id)
    assert (user.email, user.is_active, user.has_usable_password()) == (None, False, False)
    # Nothing is left in the staff's queue: the request is done.
    assert DeletionRequest.objects.get(pk=request.pk).status == DeletionRequest.Status.DONE
    assert ForgottenPerson.objects.get().public_id == rina.public_id

    out, _err = reapply(
        "--since", taken_at.isoformat(), capture=django_capture_on_commit_callbacks
    )

    assert out.startswith("Re-applied 0 deletion(s); 2 already done"), out
    assert backup(tmp_path).read_text(encoding="utf-8") == dump


def test_a_restore_from_before_the_account_existed_has_nobody_to_forget(
    bontang, log_file, tmp_path, django_capture_on_commit_callbacks
):
    older = backup(tmp_path)
    profile = make_profile(nik=make_nik())
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.forget(actor=None, user=profile.user)

    restore(older)
    out, _err = reapply(capture=django_capture_on_commit_callbacks)

    assert out.startswith("Re-applied 0 deletion(s); 0 already done in this database, 1 account")
    assert not ForgottenPerson.objects.exists()


def entry_line(user_id, at, public_id=None):
    return deletion_log.line(deletion_log.Entry(user_id=user_id, public_id=public_id, at=at))


def test_records_older_than_the_backup_and_ids_that_now_name_a_later_account_are_left_alone(
    rina, log_file, django_capture_on_commit_callbacks
):
    joined_later = make_user("baru@contoh.id")
    other_profile = make_profile(nik=make_nik(), full_name="Dewi Sartika")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    log_file.write_text(
        entry_line(rina.user_id, an_hour_ago - timedelta(days=1))  # before the backup
        + entry_line(joined_later.pk, an_hour_ago)  # an older person who had this id
        + entry_line(other_profile.user_id, timezone.now(), public_id=uuid4())
        + entry_line(rina.user_id + 10_000, an_hour_ago)  # made after the backup
        + '{"user_id": 3, "at": "2026-',  # cut short by a crash
        encoding="utf-8",
    )
    User.objects.filter(pk=joined_later.pk).update(date_joined=timezone.now())

    out, err = reapply(
        "--since",
        (an_hour_ago - timedelta(minutes=5)).isoformat(),
        capture=django_capture_on_commit_callbacks,
    )

    assert out == (
        "Re-applied 0 deletion(s); 0 already done in this database, 1 account(s) not in it, "
        "2 id(s) now held by a later account (left alone).\n"
    )
    assert "line 5 is not a deletion record" in err
    assert set(CadreProfile.objects.values_list("full_name", flat=True)) == {
        RINA["full_name"],
        "Dewi Sartika",
    }
    assert User.objects.get(pk=joined_later.pk).email == "baru@contoh.id"


def test_a_time_without_a_zone_is_read_in_the_sites_time(rina, log_file):
    # 10:00 WITA is 02:00 UTC: the record at 02:30 UTC is after it.
    log_file.write_text(
        entry_line(rina.user_id, datetime(2020, 1, 1, 2, 30, tzinfo=UTC)), encoding="utf-8"
    )
    User.objects.filter(pk=rina.user_id).update(date_joined=timezone.now() - timedelta(days=3000))
    out = StringIO()
    call_command("reapply_deletions", "--since", "2020-01-01T10:00", stdout=out)
    assert out.getvalue().startswith("Re-applied 1 deletion(s)")
    out = StringIO()
    call_command("reapply_deletions", "--since", "2020-01-01T10:31", stdout=out)
    assert out.getvalue().startswith("Re-applied 0 deletion(s); 0 already")


def test_without_the_log_file_the_command_stops_and_says_where_it_looked(log_file):
    with pytest.raises(CommandError, match=f"No deletion log at {log_file}"):
        call_command("reapply_deletions")


def test_the_logs_of_several_app_servers_are_read_together(
    rina, tmp_path, log_file, django_capture_on_commit_callbacks
):
    other = make_profile(nik=make_nik(), full_name="Dewi Sartika")
    first, second = tmp_path / "app1.jsonl", tmp_path / "app2.jsonl"
    first.write_text(entry_line(rina.user_id, timezone.now()), encoding="utf-8")
    second.write_text(entry_line(other.user_id, timezone.now()), encoding="utf-8")

    out, _err = reapply(
        "--log", str(first), "--log", str(second), capture=django_capture_on_commit_callbacks
    )

    assert out.startswith("Re-applied 2 deletion(s)")
    assert set(CadreProfile.objects.values_list("full_name", flat=True)) == {
        services.ANONYMISED_NAME
    }
