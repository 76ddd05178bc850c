from urllib.parse import quote

from allauth.account import app_settings as account_settings
from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from cadres import selectors
from cadres.activation import services
from cadres.activation.forms import CodeSignInForm
from cadres.nik import normalize_nik
from cadres.phones import normalize_phone
from forkom.errors import DomainError
from forkom.http import form_status, refuse


@never_cache
@require_POST
@login_required
def issue(request, public_id):
    """An officer hands a cadre without email a new sign-in code: shown once, to print or
    to send on WhatsApp."""
    profile = selectors.get_cadre_or_404(request.user, public_id)
    try:
        code, expires_at = services.issue_activation_code(actor=request.user, profile=profile)
    except DomainError as error:
        return refuse(
            request, error.message, status=error.status, back_url=profile.get_absolute_url()
        )
    sign_in_url = request.build_absolute_uri(reverse("cadres:sign_in_with_code"))
    shown = services.display_code(code)
    expires = formats.date_format(timezone.localtime(expires_at), "DATETIME_FORMAT")
    text = _(
        "Forkom KPM: your activation code is %(code)s. Sign in at %(url)s with your mobile "
        "number or NIK and this code before %(expires)s, then choose a password. Do not give "
        "this code to anyone."
    ) % {"code": shown, "url": sign_in_url, "expires": expires}
    whatsapp = (
        f"https://wa.me/{profile.phone.lstrip('+')}?text={quote(text)}" if profile.phone else ""
    )
    return render(
        request,
        "cadres/activation_code.html",
        {
            "profile": profile,
            "code": shown,
            "expires_at": expires_at,
            "sign_in_url": sign_in_url,
            "whatsapp_url": whatsapp,
            "message_text": text,
        },
    )


def _rate_key(identifier: str) -> str:
    """One limit per person however they type their number (0812…, +62 812…) or NIK."""
    nik = normalize_nik(identifier)
    if nik.isdigit() and len(nik) == 16:
        return f"activation:{nik}"
    try:
        return f"activation:{normalize_phone(identifier)}"
    except ValidationError:  # not a number either: limit what was typed
        return f"activation:{identifier.strip().lower()}"


@sensitive_post_parameters("code")
@never_cache
def sign_in(request):
    """A cadre without email signs in with their phone number or NIK and an activation code,
    through allauth's login (its signals, stages and the failed-login rate limit), then
    chooses a password."""
    if request.user.is_authenticated:
        return redirect("home")
    form = CodeSignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        # The same limit as allauth's failed sign-ins: per address and per person.
        if not ratelimit.consume(request, action="login_failed", key=_rate_key(identifier)):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
            status = 429
        else:
            try:
                user = services.redeem_activation_code(
                    identifier=identifier, code=form.cleaned_data["code"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return perform_login(
                    request,
                    user,
                    email_verification=account_settings.EmailVerificationMethod.NONE,
                    redirect_url=reverse("account_set_password"),
                )
    return render(
        request,
        "cadres/sign_in_with_code.html",
        {"form": form},
        status=status if status != 200 else form_status(request, form),
    )
