"""The menu offers each person what their roles allow, from flags that forkom.scope decides."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from forkom.context_processors import navigation


def menu_of(user):
    return navigation_at("/", user)["menu"]


def navigation_at(path, user):
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)


def current_at(path, user):
    """The menu entries marked as the current page at `path`."""
    return [link.url for link in navigation_at(path, user)["menu_links"] if link.current]


def offered(menu):
    return {name for name, value in vars(menu).items() if value}


def test_a_cadre_is_offered_none_of_the_officers_work(cadre):
    assert offered(menu_of(cadre)) == set()


def test_an_officer_reviews_lists_registers_and_organises(kelurahan_officer):
    assert offered(menu_of(kelurahan_officer)) == {
        "reviews_proposals",
        "lists_cadres",
        "registers_cadres",
        "organises_trainings",
    }


def test_a_kecamatan_officer_also_imports_cadres_a_kelurahan_officer_does_not(
    kecamatan_officer, kelurahan_officer
):
    assert "imports_cadres" in offered(menu_of(kecamatan_officer))
    assert "imports_cadres" not in offered(menu_of(kelurahan_officer))


def test_the_coordinator_reads_and_has_the_dashboard_but_registers_nobody(coordinator):
    assert offered(menu_of(coordinator)) == {"reviews_proposals", "lists_cadres", "sees_dashboard"}


def test_dinas_staff_are_offered_everything(staff):
    assert offered(menu_of(staff)) == {
        "reviews_proposals",
        "lists_cadres",
        "sees_dashboard",
        "registers_cadres",
        "organises_trainings",
        "imports_cadres",
        "administers",
    }


def test_a_visitor_is_offered_nothing(db):
    assert offered(menu_of(AnonymousUser())) == set()


def test_an_officer_s_menu_starts_with_their_work_and_ends_with_the_account(kelurahan_officer):
    urls = [link.url for link in navigation_at("/", kelurahan_officer)["menu_links"]]
    assert urls[:4] == [
        "/kader/daftar-kader/",
        "/usulan/menunggu/",
        "/kader/daftar-bantuan/",
        "/pelatihan/kelola/",
    ]
    assert urls[-2:] == ["/kader/data-saya/", "/akun/email/"]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/pelatihan/", "/pelatihan/"),
        ("/pelatihan/12/", "/pelatihan/"),
        ("/pelatihan/saya/", "/pelatihan/saya/"),
        ("/usulan/inovasi/", "/usulan/inovasi/"),
        ("/usulan/semua/", "/usulan/menunggu/"),
        ("/kader/", "/kader/"),
        ("/kader/data-saya/ubah/", "/kader/data-saya/"),
        ("/kader/daftar-kader/unduhan/", "/kader/daftar-kader/"),
        ("/privasi/", None),
    ],
)
def test_the_menu_marks_the_entry_of_the_section_shown(kelurahan_officer, path, current):
    assert current_at(path, kelurahan_officer) == ([current] if current else [])


def test_a_cadre_s_own_profile_is_not_marked_on_another_cadre_s_page(kelurahan_officer):
    assert current_at("/kader/0b7c1f9e-7d1a-4c55-9a6f-2f1f3f0d9e11/", kelurahan_officer) == []


def test_a_visitor_s_menu_ends_with_sign_in_and_register(db):
    links = navigation_at("/akun/login/", AnonymousUser())["menu_links"]
    assert [link.url for link in links][-2:] == ["/akun/login/", "/akun/signup/"]
    assert [link.url for link in links if link.current] == ["/akun/login/"]
