"""QR check-in: the participant's page shows a code; the organisers scan or type it at the
venue and the participant is marked present. Another training's code, somebody without a
seat, or a made-up code is refused, and nothing changes."""

import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.trainings.factories import make_cadre, make_training
from trainings import checkin, services
from trainings.models import Registration, Training, TrainingEvent

Status = Registration.Status
State = Training.State
TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def starting_soon(**fields):
    """A training starting within the hour: check-in is open, sign-ups closed."""
    now = timezone.now()
    return make_training(
        starts_at=now + timedelta(minutes=30),
        registration_opens_at=now - timedelta(days=10),
        registration_closes_at=now,
        **fields,
    )


def seated_in(training, name="Ani Rahmawati"):
    profile = make_cadre(full_name=name)
    services.sign_up(
        actor=profile.user,
        training=training,
        profile=profile,
        now=training.registration_opens_at + timedelta(hours=1),
    )
    return Registration.objects.get(profile=profile, training=training)


def scanned_code(client, registration):
    """What a camera reads from the QR code on the participant's own page."""
    client.force_login(registration.profile.user)
    page = client.get(registration.training.get_absolute_url()).text
    image_url = reverse("trainings:checkin_qr", args=[registration.training_id])
    assert f'src="{image_url}"' in page
    response = client.get(image_url)
    assert response["Content-Type"] == "image/png"
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text in page  # the same code is written out for typing
    return barcode.text


def post_code(client, organiser, training, code):
    client.force_login(organiser)
    page = client.get(reverse("trainings:check_in", args=[training.pk])).text
    token = TOKEN.search(page).group(1)
    return client.post(
        reverse("trainings:check_in", args=[training.pk]),
        {"code": code, "token": token},
        follow=True,
    )


def test_a_scanned_qr_code_marks_the_participant_present(client, bontang, kecamatan_officer):
    training = starting_soon()
    registration = seated_in(training)
    code = scanned_code(client, registration)
    response = post_code(client, kecamatan_officer, training, code)
    assert response.status_code == 200
    assert "Ani Rahmawati is marked present." in response.text
    registration.refresh_from_db()
    assert registration.attended
    event = TrainingEvent.objects.get(registration=registration, kind="attendance")
    assert event.actor == kecamatan_officer


@pytest.mark.parametrize("typing", [str.lower, lambda code: code.replace("-", " ")])
def test_a_typed_code_marks_the_participant_present(client, bontang, staff, typing):
    training = starting_soon()
    registration = seated_in(training)
    code = checkin.shown(checkin.code_for(registration))
    assert post_code(client, staff, training, typing(code)).status_code == 200
    registration.refresh_from_db()
    assert registration.attended


def test_a_code_of_another_training_is_refused(client, bontang, staff):
    here, elsewhere = starting_soon(title="Di sini"), starting_soon(title="Di tempat lain")
    seated_in(here)
    other = seated_in(elsewhere, name="Budi")
    code = scanned_code(client, other)
    response = post_code(client, staff, here, code)
    assert response.status_code == 400
    assert "not of a participant with a seat in this training" in response.text
    assert not Registration.objects.filter(attended=True).exists()


@pytest.mark.parametrize("forged", ["AAAA-AAAA", "ABCD-EFG", "tidak ada", "", "<script>"])
def test_a_forged_or_malformed_code_is_refused_and_nothing_changes(client, bontang, staff, forged):
    training = starting_soon()
    seated_in(training)
    response = post_code(client, staff, training, forged)
    assert response.status_code == 400
    assert not Registration.objects.filter(attended=True).exists()
    assert not TrainingEvent.objects.filter(kind="attendance").exists()


def test_a_waitlisted_cadre_has_no_code_and_their_computed_code_is_refused(client, bontang, staff):
    training = starting_soon(capacity=1)
    seated_in(training)
    waiting = seated_in(training, name="Budi")
    assert waiting.status == Status.WAITLISTED
    client.force_login(waiting.profile.user)
    assert client.get(reverse("trainings:checkin_qr", args=[training.pk])).status_code == 404
    response = post_code(client, staff, training, checkin.code_for(waiting))
    assert response.status_code == 400


