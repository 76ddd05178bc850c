"""The participant lists (the page, the daftar hadir, the exports) show each cadre's bodies,
read for all rows at once: in the order the bodies are listed, none for a cadre without."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres import services as cadre_services
from cadres.models import Body
from tests.cadres.factories import make_profile
from tests.trainings.factories import make_training, verifier
from trainings import selectors, services
from trainings.models import Registration


def cadre_in(name, bodies):
    profile = make_profile(
        full_name=name, memberships=[(body, "Anggota", 2020) for body in bodies]
    )
    return cadre_services.verify_cadre(actor=verifier(), profile=profile)


def bodies_in_order():
    # Listed PKK first, then Karang Taruna, whatever order the cadre named them in.
    pkk = Body.objects.create(name="PKK Uji", sort_order=1)
    karang_taruna = Body.objects.create(name="Karang Taruna Uji", sort_order=2)
    return pkk, karang_taruna


def one_seat_two_sign_ups(seated_bodies, waiting_bodies):
    """A training of one seat: Ani signs up first and is seated, Budi waits."""
    training = make_training(capacity=1)
    for name, bodies in (("Ani", seated_bodies), ("Budi", waiting_bodies)):
        profile = cadre_in(name, bodies)
        services.sign_up(actor=profile.user, training=training, profile=profile)
    return training


def test_each_row_has_the_cadre_s_bodies_in_their_listed_order(bontang):
    pkk, karang_taruna = bodies_in_order()
    training = one_seat_two_sign_ups([karang_taruna, pkk], [karang_taruna])
    rows = {row.profile.full_name: row for row in selectors.participants(training)}
    assert rows["Ani"].bodies == "PKK Uji, Karang Taruna Uji"
    assert rows["Budi"].bodies == "Karang Taruna Uji"  # on the waitlist: shown there too


def test_the_page_the_sheet_and_the_csv_show_them(client, kecamatan_officer):
    pkk, karang_taruna = bodies_in_order()
    training = one_seat_two_sign_ups([karang_taruna, pkk], [pkk])
    client.force_login(kecamatan_officer)
    page = client.get(reverse("trainings:participants", args=[training.pk])).text
    assert page.count("PKK Uji, Karang Taruna Uji") == 1  # Ani's seat
    assert page.count(">PKK Uji<") == 1  # Budi's place on the waitlist
    sheet = client.get(reverse("trainings:sheet", args=[training.pk])).text
    assert "PKK Uji, Karang Taruna Uji" in sheet
    exported = client.get(reverse("trainings:export_csv", args=[training.pk]))
    rows = list(csv.reader(io.StringIO(exported.getvalue().decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["PKK Uji, Karang Taruna Uji", "PKK Uji"]


def test_the_page_s_queries_do_not_grow_with_its_rows(client, kecamatan_officer):
    pkk, karang_taruna = bodies_in_order()
    training = make_training(capacity=2)
    client.force_login(kecamatan_officer)
    url = reverse("trainings:participants", args=[training.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = cadre_in("Ani", [pkk])
    services.sign_up(actor=first.user, training=training, profile=first)
    few = queries()
    for number in range(5):  # seated and waiting, in one body or two
        profile = cadre_in(f"Peserta {number}", [pkk, karang_taruna][: 1 + number % 2])
        services.sign_up(actor=profile.user, training=training, profile=profile)
    assert queries() == few


def test_the_kept_statement_gives_the_orm_s_rows_for_each_set_of_states(bontang):
    """participants() reads its rows through a statement compiled once per set of states:
    the same registrations, cadres, kelurahan and kecamatan as the ORM's, this training's
    only, for the seated alone (the daftar hadir) or with the waitlist."""
    training = one_seat_two_sign_ups([], [])
    one_seat_two_sign_ups([], [])  # another training: its sign-ups stay out
    for statuses, names in [
        ((Registration.Status.REGISTERED,), ["Ani"]),
        ((Registration.Status.REGISTERED, Registration.Status.WAITLISTED), ["Ani", "Budi"]),
    ]:
        rows = selectors.participants(training, statuses)
        orm = list(
            Registration.objects.filter(training=training, status__in=statuses)
            .select_related("profile__kelurahan__parent")
            .order_by("created_at", "pk")
        )
        assert [row.profile.full_name for row in rows] == names
        assert [row.pk for row in rows] == [row.pk for row in orm]
        for row, expected in zip(rows, orm, strict=True):
            assert row.training_id == training.pk
            assert row.profile.full_name == expected.profile.full_name
            assert row.profile.kelurahan == expected.profile.kelurahan
            assert row.profile.kelurahan.parent == expected.profile.kelurahan.parent


def test_a_cadre_who_signed_up_again_has_each_body_once(bontang):
    """The bodies are read by the training's sign-ups in the states asked: a cancelled
    sign-up beside the new one, or the cadre's sign-up to another training, adds nothing."""
    pkk, karang_taruna = bodies_in_order()
    training = make_training(capacity=2)
    ani = cadre_in("Ani", [pkk, karang_taruna])
    first = services.sign_up(actor=ani.user, training=training, profile=ani)
    services.cancel(actor=ani.user, registration=first)
    services.sign_up(actor=ani.user, training=training, profile=ani)
    services.sign_up(actor=ani.user, training=make_training(), profile=ani)
    [row] = selectors.participants(training)
    assert row.bodies == "PKK Uji, Karang Taruna Uji"


def test_the_lists_read_the_columns_they_show_and_the_exports_the_kecamatan_too(bontang):
    """The rows carry what the page, the daftar hadir and the exports show, read with the
    two queries; the cadre's other columns (address, skills) are not read, nor the
    kecamatan but for the exports."""
    pkk, _karang_taruna = bodies_in_order()
    training = one_seat_two_sign_ups([pkk], [])
    for with_kecamatan in (False, True):
        with CaptureQueriesContext(connection) as read:
            rows = selectors.participants(training, with_kecamatan=with_kecamatan)
        assert len(read.captured_queries) == 2
        with CaptureQueriesContext(connection) as shown:
            for row in rows:
                profile = row.profile
                assert profile.full_name
                assert profile.masked_nik
                assert profile.kelurahan.name
                assert row.status
                assert row.created_at
                assert row.attended is False
                assert row.training_id == training.pk
                if with_kecamatan:
                    assert profile.kelurahan.parent.name
        assert shown.captured_queries == []
        assert {"address", "skills", "phone"} <= rows[0].profile.get_deferred_fields()
        kecamatan_read = "parent" in rows[0].profile.kelurahan._state.fields_cache
        assert kecamatan_read is with_kecamatan
