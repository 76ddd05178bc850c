"""Staff see that emails failed and send them again; not whom they were for or what said."""

from django.core import mail as outbox

from forkom import mail
from forkom.accounts.models import Role
from forkom.outbox.models import OutgoingEmail
from tests.accounts.test_admin import with_totp
from tests.conftest import make_persona

CHANGELIST = "/admin/outbox/outgoingemail/"


def test_staff_see_failures_without_addresses_and_send_them_again(
    client, bontang, django_capture_on_commit_callbacks
):
    staff = with_totp(make_persona(Role.DINAS_STAFF, "64.74"))
    mail.send(to="rahasia@contoh.id", template="cadres/email/deletion_done", context={})
    row = OutgoingEmail.objects.get()
    OutgoingEmail.objects.filter(pk=row.pk).update(
        status=OutgoingEmail.Status.FAILED, attempts=12, last_error="550 rahasia@contoh.id"
    )
    client.force_login(staff)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    detail = client.get(f"{CHANGELIST}{row.pk}/change/")
    for text in (page.text, detail.text):
        assert "rahasia" not in text
        assert "Data pribadi" not in text  # the subject
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "retry", "_selected_action": [row.pk]})
    assert response.status_code == 302
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert [message.to for message in outbox.outbox] == [["rahasia@contoh.id"]]
