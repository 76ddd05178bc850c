"""The catalogue opens on the visitor's kota (their cadre profile's, else the portal's home
region's) and widens to the province or the whole country on request."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.trainings.factories import make_cadre, make_training
from trainings import services
from trainings.views import PAGE_SIZE

CATALOGUE = reverse("trainings:list")
BONTANG_BARAT, PALARAN, TANJUNG_PALAS = "64.74.03", "64.72.01", "65.01.01"


@pytest.fixture
def three_areas(other_kota, bulungan):
    """A training in Kota Bontang, one in Kota Samarinda (same province), one in Kabupaten
    Bulungan (Kalimantan Utara), a day apart."""
    make_training(title="Di Bontang", venue_kecamatan_id=BONTANG_BARAT)
    make_training(title="Di Samarinda", venue_kecamatan_id=PALARAN, starts_in=timedelta(days=8))
    make_training(
        title="Di Bulungan", venue_kecamatan_id=TANJUNG_PALAS, starts_in=timedelta(days=9)
    )


def titles(response):
    return [training.title for training, _ in response.context["recommended"]] + [
        training.title for training, _ in response.context["others"]
    ]


def test_a_visitor_sees_the_portals_kota_and_may_widen_to_the_province_or_the_country(
    client, three_areas, settings
):
    settings.FORKOM_HOME_REGION = "64.74"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(CATALOGUE)
    assert titles(response) == ["Di Bontang"]
    assert "Area: Kota Bontang." in response.text
    assert titles(client.get(CATALOGUE, {"wilayah": "kota"})) == ["Di Bontang"]
    province = client.get(CATALOGUE, {"wilayah": "provinsi"})
    assert titles(province) == ["Di Bontang", "Di Samarinda"]
    assert "Area: Province Kalimantan Timur." in province.text
    country = client.get(CATALOGUE, {"wilayah": "semua"})
    assert titles(country) == ["Di Bontang", "Di Samarinda", "Di Bulungan"]
    assert "Area: All of Indonesia." in country.text


def test_the_area_choices_speak_indonesian_by_default(client, three_areas):
    response = client.get(CATALOGUE, {"wilayah": "provinsi"})
    assert "Wilayah: Provinsi Kalimantan Timur." in response.text
    assert "Seluruh Indonesia" in response.text


def test_a_signed_in_cadre_sees_the_trainings_of_their_own_kota_first(client, three_areas):
    profile = make_cadre(kelurahan="64.72.01.1001")  # Rawa Makmur, Kota Samarinda
    client.force_login(profile.user)
    response = client.get(CATALOGUE)
    assert titles(response) == ["Di Samarinda"]
    # The kecamatan to choose from are those of the cadre's kota.
    assert dict(response.context["filter"].filters["kecamatan"].extra["choices"]) == {
        PALARAN: "Palaran"
    }
    assert titles(client.get(CATALOGUE, {"wilayah": "provinsi"})) == [
        "Di Bontang",
        "Di Samarinda",
    ]


def test_a_cadre_of_another_province_widens_to_their_own_province(client, three_areas):
    profile = make_cadre(kelurahan="65.01.01.1001")  # Tanjung Palas Hilir, Kab. Bulungan
    client.force_login(profile.user)
    assert titles(client.get(CATALOGUE)) == ["Di Bulungan"]
    assert titles(client.get(CATALOGUE, {"wilayah": "provinsi"})) == ["Di Bulungan"]


def test_the_other_filters_and_the_recommendations_work_within_the_area(client, other_kota):
    make_training(title="Pemasaran Bontang", topics=["Pemasaran digital"])
    make_training(
        title="Pemasaran Samarinda", topics=["Pemasaran digital"], venue_kecamatan_id=PALARAN
    )
    make_training(title="Keuangan Bontang", topics=["Pengelolaan keuangan"])
    profile = make_cadre(needs=["Pemasaran digital"])  # Belimbing, Kota Bontang
    client.force_login(profile.user)

    response = client.get(CATALOGUE)
    assert [training.title for training, _ in response.context["recommended"]] == [
        "Pemasaran Bontang"
    ]
    assert [training.title for training, _ in response.context["others"]] == ["Keuangan Bontang"]
    widened = client.get(CATALOGUE, {"wilayah": "provinsi"})
    assert [training.title for training, _ in widened.context["recommended"]] == [
        "Pemasaran Bontang",
        "Pemasaran Samarinda",
    ]
    assert titles(client.get(CATALOGUE, {"wilayah": "provinsi", "kecamatan": "64.74.03"})) == [
        "Pemasaran Bontang",
        "Keuangan Bontang",
    ]


def test_the_pages_keep_the_area(client, other_kota):
    for number in range(PAGE_SIZE):
        make_training(title=f"Bontang {number:02d}", starts_in=timedelta(days=3, hours=number))
    make_training(title="Samarinda", venue_kecamatan_id=PALARAN, starts_in=timedelta(days=30))
    first = client.get(CATALOGUE, {"wilayah": "provinsi"})
    assert first.context["page"].paginator.count == PAGE_SIZE + 1
    assert "wilayah=provinsi&amp;page=2" in first.text
    assert titles(client.get(CATALOGUE, {"wilayah": "provinsi", "page": 2})) == ["Samarinda"]
    assert client.get(CATALOGUE).context["page"].paginator.count == PAGE_SIZE


def test_an_unknown_area_is_refused_with_a_message(client, bontang):
    response = client.get(CATALOGUE, {"wilayah": "mars"})
    assert response.status_code == 400
    assert response.context["filter"].form.errors["wilayah"]


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize("area", ["", "provinsi", "semua"])
def test_the_catalogue_query_count_does_not_grow_with_the_trainings_or_sign_ups(
    client, other_kota, bulungan, django_assert_num_queries, rows, area
):
    profile = make_cadre(needs=["Pemasaran digital"])
    others = [make_cadre(full_name=f"Kader {number}") for number in range(3)]
    venues = [BONTANG_BARAT, PALARAN, TANJUNG_PALAS]
    for number in range(rows):
        training = make_training(
            topics=["Pemasaran digital", "Pengelolaan keuangan"],
            venue_kecamatan_id=venues[number % 3],
            capacity=2,
        )
        for cadre in others:
            services.sign_up(actor=cadre.user, training=training, profile=cadre)
    services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(profile.user)
    # session, user, roles, profile, needs, filter choices (regions, topics), count, page,
    # topics of the page, own registrations on the page: the seats come with the page. As
    # the catalogue opens (the kota's), the count and the page are one kept statement.
    with django_assert_num_queries(10 if not area else 11):
        response = client.get(CATALOGUE, {"wilayah": area} if area else {})
    assert response.status_code == 200
    assert len(titles(response)) == min(response.context["page"].paginator.count, PAGE_SIZE)
