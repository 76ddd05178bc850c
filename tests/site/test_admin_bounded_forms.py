"""The admin builds from a post at most the forms of its rows and a few new ones: a hostile
TOTAL_FORMS is refused at once, not answered with two thousand empty rows."""

import time

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from cadres.models import Body, CadreMembership
from forkom.admin import BoundedInlineFormSet
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile
from tests.cadres.test_admin import change_form_data
from tests.conftest import make_user

HOSTILE_COUNTS = [str(2**63), "9" * 40, "2000"]


@pytest.fixture
def superuser(bontang):
    """Who sees a cadre's memberships in the admin (the Dinas staff see the profile)."""
    return with_totp(make_user(is_superuser=True, is_staff=True))


def test_every_inline_of_the_admin_is_bounded(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff
    for model, model_admin in admin.site._registry.items():
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            formset = inline.get_formset(request)
            assert issubclass(formset, BoundedInlineFormSet), (
                f"{inline_class.__qualname__} of {model}"
            )


@pytest.mark.usefixtures("without_collector_pauses")
@pytest.mark.parametrize("count", HOSTILE_COUNTS)
def test_a_cadre_posted_with_a_huge_number_of_rows_is_refused_at_once(client, superuser, count):
    profile = make_profile(full_name="Sri Wahyuni")
    client.force_login(superuser)
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    data = change_form_data(client, url)
    data.update({"full_name": "Nama Baru", "memberships-TOTAL_FORMS": count})

    started = time.perf_counter()
    response = client.post(url, data)
    took = time.perf_counter() - started

    assert response.status_code == 400
    rows = profile.memberships.count()
    assert f"Harap ajukan paling banyak {rows + 20} formulir." in response.text
    # Before: 3 s and 5.6 MB, two thousand empty rows.
    assert len(response.content) < 300_000
    assert took < 1.5
    profile.refresh_from_db()
    assert profile.full_name == "Sri Wahyuni"


def test_a_cadre_s_new_membership_is_still_saved_from_the_admin(client, superuser):
    profile = make_profile()
    client.force_login(superuser)
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    data = change_form_data(client, url)
    body = Body.objects.exclude(pk__in=profile.memberships.values("body")).first()
    data.update(
        {
            "memberships-TOTAL_FORMS": 1,
            "memberships-0-body": body.pk,
            "memberships-0-profile": profile.pk,
            "memberships-0-since_year": 2020,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert CadreMembership.objects.filter(profile=profile, body=body).exists()
