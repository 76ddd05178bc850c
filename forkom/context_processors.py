from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from forkom import menu_counts, scope
from forkom.accounts.models import Role
from forkom.paths import path_of
from forkom.territory.codes import level_of
from forkom.territory.models import Region


@dataclass(frozen=True)
class Menu:
    """What the menu offers the signed-in person, decided from their roles (forkom.scope):
    templates read these flags and never name a role."""

    reviews_proposals: bool = False
    lists_cadres: bool = False
    sees_dashboard: bool = False
    registers_cadres: bool = False
    imports_cadres: bool = False
    organises_trainings: bool = False
    administers: bool = False


@dataclass(frozen=True)
class MenuLink:
    """One entry of the site menu. It is the current page's entry when the path shown starts
    with `section` (by default its own URL), or equals it when `exact`."""

    url: str
    label: str | Promise
    section: str = ""
    exact: bool = False
    current: bool = False
    unread: int = 0
    # Things that wait for the person there (forkom.menu_counts), shown beside the label.
    waiting: int = 0
    # Shown inline on wide screens; the others are under "More" there (on phones, all are
    # in the one folded menu).
    primary: bool = False

    @property
    def waiting_label(self) -> str:
        return menu_counts.label(self.waiting)

    def matches(self, path: str) -> bool:
        section = self.section or self.url
        return path == section if self.exact else path.startswith(section)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu's flags, and its links built only when a template shows them: the admin's
    pages and the pages without the site's menu never count what waits (a query)."""
    menu = menu_of(request)

    @cache
    def built() -> dict[str, Any]:
        links = mark_current(links_of(request, menu), request.path)
        waiting = sum(link.waiting for link in links)
        more = [link for link in links if not link.primary]
        return {
            "menu_links": links,
            "menu_primary": [link for link in links if link.primary],
            "menu_more": more,
            "menu_more_current": any(link.current for link in more),
            # Shown on the folded menu's button, so a phone shows there is work without a tap.
            "menu_waiting": menu_counts.label(waiting) if waiting else "",
        }

    def lazily(key: str) -> SimpleLazyObject:
        return SimpleLazyObject(lambda: built()[key])

    return {
        "menu": menu,
        **{
            key: lazily(key)
            for key in (
                "menu_links",
                "menu_primary",
                "menu_more",
                "menu_more_current",
                "menu_waiting",
            )
        },
    }


def menu_of(request: HttpRequest) -> Menu:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Menu()
    grants = scope.grants(user)
    roles = frozenset(grant.role for grant in grants)
    # Dinas staff import into their region, forum officers of a kecamatan into it.
    imports_cadres = any(
        grant.role == Role.DINAS_STAFF
        or (
            grant.role == Role.FORUM_OFFICER
            and level_of(grant.region_code) == Region.Level.KECAMATAN
        )
        for grant in grants
    )
    if user.is_superuser:
        roles = frozenset(Role)
    return Menu(
        reviews_proposals=bool(roles & scope.OFFICERS_AND_ABOVE),
        lists_cadres=bool(roles & scope.OFFICERS_AND_ABOVE),
        sees_dashboard=bool(roles & scope.CITY_AND_ABOVE),
        registers_cadres=bool(roles & scope.OFFICERS_AND_STAFF),
        imports_cadres=imports_cadres,
        organises_trainings=bool(roles & scope.OFFICERS_AND_STAFF),
        administers=bool(roles & scope.STAFF),
    )


def links_of(request: HttpRequest, menu: Menu) -> list[MenuLink]:
    """The menu's entries in order: the person's work first, then the public pages, then the
    account. Sign-out is a form, so the template adds it after these."""
    user = getattr(request, "user", None)
    public = [
        # Exact: every page of the site starts with "/".
        MenuLink(path_of("home"), _("Home"), exact=True),
        MenuLink(path_of("forums:directory"), _("Forums")),
        MenuLink(path_of("announcements:list"), _("Announcements")),
        MenuLink(path_of("trainings:list"), _("Trainings")),
        MenuLink(path_of("programs:gallery"), _("Innovation gallery")),
        MenuLink(path_of("programs:public"), _("Channelled and accepted programmes")),
        MenuLink(path_of("territory:index"), _("Regions")),
    ]
    if user is None or not user.is_authenticated:
        public[0] = replace(public[0], primary=True)  # Home
        public[3] = replace(public[3], primary=True)  # Trainings
        return [
            *public,
            MenuLink(path_of("account_login"), _("Sign in"), primary=True),
            MenuLink(path_of("account_signup"), _("Register"), primary=True),
        ]
    waiting = menu_counts.counts(
        user,
        [
            *(["cadres:list"] if menu.lists_cadres else []),
            *(["programs:waiting"] if menu.reviews_proposals else []),
        ],
    )
    proposals = MenuLink(
        path_of("programs:waiting" if menu.reviews_proposals else "programs:mine"),
        _("Programme proposals"),
        section=path_of("programs:mine"),
        waiting=waiting.get("programs:waiting", 0),
    )
    work = [
        MenuLink(path_of("cadres:list"), _("Cadres"), waiting=waiting.get("cadres:list", 0))
        if menu.lists_cadres
        else None,
        proposals if menu.reviews_proposals else None,
        MenuLink(path_of("dashboard:home"), _("Dashboard")) if menu.sees_dashboard else None,
        MenuLink(path_of("cadres:register_assisted"), _("Register a cadre without an email"))
        if menu.registers_cadres
        else None,
        MenuLink(path_of("cadres:import"), _("Import cadres from a spreadsheet"))
        if menu.imports_cadres
        else None,
        MenuLink(path_of("trainings:manage"), _("Trainings you organise"))
        if menu.organises_trainings
        else None,
        MenuLink(path_of("admin:index"), _("Administration")) if menu.administers else None,
    ]
    own = [
        MenuLink(
            path_of("notifications:inbox"), _("Notifications"), unread=user.unread_notifications
        ),
        MenuLink(path_of("meetings:list"), _("Meetings")),
        # Exact: the officer's pages of other cadres live under the same "/kader/".
        MenuLink(path_of("cadres:mine"), _("My cadre profile"), exact=True),
        None if menu.reviews_proposals else proposals,
        MenuLink(path_of("trainings:mine"), _("My trainings")),
    ]
    account = [
        MenuLink(path_of("cadres:my_data"), _("My data")),
        MenuLink(path_of("account_email"), _("My account")),
    ]
    return _with_primary(
        [link for link in work if link is not None],
        [link for link in own if link is not None],
        [*public, *account],
    )


def _with_primary(
    work: list[MenuLink], own: list[MenuLink], rest: list[MenuLink]
) -> list[MenuLink]:
    """Marks what a wide screen shows inline, so the bar stays one line: an official's first
    three work links and the notifications; a cadre's first four own links."""
    notifications = own[0]
    if work:
        primary = {id(link) for link in work[:3]} | {id(notifications)}
    else:
        primary = {id(link) for link in own[:4]}
    return [
        replace(link, primary=True) if id(link) in primary else link
        for link in (*work, *own, *rest)
    ]


def mark_current(links: list[MenuLink], path: str) -> list[MenuLink]:
    """Marks the entry whose section is the longest start of `path`: on /pelatihan/saya/ it is
    "My trainings", not "Trainings"."""
    matching = [link for link in links if link.matches(path)]
    if not matching:
        return links
    current = max(matching, key=lambda link: len(link.section or link.url))
    return [replace(link, current=True) if link is current else link for link in links]
