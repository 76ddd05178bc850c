"""No 500 on bad input, and a refused request changes nothing (issue 12).

Each persona opens every page of the site it may open (and, for Dinas staff and a superuser,
every admin add, change and list page), reads every form on it as a browser would, and
sends each form back (the superuser: the admin's forms and list parameters that the kota's
Dinas staff do not sweep) with one field at a time replaced by a hostile value: a NUL byte,
10,000 characters, 2^63, 40 digits, a negative number, an empty value, an unknown choice,
emoji and Arabic script, and bytes that are not UTF-8. Search and filter forms get the same
values in the query string, and so does each parameter a page links to (filters, sorting,
pages) and each of a list's usual ones (page, q, o, p) that the page reads.

Every answer must be below 500. An answer that refuses (a 4xx, or the form shown again with
its errors) must leave every table as it was.
"""

import re
import sys
import time
import uuid
from contextlib import contextmanager
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.core.handlers import wsgi
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user
from tests.site.test_authorization_matrix import LIST_ROUTES, OBJECT_ROUTES
from tests.site.worlds import persona_user, tracked_models, with_totp

HOSTILE = [
    "\x00",
    "x" * 10_000,
    str(2**63),
    "9" * 40,
    "-1",
    "",
    "tidak-ada-pilihan-ini",
    "😀🇮🇩 مرحبا",
]
# In the query string, where a value is one of a list or a number (filters, sorting, pages).
QUERY_VALUES = ["\x00", "9" * 40, "-1", "tidak-ada-pilihan-ini"]
# Forms that end the persona's session or its second factor: fuzzing them would only sign
# the persona out of the rest of the sweep (they are allauth's own, tested there).
SKIPPED_ACTIONS = (
    "/akun/logout/",
    "/admin/logout/",
    "/akun/2fa/totp/deactivate/",
    "/i18n/setlang/",
)
LIST_PARAMETERS = {"page", "q", "o", "p"}
# The admin's add and change forms: the query string of a list means nothing to them.
ADMIN_FORMS = ("/add/", "/change/")
# A read of personal data is logged (who saw a full NIK); that is a record, not a change.
NOT_A_CHANGE = {"sessions.session", "cadres.personaldataview"}


