"""Whether a person has turned on TOTP (asked on every admin page) is read by a statement
compiled once (forkom.statements), afresh on every request."""

from unittest import mock

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet
from django.urls import reverse

from forkom.accounts.models import User
from forkom.accounts.selectors import has_totp
from tests.accounts.test_admin import with_totp
from tests.conftest import make_user


def fresh(user):
    """The user as the next request reads them: nothing kept from an earlier answer."""
    return User.objects.get(pk=user.pk)


def test_only_a_totp_authenticator_counts(db):
    user = make_user("siti@test.forkom.id")
    other = make_user("budi@test.forkom.id")
    assert not has_totp(fresh(user))
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert not has_totp(fresh(user))
    with_totp(user)
    assert has_totp(fresh(user))
    assert not has_totp(fresh(other))  # someone else's authenticator is not theirs


def test_the_answer_builds_no_queryset(db):
    user = with_totp(make_user())
    reader = fresh(user)
    with mock.patch.object(QuerySet, "filter", side_effect=AssertionError("built")):
        assert has_totp(reader)


def test_turning_totp_off_shuts_the_admin_on_the_next_request(client, staff):
    client.force_login(with_totp(staff))
    assert client.get("/admin/").status_code == 200
    Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).delete()
    response = client.get("/admin/", follow=True)
    assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain
