"""One rule for a cadre's name, wherever it is typed: registration, the staff's correction in
the admin, and the import (which had it alone: "Budi Santoso 123" was refused in a sheet and
accepted in the admin and at registration; found by a walk through the demo site)."""

import pytest
from django.urls import reverse

from cadres.models import CadreEvent, CadreProfile
from cadres.names import is_latin_name
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile
from tests.cadres.test_staff_corrections import admin_post
from tests.cadres.test_views import _consenting_user, profile_form

NOT_NAMES = [
    "Budi Santoso 123",
    "Siti_Aminah",
    "Rina @ Marlina",
    "\u0628\u0648\u062f\u064a",
    "---",
    "12",
]
NAMES = ["Siti Rahmawati", "Ma'ruf Amin", "Abdul-Rahman", "Siti A. Rahmah", "Sukarno", "René"]


@pytest.mark.parametrize("name", NAMES)
def test_names_as_the_ktp_writes_them_are_names(name):
    assert is_latin_name(name)


@pytest.mark.parametrize("name", NOT_NAMES)
def test_digits_symbols_and_other_scripts_are_not(name):
    assert not is_latin_name(name)


@pytest.mark.parametrize("name", ["Budi Santoso 123", "Rina @ Marlina"])
def test_registration_refuses_a_name_with_digits_or_symbols_beside_the_field(
    client, bontang, name
):
    _consenting_user(client)
    response = client.post(reverse("cadres:register"), profile_form(full_name=name))
    assert response.status_code == 400
    assert response.context["form"].errors["full_name"] == [
        "Tulis nama seperti di KTP: hanya huruf Latin, tanpa angka atau simbol."
    ]
    assert not CadreProfile.objects.exists()


def test_the_admin_correction_refuses_a_name_with_digits_and_changes_nothing(client, staff):
    profile = make_profile(full_name="Budi Santoso")
    client.force_login(with_totp(staff))
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    events = CadreEvent.objects.count()
    response = client.post(url, admin_post(profile, full_name="Budi Santoso 123"))
    assert response.status_code == 400
    assert response.context["adminform"].form.errors["full_name"] == [
        "Tulis nama seperti di KTP: hanya huruf Latin, tanpa angka atau simbol."
    ]
    profile.refresh_from_db()
    assert profile.full_name == "Budi Santoso"
    assert CadreEvent.objects.count() == events
