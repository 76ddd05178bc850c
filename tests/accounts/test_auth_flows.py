import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from forkom.accounts.models import User
from tests.conftest import PASSWORD, make_user


def _confirmation_link(message):
    match = re.search(r"https?://[^/\s]+(/akun/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_sends_a_confirmation_email_and_confirming_signs_in(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "Baru@Contoh.ID", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="baru@contoh.id")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    # Greeted by the portal's name, not by the address of the server ("Halo dari 127.0.0.1").
    assert "testserver" not in mail.outbox[0].body.splitlines()[0]
    assert "Forum Komunikasi Kader Pemberdayaan Masyarakat" in mail.outbox[0].body

    # Not confirmed yet: signing in is refused until the address is confirmed.
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    link = _confirmation_link(mail.outbox[-1])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("home")).context["user"] == user


def test_a_confirmed_user_signs_in_with_email_and_signs_out(client, db):
    user = make_user("siti@contoh.id")
    response = client.post(
        reverse("account_login"), {"login": "SITI@contoh.id", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user
    client.post(reverse("account_logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_a_wrong_password_is_refused_without_signing_in(client, db):
    make_user("siti@contoh.id")
    response = client.post(
        reverse("account_login"), {"login": "siti@contoh.id", "password": "salah"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not response.context["user"].is_authenticated


def test_password_reset_sends_a_link_that_sets_a_new_password(client, db):
    user = make_user("lupa@contoh.id")
    client.post(reverse("account_reset_password"), {"email": "lupa@contoh.id"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/akun/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = client.get(link.group(1))
    assert response.status_code == 302
    new_password = "kata-sandi-baru-2026"
    response = client.post(
        response["Location"], {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_a_signed_in_user_changes_password(client, db):
    user = make_user("ganti@contoh.id")
    client.force_login(user)
    new_password = "kata-sandi-baru-2026"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_changing_email_asks_to_confirm_the_new_address(client, db):
    user = make_user("lama@contoh.id")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "baru@contoh.id"})
    assert response.status_code == 302
    new_address = EmailAddress.objects.get(user=user, email="baru@contoh.id")
    assert not new_address.verified
    assert mail.outbox[-1].to == ["baru@contoh.id"]


def test_after_repeated_failed_sign_ins_even_the_right_password_waits(client, db):
    user = make_user("serang@contoh.id")
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "salah"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert not response.context["user"].is_authenticated
    assert response.context["form"].non_field_errors()


def test_rate_limits_are_counted_in_a_cache_shared_by_every_worker(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }


def _fail_sign_ins(client, count, forwarded_for, email):
    for _attempt in range(count):
        client.post(
            reverse("account_login"),
            {"login": email, "password": "salah"},
            headers={"x-forwarded-for": forwarded_for},
        )


def _signs_in(client, user, forwarded_for):
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        headers={"x-forwarded-for": forwarded_for},
    )
    return response.status_code == 302


def test_behind_the_proxy_one_abuser_does_not_lock_everyone_out(client, settings, db):
    """Every request reaches the app from the proxy's address: the limits count the client's,
    which the proxy appends to X-Forwarded-For."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = make_user("tetangga@contoh.id")
    _fail_sign_ins(client, 12, "203.0.113.7", "korban@contoh.id")
    assert not _signs_in(client, user, "203.0.113.7")  # the abuser's address waits
    assert _signs_in(client, user, "198.51.100.20")  # everyone else signs in


def test_without_a_proxy_a_forged_header_does_not_escape_the_limit(client, settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    user = make_user("tetangga@contoh.id")
    _fail_sign_ins(client, 12, "203.0.113.7", "korban@contoh.id")
    assert not _signs_in(client, user, "198.51.100.20")
