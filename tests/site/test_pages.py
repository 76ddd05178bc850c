import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation

from forkom.accounts.models import Role, RoleAssignment, User


def test_home_shows_the_kota_its_kecamatan_and_kelurahan(client, bontang):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    kecamatan = [kecamatan.name for kecamatan, _ in response.context["kecamatan_list"]]
    assert kecamatan == ["Bontang Utara", "Bontang Selatan", "Bontang Barat"]
    assert sum(len(kelurahan) for _, kelurahan in response.context["kecamatan_list"]) == 15
    assert "Tanjung Laut Indah" in response.text
    assert reverse("account_signup") in response.text


def test_home_reads_the_territory_in_a_fixed_number_of_queries(
    client, bontang, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get(reverse("home"))


def test_home_works_before_the_territory_is_loaded(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["kota"] is None


def test_region_pages_walk_the_territory_and_404_on_unknown_codes(client, bontang):
    response = client.get(reverse("territory:region", kwargs={"code": "64.74.02"}))
    assert response.status_code == 200
    assert [r.code for r in response.context["ancestors"]] == ["64", "64.74"]
    assert len(response.context["children"]) == 6
    assert client.get(reverse("territory:region", kwargs={"code": "99.99"})).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        reverse("territory:region", kwargs={"code": "64.74.03"}),
        reverse("territory:region", kwargs={"code": "64.74.03.1001"}),
        reverse("programs:public"),
        reverse("manifest"),
        reverse("icon", kwargs={"size": 192}),
        reverse("og_image"),
    ],
)
def test_the_public_pages_answer_a_visitor_and_a_signed_in_cadre(client, cadre, path):
    assert client.get(path).status_code == 200
    client.force_login(cadre)
    assert client.get(path).status_code == 200


def test_privacy_page_names_the_law_and_the_rights(client, db):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    assert "UU No. 27 Tahun 2022" in response.text


def test_pages_carry_a_strict_content_security_policy(client, db):
    # A nonce is added to the header only on pages that render one for an inline script.
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    ("language", "expected"), [("id", "Rp 12.500.000"), ("en", "Rp 12,500,000")]
)
def test_rupiah_are_whole_numbers_grouped_for_the_language(language, expected):
    template = Template("{% load forkom %}{{ amount|rupiah }}")
    with translation.override(language):
        assert template.render(Context({"amount": 12_500_000})) == expected


def test_dates_are_written_out_in_indonesian():
    with translation.override("id"):
        assert formats.date_format(datetime.date(2026, 7, 28)) == "28 Juli 2026"


def test_demo_accounts_are_refused_when_debug_is_off(bontang, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_accounts")
    assert not User.objects.exists()


def test_demo_accounts_cover_every_role_and_can_be_created_twice(bontang, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    roles = set(RoleAssignment.objects.filter(is_active=True).values_list("role", flat=True))
    assert roles == set(Role)
    assert User.objects.filter(is_superuser=True).count() == 1
    assert RoleAssignment.objects.count() == 5


def test_pagination_links_keep_the_list_filters():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    page = Paginator(range(60), 25).get_page(2)
    request = RequestFactory().get("/", {"status": "verified", "page": "2"})
    with translation.override("en"):
        html = render_to_string("_pagination.html", {"page": page}, request=request)
    assert 'href="?status=verified&amp;page=1"' in html
    assert 'href="?status=verified&amp;page=3"' in html
    assert "Page 2 of 3" in html
    assert "<nav" not in render_to_string(
        "_pagination.html", {"page": Paginator(range(3), 25).get_page(1)}, request=request
    )
