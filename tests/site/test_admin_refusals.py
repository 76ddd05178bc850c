"""A save that the service refuses only when it runs is shown on the form, never a server
error: Django logs the change in the transaction the refusal rolled back."""

from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from tests.accounts.test_admin import with_totp
from tests.trainings.factories import make_training
from trainings.models import Training


def test_saving_a_finished_training_unchanged_is_refused_with_its_reason(client, staff):
    """Found by a walk through the demo site: the change form of a finished training, saved
    as it was, answered 500 (TransactionManagementError in log_change)."""
    training = make_training(
        title="Sudah Selesai", state=Training.State.FINISHED, starts_in=-timedelta(days=3)
    )
    client.force_login(with_totp(staff))
    url = reverse("admin:trainings_training_change", args=[training.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif hasattr(field.widget, "widgets"):  # a date and a time
            data[f"{name}_0"], data[f"{name}_1"] = (
                value.astimezone().strftime("%Y-%m-%d"),
                value.astimezone().strftime("%H:%M"),
            )
        else:
            data[name] = value
    for prefix in ("registrations", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    logged = LogEntry.objects.count()
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Pelatihan yang dibatalkan atau sudah selesai tidak dapat diubah lagi."
    ]
    assert LogEntry.objects.count() == logged
    training.refresh_from_db()
    assert (training.title, training.state) == ("Sudah Selesai", Training.State.FINISHED)


def test_a_form_the_admin_refuses_is_answered_400_with_its_errors(client, staff):
    """Django's admin answers a refused form with 200; the portal answers bad input with a
    4xx everywhere, the admin too."""
    client.force_login(with_totp(staff))
    response = client.post(reverse("admin:trainings_training_add"), {"title": ""})
    assert response.status_code == 400
    assert response.context["adminform"].form.errors["title"]
    assert not Training.objects.exists()
