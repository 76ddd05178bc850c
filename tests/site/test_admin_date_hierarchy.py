"""A date-hierarchy link of the admin that names no date range gets the admin's "?e=1"
answer (its page for a list it cannot filter so), never a server error."""

import pytest

from tests.accounts.test_admin import with_totp

HIERARCHIES = {
    "/admin/programs/proposal/": "state_changed_at",
    "/admin/trainings/training/": "starts_at",
    "/admin/cadres/forummember/": "started_on",
    "/admin/cadres/personaldataview/": "at",
    "/admin/outbox/outgoingemail/": "created_at",
}
HUGE = "9" * 40

BAD_DATES = [
    {"year": HUGE},
    {"year": "2026", "month": HUGE},
    {"year": "2026", "month": "1", "day": HUGE},
    {"year": "2026", "month": "-" + HUGE},
    {"year": "9999"},
    {"year": "9999", "month": "12"},
    {"year": "9999", "month": "12", "day": "31"},
    {"year": "1"},
    {"year": "0"},
    {"year": "-1"},
    {"year": "2026", "month": "13"},
    {"year": "2026", "month": "2", "day": "30"},
    {"year": "x" * 5000},
]


@pytest.mark.parametrize("changelist", HIERARCHIES)
@pytest.mark.parametrize("date", BAD_DATES, ids=lambda date: "-".join(date.values())[:40])
def test_a_date_that_names_no_range_is_refused_by_the_admin(client, staff, changelist, date):
    client.force_login(with_totp(staff))
    field = HIERARCHIES[changelist]
    query = {f"{field}__{part}": value for part, value in date.items()}
    response = client.get(changelist, query)
    assert response.status_code == 302
    assert response["Location"] == changelist + "?e=1"


@pytest.mark.parametrize("changelist", HIERARCHIES)
def test_a_real_date_range_is_listed(client, staff, changelist):
    client.force_login(with_totp(staff))
    field = HIERARCHIES[changelist]
    query = {f"{field}__year": "2026", f"{field}__month": "12", f"{field}__day": "31"}
    assert client.get(changelist, query).status_code == 200
    assert client.get(changelist, {f"{field}__year": "9998"}).status_code == 200


def test_every_admin_with_a_date_hierarchy_is_tried_here():
    """The outbox's admin (not a ScopedAdmin) answered 2^63 with an OverflowError: a new
    hierarchy must be added above."""
    from django.contrib import admin
    from django.urls import reverse

    hierarchies = {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"): field
        for model, model_admin in admin.site._registry.items()
        if (field := model_admin.date_hierarchy)
    }
    assert hierarchies == HIERARCHIES


@pytest.mark.parametrize(
    ("changelist", "label"),
    [
        ("/admin/programs/proposal/", "Saring menurut perubahan status terakhir"),
        ("/admin/cadres/personaldataview/", "Saring menurut waktu dilihat"),
    ],
)
def test_a_date_filter_names_its_field_in_words_that_read(client, staff, changelist, label):
    """The admin writes "Filter by <field>": "in this state since" and "at" made "Saring
    menurut berstatus ini sejak" and "Saring menurut pada"."""
    client.force_login(with_totp(staff))
    page = client.get(changelist, headers={"accept-language": "id"})
    assert label in page.content.decode()
