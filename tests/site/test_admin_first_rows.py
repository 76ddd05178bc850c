"""Read-only inlines whose rows grow without bound (a training's sign-ups and history, a
forum's history, a meeting's invitations) show their first rows, say how many there are and
link to the same page with all of them; the change form still saves as before."""

import re

import pytest
from django.urls import reverse

from cadres.admin import MeetingAdmin
from cadres.forums.admin import ForumAdmin
from forkom.admin import ALL_ROWS, FirstRowsInline
from programs.admin import ProposalAdmin
from programs.innovations.admin import InnovationAdmin
from tests.accounts.test_admin import with_totp
from tests.trainings.factories import admin_form_fields, make_cadre, make_training
from trainings import services
from trainings.admin import RegistrationInline, TrainingAdmin, TrainingEventInline

SHOWN = 2
SIGN_UPS = 5


@pytest.fixture
def few_shown(monkeypatch):
    for inline in (RegistrationInline, TrainingEventInline):
        monkeypatch.setattr(inline, "shown", SHOWN)


@pytest.fixture
def training(bontang):
    training = make_training(capacity=SIGN_UPS)
    for number in range(SIGN_UPS):
        profile = make_cadre(full_name=f"Kader Nomor {number}")
        services.sign_up(actor=profile.user, training=training, profile=profile)
    return training


def change_url(training):
    return reverse("admin:trainings_training_change", args=[training.pk])


def shown_names(response):
    """The cadres of the sign-ups shown, in their order (each row names its cadre twice)."""
    group = response.text.split('id="registrations-group"')[1].split('id="events-group"')[0]
    return list(dict.fromkeys(re.findall(r"Kader Nomor \d", group)))


def test_the_inlines_that_grow_without_bound_are_all_capped():
    for model_admin in (TrainingAdmin, ForumAdmin, MeetingAdmin, ProposalAdmin, InnovationAdmin):
        for inline in model_admin.inlines:
            assert issubclass(inline, FirstRowsInline), inline


def test_a_training_shows_its_latest_sign_ups_and_says_how_many_there_are(
    client, staff, training, few_shown
):
    client.force_login(with_totp(staff))
    response = client.get(change_url(training))
    assert response.status_code == 200
    # The latest sign-ups first: the last two cadres, not the first two.
    assert shown_names(response) == ["Kader Nomor 4", "Kader Nomor 3"]
    assert f"Menampilkan {SHOWN} dari {SIGN_UPS}." in response.text
    # Each sign-up recorded an event, and the training's creation is not one of them here.
    assert f"Menampilkan {SHOWN} dari {SIGN_UPS}." in response.text.split('id="events-group"')[1]
    assert f'href="?{ALL_ROWS}=1#registrations-group">Tampilkan semua ({SIGN_UPS})</a>' in (
        response.text
    )


def test_the_link_shows_every_row(client, staff, training, few_shown):
    client.force_login(with_totp(staff))
    response = client.get(change_url(training), {ALL_ROWS: "1"})
    assert response.status_code == 200
    assert shown_names(response) == [f"Kader Nomor {number}" for number in range(4, -1, -1)]
    assert "first-rows" not in response.text


@pytest.mark.parametrize("value", ["0", "9" * 40, "semua", "😀"])
def test_any_other_value_of_the_parameter_keeps_the_first_rows(
    client, staff, training, few_shown, value
):
    client.force_login(with_totp(staff))
    response = client.get(change_url(training), {ALL_ROWS: value})
    assert response.status_code == 200
    assert len(shown_names(response)) == SHOWN


def test_a_training_with_fewer_rows_than_shown_says_nothing_more(client, staff, bontang):
    training = make_training(capacity=5)
    profile = make_cadre(full_name="Kader Nomor 1")
    services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(with_totp(staff))
    response = client.get(change_url(training))
    assert shown_names(response) == ["Kader Nomor 1"]
    assert "first-rows" not in response.text
    assert ALL_ROWS not in response.text


def test_the_note_is_in_english_for_staff_who_chose_english(
    client, settings, staff, training, few_shown
):
    client.force_login(with_totp(staff))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(change_url(training))
    assert f"Showing {SHOWN} of {SIGN_UPS}." in response.text
    assert f"Show all {SIGN_UPS}" in response.text


def posted_form(response, training, **changes):
    """What the browser sends back: the hidden inputs of the page (the inlines' management
    forms and row ids included) and the training's own fields."""
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.text))
    data.update(admin_form_fields(response.context["adminform"].form, training))
    data.update(changes)
    return data


@pytest.mark.parametrize("query", ["", f"?{ALL_ROWS}=1"])
def test_the_change_form_saves_with_its_rows_capped_or_not(
    client, staff, training, few_shown, query
):
    client.force_login(with_totp(staff))
    page = client.get(change_url(training) + query)
    registrations = page.context["inline_admin_formsets"][0].formset
    assert registrations.management_form["INITIAL_FORMS"].value() == (SIGN_UPS if query else SHOWN)
    response = client.post(
        change_url(training) + query, posted_form(page, training, title="Judul Baru")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    training.refresh_from_db()
    assert training.title == "Judul Baru"
    assert training.registrations.count() == SIGN_UPS


def test_a_sign_up_between_the_page_and_its_saving_does_not_stop_the_saving(
    client, staff, training, few_shown
):
    client.force_login(with_totp(staff))
    page = client.get(change_url(training))
    late = make_cadre(full_name="Kader Terlambat")
    training = services.change_capacity(actor=staff, training=training, capacity=SIGN_UPS + 1)
    services.sign_up(actor=late.user, training=training, profile=late)
    response = client.post(change_url(training), posted_form(page, training, title="Tetap"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    training.refresh_from_db()
    assert training.title == "Tetap"
    assert training.registrations.count() == SIGN_UPS + 1
