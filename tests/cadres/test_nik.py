from datetime import date

import pytest
from django.utils import translation

from cadres.models import Sex
from cadres.nik import check_nik, parse_nik

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("nik", "sex", "birth_date"),
    [
        ("6474021508900001", Sex.MALE, date(1990, 8, 15)),
        ("6474025508900002", Sex.FEMALE, date(1990, 8, 15)),
        ("6474 0215 0890 0001", Sex.MALE, date(1990, 8, 15)),
        ("6474.02.150890.0001", Sex.MALE, date(1990, 8, 15)),
        ("6474020101000001", Sex.MALE, date(2000, 1, 1)),
        ("6474027112990001", Sex.FEMALE, date(1999, 12, 31)),
        ("9601020101050001", Sex.MALE, date(2005, 1, 1)),
    ],
)
def test_a_well_formed_nik_gives_the_sex_and_birth_date(nik, sex, birth_date):
    result = parse_nik(nik, today=TODAY)
    assert result.errors == []
    assert result.sex == sex
    assert result.birth_date == birth_date


@pytest.mark.parametrize(
    ("nik", "part"),
    [
        ("647402150890001", "16 digits"),
        ("64740215089000011", "16 digits"),
        ("647402150890000A", "16 digits"),
        (
            "\uff16\uff14\uff17\uff14\uff10\uff12\uff11\uff15\uff10\uff18\uff19\uff10\uff10\uff1001",
            "16 digits",
        ),
        ("", "16 digits"),
        ("1074021508900001", "Digits 1-2"),
        ("3974021508900001", "Digits 1-2"),
        ("6400021508900001", "Digits 3-4"),
        ("6474001508900001", "Digits 5-6"),
        ("6474020008900001", "Digits 7-8"),
        ("6474023208900001", "Digits 7-8"),
        ("6474024008900001", "Digits 7-8"),
        ("6474027208900001", "Digits 7-8"),
        ("6474021500900001", "Digits 9-10"),
        ("6474021513900001", "Digits 9-10"),
        ("6474023102900001", "Digits 7-12"),
        ("6474027104900001", "Digits 7-12"),
        ("6474021508900000", "Digits 13-16"),
    ],
)
def test_a_malformed_nik_names_the_part_that_is_wrong(nik, part):
    with translation.override("en"):
        result = parse_nik(nik, today=TODAY)
    assert not result.is_valid
    assert len(result.errors) == 1
    assert part in result.errors[0]


def test_every_wrong_part_is_reported_at_once():
    result = parse_nik("6400000013000000", today=TODAY)
    assert len(result.errors) == 5


@pytest.mark.parametrize(
    ("digits", "birth_date"),
    [
        ("290200", date(2000, 2, 29)),
        ("290296", date(1996, 2, 29)),
        ("690204", date(2004, 2, 29)),
        ("290201", None),
        ("290297", None),
        ("690203", None),
    ],
)
def test_the_29th_of_february_exists_only_in_a_leap_year(digits, birth_date):
    result = parse_nik(f"647402{digits}0001", today=TODAY)
    assert result.birth_date == birth_date
    assert result.is_valid == (birth_date is not None)


@pytest.mark.parametrize(
    ("digits", "birth_date"),
    [
        ("010626", date(2026, 6, 1)),
        ("020626", date(1926, 6, 2)),
        ("010127", date(1927, 1, 1)),
        ("311225", date(2025, 12, 31)),
    ],
)
def test_the_century_is_the_latest_that_is_not_in_the_future(digits, birth_date):
    assert parse_nik(f"647402{digits}0001", today=TODAY).birth_date == birth_date


def test_a_known_nik_from_the_same_form_has_no_warnings(bontang):
    result = check_nik("6474021508900001", sex=Sex.MALE, birth_date=date(1990, 8, 15), today=TODAY)
    assert (result.errors, result.warnings) == ([], [])


def test_a_nik_whose_sex_or_birth_date_differ_from_the_form_warns(bontang, settings):
    settings.LANGUAGE_CODE = "en"
    result = check_nik(
        "6474021508900001", sex=Sex.FEMALE, birth_date=date(1990, 8, 16), today=TODAY
    )
    assert result.errors == []
    assert len(result.warnings) == 2
    assert "sex" in result.warnings[0]
    assert "date of birth" in result.warnings[1]


def test_a_nik_from_a_kecamatan_that_is_not_current_warns(bontang):
    result = check_nik("6474091508900001", today=TODAY)
    assert result.errors == []
    assert len(result.warnings) == 1
    assert "647409" in result.warnings[0]


def test_a_nik_from_a_kecamatan_that_was_deactivated_warns(bontang):
    from forkom.territory.models import Region

    Region.objects.filter(code="64.74.02").update(is_active=False)
    assert len(check_nik("6474021508900001", today=TODAY).warnings) == 1


def test_a_nik_from_a_kota_the_pilot_table_does_not_hold_has_no_warning(bontang):
    assert check_nik("3273011508900001", today=TODAY).warnings == []


def test_a_province_added_to_the_region_table_is_known(bontang):
    from forkom.territory.models import Region

    assert not parse_nik("9701021508900001", today=TODAY).is_valid
    Region.objects.create(code="97", name="Provinsi Baru", level=1)
    assert check_nik("9701021508900001", today=TODAY).is_valid
