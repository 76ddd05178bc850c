from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.announcements import selectors, services
from cadres.announcements.forms import AnnouncementForm, WithdrawForm
from cadres.models import Announcement
from forkom import statements
from forkom.http import absolute_url, act, form_status, refusals_on
from forkom.pagination import first_page, first_page_asked
from forkom.territory.models import Region

PAGE_SIZE = 20


def announcement_list(request):
    """The announcements the viewer may read, pinned first; a writer's drafts above them."""
    if first_page_asked(request):  # as the menu opens it: rows and count in one statement
        page = first_page(*selectors.published_first_page(request.user, PAGE_SIZE), PAGE_SIZE)
    else:
        page = Paginator(selectors.published_keys(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        page.object_list = selectors.listed_rows(page.object_list)
    drafts = []
    may_write = selectors.may_write(request.user)
    if may_write:
        drafts = list(
            Announcement.objects.filter(
                author=request.user, state=Announcement.State.DRAFT
            ).select_related("region")
        )
    response = render(
        request,
        "announcements/list.html",
        {"page": page, "drafts": drafts, "may_write": may_write},
    )
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"
    return response


def _readable(request, public_id) -> Announcement:
    return selectors.get_readable_or_404(request.user, public_id)


def detail(request, public_id):
    return _detail(request, _readable(request, public_id))


def _detail(request, announcement, withdraw_form=None):
    """The announcement's page; with a `withdraw_form` that was refused, that form beside
    its errors, answered 400."""
    is_author = announcement.author_id == request.user.pk
    may_withdraw = announcement.state == Announcement.State.PUBLISHED and (
        is_author or selectors.may_speak_for(request.user, announcement.region_id)
    )
    url = absolute_url(announcement.get_absolute_url()) or request.build_absolute_uri()
    response = render(
        request,
        "announcements/detail.html",
        {
            "announcement": announcement,
            "bodies": statements.related(announcement.bodies),
            "may_edit": is_author and announcement.state != Announcement.State.WITHDRAWN,
            "may_publish": is_author and announcement.state == Announcement.State.DRAFT,
            "may_withdraw": may_withdraw,
            "withdraw_form": (withdraw_form or WithdrawForm()) if may_withdraw else None,
            "share_url": "https://wa.me/?text=" + quote(f"{announcement.title}\n{url}"),
        },
        status=(
            400
            if withdraw_form is not None
            else 410
            if announcement.state == Announcement.State.WITHDRAWN
            else 200
        ),
    )
    if announcement.audience != Announcement.Audience.PUBLIC or (
        announcement.state != Announcement.State.PUBLISHED
    ):
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
def write(request):
    """A new announcement: saved as a draft, or published at once."""
    if not selectors.may_write(request.user):
        raise Http404
    regions = selectors.addressable_regions(request.user)
    form = AnnouncementForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            announcement = services.create_draft(actor=request.user, **form.service_fields())
            if "publish" in request.POST:
                services.publish(actor=request.user, announcement=announcement)
                messages.success(
                    request,
                    _("Published. The addressed cadres find it in their inbox in a moment."),
                )
            else:
                messages.success(request, _("Saved as a draft; only you can see it."))
            return redirect(announcement)
    return render(
        request,
        "announcements/form.html",
        {"form": form, "announcement": None},
        status=form_status(request, form),
    )


@login_required
def edit(request, public_id):
    announcement = _readable(request, public_id)
    if announcement.author_id != request.user.pk or (
        announcement.state == Announcement.State.WITHDRAWN
    ):
        raise Http404
    published = announcement.state == Announcement.State.PUBLISHED
    regions = selectors.addressable_regions(request.user)
    initial = {
        "title": announcement.title,
        "text": announcement.text,
        "region": announcement.region_id,
        "audience": announcement.audience,
        "bodies": list(announcement.bodies.all()),
        "officers_only": announcement.officers_only,
        "link": announcement.link,
        "pinned": announcement.pinned,
    }
    form = AnnouncementForm(
        request.POST or None, initial=initial, regions=regions, published=published
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.change(actor=request.user, announcement=announcement, **form.service_fields())
            messages.success(request, _("Your changes are saved."))
            return redirect(announcement)
    return render(
        request,
        "announcements/form.html",
        {"form": form, "announcement": announcement},
        status=form_status(request, form),
    )


@require_POST
@login_required
def publish(request, public_id):
    announcement = _readable(request, public_id)
    return act(
        request,
        services.publish,
        back=announcement.get_absolute_url(),
        done=_("Published. The addressed cadres find it in their inbox in a moment."),
        announcement=announcement,
    )


@require_POST
@login_required
def withdraw(request, public_id):
    announcement = _readable(request, public_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():  # a reason too long was dropped and the withdrawal went ahead
        return _detail(request, announcement, withdraw_form=form)
    reason = form.cleaned_data["reason"]
    return act(
        request,
        services.withdraw,
        back=announcement.get_absolute_url(),
        done=_("The announcement is withdrawn."),
        announcement=announcement,
        reason=reason,
    )


class RegionFeed(Feed):
    """The public announcements that concern a region, as an Atom feed."""

    feed_type = Atom1Feed

    def get_object(self, request, code):
        return get_object_or_404(Region, code=code)

    def title(self, region):
        return _("Forkom KPM announcements: %(region)s") % {"region": region.name}

    def link(self, region):
        return f"/wilayah/{region.code}/"

    def subtitle(self, region):
        return _("Public announcements of Forkom KPM that concern %(region)s.") % {
            "region": region.name
        }

    def items(self, region):
        return selectors.public_about(region.code, limit=20, with_text=True)

    def item_title(self, announcement):
        return announcement.title

    def item_description(self, announcement):
        return announcement.text

    def item_author_name(self, announcement):
        return announcement.signed_as

    def item_pubdate(self, announcement):
        return announcement.published_at

    def item_updateddate(self, announcement):
        return announcement.edited_at or announcement.published_at