class Forms(HTMLParser):
    """The forms of a page as a browser would send them: each field with its current value."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href", "").startswith("?"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": {},
                "names": [],
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            self._form["names"].append(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].setdefault(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"][name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self._form["names"].append(name)
            self._form["fields"].setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["names"].append(name)
            self._form["fields"][name] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def snapshot(models=None):
    return {
        model._meta.label_lower: sorted(
            model._default_manager.values_list(*[f.attname for f in model._meta.concrete_fields])
        )
        for model in models or tracked_models()
        if model._meta.label_lower not in NOT_A_CHANGE
    }


def written_models(statements):
    """The models whose tables the statements write (a statement names its table quoted)."""
    return [
        model
        for model in tracked_models()
        if any(f'"{model._meta.db_table}"' in sql for sql in statements)
    ]


def shows_errors(response):
    """The form came back with its errors (a refusal on the page itself)."""
    if response.status_code != 200 or response.context is None:
        return False
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        for key, value in context.flatten().items():
            errors = value if key == "errors" else getattr(value, "errors", None)
            if errors and not callable(errors):
                return True
    return False


class Sweep:
    def __init__(self, client):
        self.client, self.requests, self.posts, self.failures = client, 0, 0, []
        self.before = snapshot()

    def send(self, method, url, data=None, **extra):
        writes = []

        def watch(execute, sql, params, many, context):
            statement = sql.lstrip().upper()
            kept = "SESSION" in statement or "FORKOM_CACHE" in statement
            if statement.startswith(("INSERT", "UPDATE", "DELETE")) and not kept:
                writes.append(sql)
            return execute(sql, params, many, context)

        # Each request in a savepoint: what it wrote is undone after it, so the tables are
        # the same before every request and need no new snapshot after one accepted.
        savepoint = transaction.savepoint_create()
        with connection.execute_wrapper(watch):
            response = getattr(self.client, method)(url, data, **extra)
        self.requests += 1
        status = response.status_code
        if method == "post":
            self.posts += 1
        if status >= 500:
            self.failures.append((method.upper(), url, short(data), status))
            transaction.savepoint_rollback(savepoint)  # also a transaction the error broke
        elif not writes:
            # Nothing written but the session and the cache, which the next request reads.
            transaction.savepoint_commit(savepoint)
        else:
            if 400 <= status < 500 or shows_errors(response):
                after = snapshot(written_models(writes))
                changed = sorted(label for label in after if after[label] != self.before[label])
                if changed:
                    self.failures.append((method.upper(), url, short(data), status, changed))
            transaction.savepoint_rollback(savepoint)
        return response


def short(data):
    if not isinstance(data, dict):
        return data if data is None else repr(data)[:80]
    return {key: (value[:20] if isinstance(value, str) else value) for key, value in data.items()}


def pages_of(worlds, persona):
    """Every page of the site for the persona's own world, and the admin's for staff."""
    bontang = worlds["bontang"]
    urls = [reverse(name, kwargs=kwargs) for name, kwargs in LIST_ROUTES.items()]
    urls += [reverse(name, kwargs=kwargs(bontang)) for name, kwargs in OBJECT_ROUTES.items()]
    urls += [
        reverse("cadres:register"),
        reverse("cadres:register_assisted"),
        reverse("cadres:consent"),
        reverse("programs:create"),
        reverse("programs:innovation_record"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    ]
    if persona in ("kota_staff", "superuser"):
        for model in admin.site._registry:
            info = model._meta.app_label, model._meta.model_name
            urls.append(reverse("admin:{}_{}_changelist".format(*info)))
            urls.append(reverse("admin:{}_{}_add".format(*info)))
            pks = bontang.rows.get(model) or ()
            if pks:
                urls.append(reverse("admin:{}_{}_change".format(*info), args=[min(pks)]))
    return urls


class ReadQuery(QueryDict):
    """A request's query string that notes which names the site reads from it: by name
    ([], get, which reads through [], getlist, in), or every name at once (iterating it, as
    the admin's lists do)."""

    names: set[str] = set()
    everything = False

    def __getitem__(self, key):
        ReadQuery.names.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        ReadQuery.names.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        ReadQuery.names.add(key)
        return super().__contains__(key)

    def _every_name(self, method, *args):
        # Not a reading of what the names mean: QueryDict copying or re-encoding itself (a
        # page's links that keep its query string), and the check that refuses a NUL in
        # any name or value before any page (forkom.middleware), which every name's first
        # hostile value meets.
        caller = sys._getframe(2).f_code
        where = caller.co_filename.replace("\\", "/")
        if not (
            where.endswith("django/http/request.py")
            or (where.endswith("forkom/middleware.py") and caller.co_qualname == "_texts")
        ):
            ReadQuery.everything = True
        return getattr(super(), method)(*args)

    def __iter__(self):
        return self._every_name("__iter__")

    def keys(self):
        return self._every_name("keys")

    def items(self):
        return self._every_name("items")

    def lists(self):
        return self._every_name("lists")

    def values(self):
        return self._every_name("values")

    def dict(self):
        return self._every_name("dict")


@contextmanager
def list_parameters_read():
    """Yields the set of the usual list parameters (page, q, o, p) that the request made in
    the block reads from its query string, filled when the block ends: a page that reads
    none of them answers each the same as without it."""
    ReadQuery.names, ReadQuery.everything = set(), False
    read = set()
    with mock.patch.object(wsgi, "QueryDict", ReadQuery):
        yield read
    read |= LIST_PARAMETERS if ReadQuery.everything else LIST_PARAMETERS & ReadQuery.names


# An admin list's actions form: Django's ActionForm, the same on every list.
CHANGELIST = re.compile(r"^/admin/[^/]+/[^/]+/$")


def form_key(form):
    """What makes two forms one for the sweep: the method, the address and the field names.
    The actions form of every admin list is one: with its action left at "---------", as
    the sweep leaves each field but one, or with a hostile one, no action runs, and the
    same ActionForm refuses it on every list (a list's own fields, when it has any, make
    its form another)."""
    path = urlsplit(form["action"]).path
    names = tuple(sorted(form["names"]))
    if CHANGELIST.match(path) and {"action", "_selected_action"} <= set(names):
        path = "/admin/<list>/"
    return form["method"], path, names


def read_page(url, response):
    """The page's forms, each with the address it is sent to, and its links."""
    parser = Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        form["action"] = urljoin(url, form["action"]) if form["action"] else url
    return parser


def query_names(url, parser, read):
    """The query parameters the page itself links to (filters, sorting, pages), and those of
    the usual ones (search, sorting, page) that it reads; the admin's forms read their query
    string only as the initial values of their fields."""
    names = {name for link in parser.links for name, _ in parse_qsl(link[1:])}
    if not (url.startswith("/admin/") and url.endswith(ADMIN_FORMS)):
        names |= read
    return names


def admin_of_kota_staff(worlds):
    """The admin pages that the kota's Dinas staff open, with the query parameters their sweep
    sends each, and the forms on them by form_key. Their sweep sends each its hostile
    values; the superuser's leaves them out and sweeps the admin's pages, parameters and
    forms that only a superuser opens, or opens with other fields. The same page reads a
    parameter, and the same form with the same fields cleans a value, the same way for both:
    only the rows a list shows or a choice may name differ."""
    staff = Client()
    staff.force_login(persona_user(worlds, "kota_staff"))
    pages, keys = {}, set()
    for url in pages_of(worlds, "kota_staff"):
        if not url.startswith("/admin/"):
            continue
        with list_parameters_read() as read:
            response = staff.get(url)
        if response.status_code != 200:
            continue
        parser = read_page(url, response)
        pages[url] = query_names(url, parser, read)
        keys.update(form_key(form) for form in parser.forms)
    return pages, keys


def fuzz_persona(client, worlds, persona):
    if persona == "superuser":
        user = with_totp(make_user("super@forkom.test", is_superuser=True, is_staff=True))
    else:
        user = persona_user(worlds, persona)
    if user is not None:
        client.force_login(user)
    # Before the sweep's snapshot: signing the staff in writes their last sign-in.
    staff_pages, covered = admin_of_kota_staff(worlds) if persona == "superuser" else ({}, set())
    sweep = Sweep(client)
    forms = []
    for url in pages_of(worlds, persona):
        with list_parameters_read() as read:
            response = sweep.send("get", url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = read_page(url, response)
        forms += parser.forms
        # The kota's Dinas staff send the same admin page the parameters they see too.
        for name in sorted(query_names(url, parser, read) - staff_pages.get(url, set())):
            for value in QUERY_VALUES:
                sweep.send("get", f"{url}?{urlencode({name: value})}")
    seen = covered
    for form in forms:
        path = urlsplit(form["action"]).path
        if path.endswith(SKIPPED_ACTIONS) or path.startswith(SKIPPED_ACTIONS):
            continue
        key = form_key(form)
        if key in seen:
            continue
        seen.add(key)
        names = [name for name in dict.fromkeys(form["names"]) if name != "csrfmiddlewaretoken"]
        # Every value in every field at once, then field by field (the admin's long forms
        # with the values that broke something before: NUL, 2^63, 10,000 characters).
        for value in HOSTILE:
            data = {**form["fields"], **dict.fromkeys(names, value)}
            sweep.send("post" if form["method"] == "post" else "get", form["action"], data)
        per_field = HOSTILE[:3] if path.startswith("/admin/") else HOSTILE[:5]
        for name in names:
            for value in per_field:
                data = dict(form["fields"])
                data[name] = value
                if name != "token":
                    data.setdefault("token", str(uuid.uuid4()))
                sweep.send("post" if form["method"] == "post" else "get", form["action"], data)
        if form["method"] == "post":
            # Bytes that are not UTF-8, in every field at once.
            body = "&".join(f"{name}=%FF%FE%00" for name in form["names"]).encode()
            sweep.send(
                "post",
                form["action"],
                body,
                content_type="application/x-www-form-urlencoded",
            )
    if user is not None:
        # A form that signed the persona out (the admin's logout, before it was skipped)
        # would leave every later form answered by the sign-in page, and nothing swept.
        signed_in = client.session.get(SESSION_KEY)
        assert signed_in == str(user.pk), f"a form of the sweep signed {persona} out"
    return sweep


PERSONAS = [
    "anonymous",
    "cadre",
    "kelurahan_officer",
    "kecamatan_officer",
    "coordinator",
    "kota_staff",
    "superuser",
]


@pytest.mark.fuzz
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_form_or_parameter_answers_a_500_and_a_refusal_changes_nothing(client, worlds, persona):
    started = time.monotonic()
    sweep = fuzz_persona(client, worlds, persona)
    assert sweep.failures == [], "\n".join(map(str, sweep.failures[:30]))
    # The sweep reached forms: a persona's pages broken would leave nothing to fuzz.
    assert sweep.requests > 200
    took = time.monotonic() - started
    print(f"\n{persona}: {sweep.requests} requests ({sweep.posts} posts) in {took:.1f} s")


def test_the_sweep_sends_a_page_only_the_list_parameters_it_reads(client, bontang):
    """The page, q, o and p parameters go to the pages that read them: a list that pages,
    the admin's lists (which read every parameter); not a page that reads none. The check
    that refuses a NUL reads every name of every request, and is not counted."""
    with list_parameters_read() as read:
        assert client.get(reverse("trainings:list")).status_code == 200
    assert read == {"page"}
    with list_parameters_read() as read:
        assert client.get(reverse("home")).status_code == 200
    assert read == set()
    client.force_login(with_totp(make_user(is_superuser=True, is_staff=True)))
    with list_parameters_read() as read:
        assert client.get(reverse("admin:cadres_body_changelist")).status_code == 200
    assert read == LIST_PARAMETERS
