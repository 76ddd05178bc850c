"""Shared fixtures: the real Bontang territory and named personas.

Personas (all in Kota Bontang unless said otherwise):
- cadre: a kader of Belimbing (Bontang Barat)
- kelurahan_officer: ketua of the Belimbing forum
- kecamatan_officer: sekretaris of the Bontang Barat forum
- coordinator: koordinator kota of Bontang
- staff: Dinas PMPD staff of Kalimantan Timur
- outsider: ketua of the Bontang Kuala forum (Bontang Utara), another kecamatan
"""

import gc
import importlib
import itertools
import os
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.http import Http404
from django.test import override_settings
from django.utils import translation

from devdata.shared_data import BONTANG_REGIONS
from forkom.accounts import services
from forkom.accounts.models import Position, Role, User
from forkom.territory.importer import import_regions
from forkom.territory.models import Region

seed_lists = importlib.import_module("cadres.migrations.0002_seed_lists").seed

BONTANG_CSV = BONTANG_REGIONS
PASSWORD = "kata-sandi-uji-2026"

_emails = itertools.count(1)


# Production hashing is slow by design; tests need speed, not secrecy.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AFTER_COMMIT_TASKS = {"default": {"BACKEND": "tests.task_backend.AfterCommitBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _site_language_at_start():
    """Each test starts in the site's language. A request through the test client leaves the
    language it was answered in active in the thread (the locale middleware does not switch
    back), and a browser test then read "Waiting for verification" where its page said
    "Menunggu verifikasi", after a test of English error pages."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(settings):
    """Tasks run in the test when the transaction that enqueued them commits, as the worker
    would first see them (tests/task_backend.py), so that `django_capture_on_commit_callbacks`
    brings their effects (emails in the outbox); tests of the queue itself use the database
    backend and a worker (`task_queue`)."""
    settings.TASKS = AFTER_COMMIT_TASKS


@pytest.fixture(scope="session")
def _deletion_log_directory(tmp_path_factory):
    return tmp_path_factory.mktemp("deletion-log")


@pytest.fixture(autouse=True)
def deletion_log_file(settings, _deletion_log_directory):
    """Where forgetting appends its line in tests: never the project's var/ directory."""
    settings.FORKOM_DELETION_LOG = str(_deletion_log_directory / "deletion-log.jsonl")
    return Path(settings.FORKOM_DELETION_LOG)


def kept_for_the_module(build, django_db_blocker, deletion_log_directory, **settings):
    """The rows that `build()` makes, made once for the tests of a module: a fixture of
    scope "module" yields from this generator what `build()` returned.

    They are written in a transaction of their own, in which each test's transaction is a
    savepoint: every test starts from them and its changes are rolled back, as with the `db`
    fixture; the rows themselves are rolled back after the module's last test. They are
    made with the settings every test has (the fixtures above) and `settings`. Not for
    transactional tests (a live server, concurrency), whose commits and flushes a transaction
    around them would break. A test that may change the Python objects yielded gets copies
    (copy.deepcopy), as Django's setUpTestData gives. The tests must ask for `db` (through
    the fixture that hands them the rows): pytest-django makes the test database for them.
    The rows stay for the module's later tests that do not ask for them too, so a module
    that needs an empty database for some tests keeps those in a module of their own."""
    overrides = override_settings(
        PASSWORD_HASHERS=FAST_HASHERS,
        TASKS=AFTER_COMMIT_TASKS,
        FORKOM_DELETION_LOG=str(deletion_log_directory / "deletion-log.jsonl"),
        **settings,
    )
    overrides.enable()
    translation.deactivate()
    rows = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            rows.__enter__()
            try:
                built = build()
            except BaseException:
                rows.__exit__(*sys.exc_info())
                raise
        try:
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                rows.__exit__(None, None, None)
    finally:
        overrides.disable()


@pytest.fixture
def bontang(db):
    """The 20 real regions of Kota Bontang, as `make run` loads them.

    Also puts back the lists of bodies, fields and topics that a migration seeds: a
    transactional test (live server, concurrency) that ran before has emptied every table.
    """
    return load_bontang()


@pytest.fixture
def other_kota(bontang):
    """Kota Samarinda (64.72), another kota of the same province, with one kecamatan (Palaran,
    64.72.01) and one kelurahan (Rawa Makmur, 64.72.01.1001)."""
    return add_samarinda()


@pytest.fixture
def other_province(bontang):
    """Kalimantan Utara (65), a province next to Kalimantan Timur."""
    return add_kalimantan_utara()


@pytest.fixture
def bulungan(other_province):
    """Kabupaten Bulungan (65.01) in Kalimantan Utara, with one kecamatan (Tanjung Palas,
    65.01.01) and one kelurahan (Tanjung Palas Hilir, 65.01.01.1001): a kabupaten of another
    province, down to the level where cadres live."""
    return add_bulungan()


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Uploads go to a folder of the test's own, removed with it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english():
    """Messages in their English source form, so that tests can match them."""
    with translation.override("en"):
        yield