def test_checking_in_twice_marks_once(client, bontang, staff):
    training = starting_soon()
    registration = seated_in(training)
    code = checkin.code_for(registration)
    post_code(client, staff, training, code)
    again = post_code(client, staff, training, code)
    assert again.status_code == 200
    assert TrainingEvent.objects.filter(kind="attendance").count() == 1


def test_check_in_is_closed_until_two_hours_before_the_start(client, bontang, staff):
    training = make_training(starts_in=timedelta(days=2))
    registration = seated_in(training)
    client.force_login(staff)
    response = client.post(
        reverse("trainings:check_in", args=[training.pk]),
        {"code": checkin.code_for(registration)},
    )
    assert response.status_code == 409
    registration.refresh_from_db()
    assert not registration.attended


def test_an_organiser_of_another_area_gets_404(client, bontang, outsider):
    training = starting_soon()
    registration = seated_in(training)
    client.force_login(outsider)
    url = reverse("trainings:check_in", args=[training.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": checkin.code_for(registration)}).status_code == 404
    registration.refresh_from_db()
    assert not registration.attended


def test_a_participant_cannot_check_themself_in(client, bontang):
    training = starting_soon()
    registration = seated_in(training)
    client.force_login(registration.profile.user)
    url = reverse("trainings:check_in", args=[training.pk])
    assert client.post(url, {"code": checkin.code_for(registration)}).status_code == 404


def test_nobody_else_gets_a_participants_qr_code(client, bontang):
    training = starting_soon()
    seated_in(training)
    client.force_login(make_cadre(full_name="Citra").user)
    assert client.get(reverse("trainings:checkin_qr", args=[training.pk])).status_code == 404


def test_codes_differ_per_training_and_participant(bontang):
    first, second = starting_soon(), starting_soon()
    ani, budi = seated_in(first), seated_in(first, name="Budi")
    ani_elsewhere = Registration(pk=ani.pk, training_id=second.pk)
    codes = {checkin.code_for(ani), checkin.code_for(budi), checkin.code_for(ani_elsewhere)}
    assert len(codes) == 3


def test_the_check_in_page_reads_in_a_fixed_number_of_queries(
    client, bontang, staff, django_assert_num_queries
):
    training = starting_soon(capacity=10)
    for name in ("Ani", "Budi", "Citra"):
        seated_in(training, name=name)
    client.force_login(staff)
    # Session, user, roles, the menu's counts, the training in the viewer's scope, the count
    # of those present.
    with django_assert_num_queries(6):
        client.get(reverse("trainings:check_in", args=[training.pk]))


def form_values(page, action):
    """What the form posting to `action` would send as it stands (hidden fields and ticked
    boxes), as a dict of lists."""
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    values = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        if 'type="checkbox"' in tag and " checked" not in tag:
            continue
        values.setdefault(name, []).append(re.search(r'value="([^"]*)"', tag).group(1))
    return values


def test_a_list_loaded_before_a_check_in_does_not_unmark_who_checked_in(client, bontang, staff):
    training = starting_soon(capacity=3)
    Training.objects.filter(pk=training.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=20),
        starts_at=timezone.now() - timedelta(minutes=10),
    )
    ani, budi, citra = (seated_in(training, name=name) for name in ("Ani", "Budi", "Citra"))
    services.check_in(actor=staff, training=training, code=checkin.code_for(citra))
    client.force_login(staff)
    action = reverse("trainings:attendance", args=[training.pk])
    stale = form_values(
        client.get(reverse("trainings:participants", args=[training.pk])).text, action
    )
    # Budi checks in at the door while the list is open; the organiser ticks Ani and
    # unticks Citra on the list loaded before.
    services.check_in(actor=staff, training=training, code=checkin.code_for(budi))
    stale["attended"] = [str(ani.pk)]
    assert client.post(action, stale).status_code == 302
    present = set(Registration.objects.filter(attended=True).values_list("pk", flat=True))
    assert present == {ani.pk, budi.pk}
