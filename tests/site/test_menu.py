"""The menu offers each person what their roles allow, from flags that forkom.scope decides."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from forkom.context_processors import navigation


def menu_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return navigation(request)["menu"]


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
