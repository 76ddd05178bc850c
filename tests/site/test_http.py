"""The one way a view answers a refused action (forkom.http) and the one safe way back."""

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse

from cadres.models import CadreProfile
from forkom.errors import BadInput, DomainError, MayNot
from forkom.http import form_errors, refusals_on, safe_back
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile


def posted(next_url, host="testserver"):
    return RequestFactory().post("/", {"next": next_url}, HTTP_HOST=host)


@pytest.mark.parametrize(("error", "status"), [(DomainError, 409), (MayNot, 403), (BadInput, 400)])
def test_each_kind_of_refusal_carries_its_answer(error, status):
    assert error("No.").status == status
    assert issubclass(error, DomainError)


@pytest.mark.parametrize("next_url", ["/kader/?page=2", "/dasbor/64.74/#queue"])
def test_a_path_on_this_site_is_the_way_back(next_url):
    assert safe_back(posted(next_url), "/default/") == next_url


@pytest.mark.parametrize(
    "next_url",
    [
        "",
        "foo",
        "cadres:list",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver/kader/",
        "javascript:alert(1)",
    ],
)
def test_anything_else_falls_back_to_the_default(next_url):
    assert safe_back(posted(next_url), "/default/") == "/default/"


class Sample(forms.Form):
    name = forms.CharField(label="Name")
    age = forms.IntegerField(label="Age")

    def clean(self):
        raise forms.ValidationError("Whole form.")


def test_a_forms_errors_are_joined_into_one_message_with_or_without_labels():
    form = Sample({"name": "", "age": "x"})
    assert not form.is_valid()
    plain = form_errors(form)
    labelled = form_errors(form, labelled=True)
    assert "Whole form." in plain
    assert "Name:" not in plain
    assert labelled.startswith("Name: ")
    assert "Age: " in labelled
    assert "Whole form." in labelled


def test_a_refusal_inside_the_block_becomes_the_forms_error():
    form = Sample({"name": "A", "age": "1"})
    form.is_valid()
    with refusals_on(form):
        raise MayNot("Not you.")
    assert form.non_field_errors() == ["Whole form.", "Not you."]


def test_a_next_that_is_not_a_url_takes_the_officer_back_to_the_list(client, kelurahan_officer):
    profile = make_profile()
    client.force_login(kelurahan_officer)
    url = reverse("cadres:verify", args=[profile.public_id])
    response = client.post(url, {"next": "foo"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cadres:list")
    # Refused the second time: the way back on the refused page is the list too.
    response = client.post(url, {"next": "foo"})
    assert response.status_code == 409
    assert reverse("cadres:list") in response.text
    assert CadreProfile.objects.get(pk=profile.pk).status == CadreProfile.Status.VERIFIED


@pytest.mark.parametrize("next_url", ["foo", "http://testserver/kader/daftar-kader/"])
def test_a_rejection_with_a_next_that_is_no_path_is_saved_and_goes_back_to_the_list(
    client, kelurahan_officer, next_url
):
    profile = make_profile()
    client.force_login(kelurahan_officer)
    url = reverse("cadres:reject", args=[profile.public_id])
    response = client.post(url, {"reason": "NIK tidak cocok.", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("cadres:list")
    assert CadreProfile.objects.get(pk=profile.pk).status == CadreProfile.Status.REJECTED


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "http://testserver/admin/", "foo"]
)
def test_the_admin_sign_in_sends_signed_in_staff_nowhere_but_this_site(client, staff, next_url):
    client.force_login(with_totp(staff))
    response = client.get(reverse("admin:login"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_the_admin_sign_in_keeps_a_path_of_this_site(client, staff):
    client.force_login(with_totp(staff))
    response = client.get(reverse("admin:login"), {"next": "/admin/cadres/cadreprofile/"})
    assert response["Location"] == "/admin/cadres/cadreprofile/"


def test_the_admin_sign_in_passes_only_a_safe_next_on_to_the_sign_in_page(client, db):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