def streamed(response):
    """The whole body of a streamed response (exports, files).

    Reading it to the end through the test client also closes the file behind it, as a server
    would (the client's closing wrapper)."""
    return b"".join(response.streaming_content)


def make_user(email=None, *, password=PASSWORD, verified=True, **fields):
    email = email or f"user{next(_emails)}@test.forkom.id"
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def found_or_none(lookup, *args):
    """What a page's lookup (a get_..._or_404) finds, or None where it answers 404."""
    try:
        return lookup(*args)
    except Http404:
        return None


def make_persona(role, code, position="", email=None, **fields):
    user = make_user(email, **fields)
    services.grant_role(
        actor=None, user=user, role=role, region=Region.objects.get(code=code), position=position
    )
    return user


# What the region fixtures above create, as functions: data built once for a whole module
# (tests/site/test_authorization_matrix.py) is built from the same regions.


def load_bontang():
    """The 20 real regions of Kota Bontang and the seeded lists (see the `bontang` fixture)."""
    with BONTANG_CSV.open(encoding="utf-8", newline="") as lines:
        import_regions(lines)
    seed_lists(django_apps, None)
    return Region.objects.get(code="64.74")


def add_samarinda():
    Region.objects.create(code="64.72", name="Kota Samarinda", level=2, parent_id="64")
    Region.objects.create(code="64.72.01", name="Palaran", level=3, parent_id="64.72")
    Region.objects.create(code="64.72.01.1001", name="Rawa Makmur", level=4, parent_id="64.72.01")
    return Region.objects.get(code="64.72")


def add_kalimantan_utara():
    return Region.objects.create(code="65", name="Kalimantan Utara", level=1)


def add_bulungan():
    Region.objects.create(
        code="65.01", name="Kabupaten Bulungan", level=2, kind="kabupaten", parent_id="65"
    )
    Region.objects.create(code="65.01.01", name="Tanjung Palas", level=3, parent_id="65.01")
    Region.objects.create(
        code="65.01.01.1001",
        name="Tanjung Palas Hilir",
        level=4,
        kind="kelurahan",
        parent_id="65.01.01",
    )
    return Region.objects.get(code="65.01")


@pytest.fixture
def cadre(bontang):
    return make_persona(Role.CADRE, "64.74.03.1001", email="kader@test.forkom.id")


@pytest.fixture
def kelurahan_officer(bontang):
    return make_persona(Role.FORUM_OFFICER, "64.74.03.1001", Position.KETUA)


@pytest.fixture
def kecamatan_officer(bontang):
    return make_persona(Role.FORUM_OFFICER, "64.74.03", Position.SEKRETARIS)


@pytest.fixture
def coordinator(bontang):
    return make_persona(Role.CITY_COORDINATOR, "64.74")


@pytest.fixture
def staff(bontang):
    return make_persona(Role.DINAS_STAFF, "64", email="staf@test.forkom.id")


@pytest.fixture
def outsider(bontang):
    return make_persona(Role.FORUM_OFFICER, "64.74.01.1001", Position.KETUA)


def pytest_collection_modifyitems(config, items):
    """Every test that needs PostgreSQL (through `postgresql_only`, directly or by way of
    another fixture) is marked `postgresql`: CI's SQLite pass leaves them out with
    `-m "not postgresql"`, and its PostgreSQL pass runs them."""
    for item in items:
        if "postgresql_only" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        reason = (
            "This test needs PostgreSQL; "
            f"this run uses {connection.vendor}. Set DATABASE_URL=postgres://..."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def without_collector_pauses():
    """For a test that holds a request to a wall-clock limit of a second or so: the garbage
    collector's full passes are the test process's, not the code's. Late in `make test` a
    worker holds about 0.9 million objects, and one full pass over them took 0.7 to 1.8 s on
    the 2-core machine (2026-12-07), which failed a hung Redis's page limit of 0.5 s. The
    test starts after a full pass, with the collector off until it ends (reference counting
    still frees what is not in a cycle)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.fixture
def task_queue(settings):
    """The database task backend, as in production, and a worker run in the test: call the
    fixture to run every task that is due (returns how many ran)."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run():
        ran = 0
        while True:
            with transaction.atomic():
                task = DBTaskResult.objects.ready().get_locked()
                if task is None:
                    return ran
                task.claim(worker.worker_id)
            worker.run_task(task)
            ran += 1

    return run


@pytest.fixture
def smtp(settings):
    """A local SMTP server (devdata/smtp_stub.py) that the site sends through."""
    from devdata.smtp_stub import SmtpStub

    stub = SmtpStub()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": stub.port, "use_tls": False, "timeout": 1},
        }
    }
    yield stub
    stub.stop()


def picture(kind="PNG", size=(4, 3)):
    """The bytes of a real picture (Pillow), as a phone would send one: the portal opens
    JPEGs and PNGs to check them, so a header followed by zeros no longer passes."""
    import io

    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", size, (30, 120, 90)).save(stream, kind)
    return stream.getvalue()
