"""`make bench` times every page: each URL name of the site and the admin is either in
bench/pages.py's ROUTES (timed, as a persona) or in its EXCLUDED with the reason; views that
refuse a GET are excluded as "POST only". Runs without the national seed."""

import uuid
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.views.decorators.http import require_POST

from bench import pages


def url_names():
    """{name: view} of every named URL pattern, the admin's included."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                full = ":".join(filter(None, [namespace, pattern.namespace])) or None
                yield from walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, pattern.callback

    return dict(walk(get_resolver().url_patterns))


# POST only without require_POST: Django's admin logout (a LogoutView allowing POST alone).
POST_ONLY_UNMARKED = {"admin:logout"}
HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def refuses_get(view):
    """Whether a view is wrapped in require_POST (or require_http_methods without GET):
    the allowed methods are the list in the wrapper's closure."""
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(value, list) and value and set(value) <= HTTP_METHODS:
                return "GET" not in value
        view = getattr(view, "__wrapped__", None)
    return False


def coverage_problems(views, routes, excluded):
    problems = []
    for name, view in sorted(views.items()):
        if name in routes and name in excluded:
            problems.append(f"{name}: both timed and excluded")
        elif name not in routes and name not in excluded:
            problems.append(f"{name}: neither timed nor excluded (bench/pages.py)")
        if refuses_get(view) and excluded.get(name) != pages.POST_ONLY:
            problems.append(f"{name}: refuses a GET, exclude it as {pages.POST_ONLY!r}")
        elif (
            excluded.get(name) == pages.POST_ONLY
            and not refuses_get(view)
            and name not in POST_ONLY_UNMARKED
        ):
            problems.append(f"{name}: excluded as {pages.POST_ONLY!r} but answers a GET")
    problems += [f"{name}: excluded without a reason" for name, why in excluded.items() if not why]
    problems += [
        f"{name}: in bench/pages.py but no such URL"
        for name in (set(routes) | set(excluded)) - set(views)
    ]
    return problems


def test_every_url_name_is_timed_or_excluded_with_a_reason():
    assert coverage_problems(url_names(), pages.ROUTES, pages.EXCLUDED) == []


def test_a_new_url_name_nobody_listed_is_reported():
    views = {**url_names(), "planted:unknown": lambda request: None}
    assert coverage_problems(views, pages.ROUTES, pages.EXCLUDED) == [
        "planted:unknown: neither timed nor excluded (bench/pages.py)"
    ]


def test_a_post_only_view_that_is_timed_is_reported():
    @require_POST
    def act(request):
        return None

    views = {**url_names(), "planted:act": act}
    routes = {**pages.ROUTES, "planted:act": pages.Route(pages.CADRE, "detail", str)}
    assert coverage_problems(views, routes, pages.EXCLUDED) == [
        "planted:act: refuses a GET, exclude it as 'POST only'"
    ]


def test_a_page_excluded_as_post_only_that_answers_a_get_is_reported():
    excluded = {**pages.EXCLUDED, "cadres:list": pages.POST_ONLY}
    routes = {name: route for name, route in pages.ROUTES.items() if name != "cadres:list"}
    assert coverage_problems(url_names(), routes, excluded) == [
        "cadres:list: excluded as 'POST only' but answers a GET"
    ]


def test_a_route_that_is_gone_is_reported():
    excluded = {**pages.EXCLUDED, "planted:gone": "a page that was removed"}
    assert coverage_problems(url_names(), pages.ROUTES, excluded) == [
        "planted:gone: in bench/pages.py but no such URL"
    ]


def test_the_main_models_admin_pages_are_timed():
    for label in [
        "cadres.cadreprofile",
        "programs.proposal",
        "trainings.training",
        "cadres.forum",
        "accounts.user",
    ]:
        for view in ["changelist", "change"]:
            assert pages.admin_name(label, view) in pages.ROUTES


def test_the_signed_in_home_is_timed_as_every_persona():
    """`/` shows a signed-in person what they have to do now, not the visitor's home page:
    `make bench` times it as the visitor and as each signed-in persona, as a detail page."""
    homes = {
        route.persona: (name, route)
        for name, url_name, route in pages.timed()
        if url_name == "home"
    }
    assert sorted(homes) == sorted(pages.PERSONAS)
    assert homes[pages.ANONYMOUS][0] == "home"
    assert homes[pages.STAFF][0] == "home, signed in"
    assert {route.kind for _name, route in homes.values()} == {"detail"}
    assert {route.path for _name, route in homes.values()} == {pages.ROUTES["home"].path}


def test_every_timed_path_leads_to_its_own_url_name():
    """The path builders, fed made-up rows, build an address of the route they stand for."""

    def row(pk=1):
        return SimpleNamespace(pk=pk, public_id=uuid.uuid4())

    seed = pages.Seed(
        users={persona: row() for persona in pages.PERSONAS},
        kecamatan="64.74.01",
        kelurahan="64.74.01.1001",
        certificate_code="ABCD-EFGH-JKLM",
        extras={
            "finished": row(2),
            "draft": row(3),
            "draft_announcement": row(4),
            "kelurahan_region": SimpleNamespace(pk="64.74.01.1001"),
            "profile_type": 7,
        },
        **{
            name: row()
            for name in [
                "profile",
                "proposal",
                "training",
                "innovation",
                "forum",
                "forum_member",
                "role_assignment",
                "body",
                "field_of_work",
                "topic",
                "announcement",
                "meeting",
            ]
        },
    )
    wrong = {}
    for name, route in pages.ROUTES.items():
        assert route.persona in pages.PERSONAS, name
        found = resolve(route.path(seed).split("?")[0]).view_name
        if found != name:
            wrong[name] = found
    assert wrong == {}
