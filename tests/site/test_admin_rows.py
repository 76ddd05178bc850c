"""The admin's change lists write their rows with forkom/templatetags/admin_rows.py, which
templates/admin/change_list.html loads: the same markup as Django's own rows, for every list
of the admin, as Dinas staff and as a superuser, sorted, searched (the search kept in the
rows' links) and in a pop-up, in both languages."""

import re
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.urls import reverse
from django.utils import timezone

from cadres.models import CadreProfile
from forkom.accounts.models import Role
from forkom.templatetags import admin_rows
from tests.accounts.test_admin import with_totp
from tests.conftest import make_persona, make_user
from tests.trainings.factories import make_cadre, make_training
from trainings.models import Training

TABLE = re.compile(r'<table id="result_list">.*?</table>', re.S)
ROW = re.compile(r"<tr[ >]")
# The list's address, then what is added to it: sorted by each way of the first two columns,
# a search with a sort (both kept in the rows' links), a pop-up (written by Django's code).
ASKED = ["", "?o=-1", "?o=2.1", "?q=a&o=-2", "?_popup=1"]


def djangos_own():
    """The change list's rows written by Django's own code (admin_list.results)."""
    return mock.patch.object(admin_rows, "results", lambda cl: list(admin_list.results(cl)))


@pytest.fixture
def demo_rows(demo):
    # Values the demo lacks: names to escape (a cadre's, a training's), no phone, dates of
    # other years.
    hostile = make_cadre()
    CadreProfile.objects.filter(pk=hostile.pk).update(
        full_name='<b>Siti & "Rahma"</b>', phone="", birth_date=date(1961, 2, 28)
    )
    make_training(title="Pelatihan <i>kader</i> & 'posyandu'")
    Training.objects.filter(title__startswith="Pelatihan <i>").update(
        created_at=timezone.now().replace(year=2025, month=1, day=1)
    )


def the_lists():
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    )


def tables(client, path):
    """The list's table as this portal writes it and as Django does."""
    ours = client.get(path)
    with djangos_own():
        djangos = client.get(path)
    assert ours.status_code == djangos.status_code
    if ours.status_code != 200:
        return None, None
    found_ours, found_djangos = TABLE.search(ours.text), TABLE.search(djangos.text)
    assert bool(found_ours) == bool(found_djangos), path
    if not found_ours:
        return None, None
    return found_ours.group(0), found_djangos.group(0)


@pytest.mark.parametrize(
    ("who", "language"), [("superuser", "id"), ("superuser", "en"), ("province staff", "id")]
)
def test_every_list_of_the_admin_writes_the_rows_django_writes(client, demo_rows, language, who):
    if who == "superuser":
        user = make_user("root@test.forkom.id", is_superuser=True, is_staff=True)
    else:
        user = make_persona(Role.DINAS_STAFF, "64", is_staff=True)
    client.force_login(with_totp(user))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    compared = {}
    for name in the_lists():
        for asked in ASKED:
            ours, djangos = tables(client, reverse(name) + asked)
            if ours is None:
                continue
            assert ours == djangos, f"{name}{asked}"
            compared[name + asked] = len(ROW.findall(ours)) - 1  # the header's row
    # The comparison saw rows, of the lists that matter most and with links that keep
    # a search.
    with_rows = {key.partition("?")[0] for key, rows in compared.items() if rows}
    assert {
        "admin:accounts_user_changelist",
        "admin:accounts_roleassignment_changelist",
        "admin:cadres_cadreprofile_changelist",
        "admin:cadres_forum_changelist",
        "admin:cadres_forummember_changelist",
        "admin:trainings_training_changelist",
        "admin:programs_proposal_changelist",
        "admin:territory_region_changelist",
    } <= with_rows
    assert compared["admin:territory_region_changelist?q=a&o=-2"] > 0
    if who == "superuser":  # other apps' lists, Django's own admins
        assert len(with_rows) >= 15


def test_the_lists_write_their_rows_here_in_django_s_own_block(client, bontang, staff):
    client.force_login(with_totp(staff))
    with mock.patch.object(admin_rows, "results", wraps=admin_rows.results) as ours:
        response = client.get(reverse("admin:territory_region_changelist"))
    assert response.status_code == 200
    assert ours.called
    # The block templates/admin/change_list.html replaces is Django's, but for the library.
    django_s = (Path(admin.__file__).parent / "templates/admin/change_list.html").read_text()
    this_one = (Path(settings.BASE_DIR) / "templates/admin/change_list.html").read_text()
    block = re.compile(r"{% block result_list %}.*?{% endblock %}", re.S)
    assert block.search(django_s).group(0) == block.search(this_one).group(0)
