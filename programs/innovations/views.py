"""The innovation gallery (public) and the pages where innovations are recorded and published."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import CadreProfile
from forkom import statements
from forkom.filters import nothing_chosen
from forkom.http import act, form_errors, form_status, refusals_on, refuse
from forkom.pagination import filters_query, first_page, first_page_asked
from programs import selectors as proposal_selectors
from programs.innovations import selectors, services
from programs.innovations.forms import (
    InnovationFilter,
    InnovationForm,
    InnovationNoteForm,
    PhotoForm,
)
from programs.models import MAX_PHOTOS
from programs.views import team_search

GALLERY_PAGE_SIZE = 12


def gallery(request):
    """Published innovations, for everyone, with filters by field and kecamatan."""
    innovations = InnovationFilter(
        request.GET,
        queryset=selectors.published_innovations(),
        home_region=settings.FORKOM_HOME_REGION,
    )
    if nothing_chosen(innovations) and first_page_asked(request):  # as most visitors open it
        rows, total = selectors.gallery_first_page(GALLERY_PAGE_SIZE)
        page = first_page(rows, total, GALLERY_PAGE_SIZE)
    else:
        page = Paginator(innovations.qs, GALLERY_PAGE_SIZE).get_page(request.GET.get("page"))
    may_record = (
        request.user.is_authenticated
        and CadreProfile.objects.filter(
            user_id=request.user.pk, status=CadreProfile.Status.VERIFIED
        ).exists()
    )
    return render(
        request,
        "programs/gallery.html",
        {
            "filter": innovations,
            "page": page,
            "query": filters_query(request),
            "may_record": may_record,
        },
        status=400 if innovations.errors else 200,
    )


def innovation(request, public_id):
    """An innovation's page; the public sees it once published, with its share links."""
    innovation = selectors.get_innovation_or_404(request.user, public_id)
    # Its lists through kept statements (forkom.statements.related).
    cadres = statements.related(innovation.cadres)
    photos = statements.related(innovation.photos)
    page_url = request.build_absolute_uri(innovation.get_absolute_url())
    is_recorder = innovation.recorded_by.user_id == request.user.pk
    return render(
        request,
        "programs/innovation.html",
        {
            "innovation": innovation,
            "cadres": cadres,
            "photos": photos,
            "events": statements.related(innovation.events),
            "actions": selectors.innovation_actions_for(request.user, innovation, cadres),
            "page_url": page_url,
            "whatsapp_url": "https://wa.me/?"
            + urlencode({"text": f"{innovation.title} — {page_url}"}),
            "og_image": request.build_absolute_uri(photos[0].get_absolute_url())
            if photos and innovation.is_published()
            else "",
            "may_add_photo": is_recorder
            and innovation.can_be_published()
            and len(photos) < MAX_PHOTOS,
            "may_remove_photo": is_recorder and innovation.can_be_published(),
            "photo_form": PhotoForm(),
        },
    )


@login_required
def record(request):
    profile = (
        CadreProfile.objects.select_related("kelurahan")
        .filter(user_id=request.user.pk, status=CadreProfile.Status.VERIFIED)
        .first()
    )
    if profile is None:
        return refuse(
            request,
            _("Only a verified cadre can do this."),
            status=403,
            back_url=reverse("programs:gallery"),
        )
    search, refused = team_search(request, reverse("programs:innovation_record"))
    if refused:
        return refused
    form = InnovationForm(
        request.POST or None,
        recorder=profile,
        proposals=proposal_selectors.mine(request.user),
        cadre_search=search.cleaned_data["tim"].strip(),
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            innovation = services.record_innovation(
                actor=request.user, **form.innovation_details()
            )
            messages.success(
                request,
                _("The innovation is recorded. Add photos; a forum officer will publish it."),
            )
            return redirect(innovation)
    return render(
        request,
        "programs/innovation_form.html",
        {"form": form, "team_search": search},
        status=form_status(request, form),
    )


def _move(request, public_id, move, done_message):
    innovation = selectors.get_innovation_or_404(request.user, public_id)
    form = InnovationNoteForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), back_url=innovation.get_absolute_url())
    return act(
        request,
        move,
        back=innovation.get_absolute_url(),
        done=done_message,
        innovation=innovation,
        note=form.cleaned_data["note"],
    )


@require_POST
@login_required
def publish(request, public_id):
    return _move(
        request,
        public_id,
        services.publish_innovation,
        _("The innovation is published in the gallery."),
    )


@require_POST
@login_required
def channel(request, public_id):
    return _move(
        request,
        public_id,
        services.channel_innovation,
        _("The innovation is channelled to the provincial programme."),
    )


@require_POST
@login_required
def add_photo(request, public_id):
    innovation = selectors.get_innovation_or_404(request.user, public_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return refuse(request, form_errors(form), back_url=innovation.get_absolute_url())
    return act(
        request,
        services.attach_photo,
        back=innovation.get_absolute_url(),
        done=_("The photo is added."),
        then=innovation.get_absolute_url() + "#photos",
        innovation=innovation,
        upload=form.cleaned_data["file"],
        caption=form.cleaned_data["caption"],
        token=form.cleaned_data["token"],
    )


@require_POST
@login_required
def remove_photo(request, public_id, photo_id):
    innovation = selectors.get_innovation_or_404(request.user, public_id)
    photo = get_object_or_404(innovation.photos, public_id=photo_id)
    return act(
        request,
        services.remove_photo,
        back=innovation.get_absolute_url(),
        done=_("The photo is removed."),
        then=innovation.get_absolute_url() + "#photos",
        photo=photo,
    )


def photo(request, public_id, photo_id):
    """A photo, shown in the page; public once its innovation is published."""
    innovation = selectors.get_innovation_or_404(request.user, public_id)
    photo = get_object_or_404(innovation.photos, public_id=photo_id)
    try:
        stream = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, content_type=photo.content_type)
    response["Cache-Control"] = (
        "public, max-age=86400" if innovation.is_published() else "private, no-store"
    )
    return response
