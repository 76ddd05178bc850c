"""What stock Django costs on this machine: `make bench-stock`.

Issue 18 reads every page against a baseline: the visitor's pages against the trivial view
(`/livez`), signed-in pages against the signed-in floor (a signed-in page with no work of its
own). This measures the same ratios for a project that `django-admin startproject` would
make, with nothing of ours: the settings, middleware and context processors of Django's
project template, database sessions, one model (`Item`: a name, a number, a flag, a date)
registered in the admin with a ModelAdmin of three lines, and 10,000 rows of it. Django's
own views and templates do the work, so the figures say what the framework itself asks
before any page of the portal adds its own, on the same machine, Python and PostgreSQL as
`make bench`.

Timed through Django's test client in this process, DEBUG off (cached templates), as
`make bench` times the portal's pages: warm-up requests, then interleaved rounds of every
page so that a noisy minute touches them all alike; the median of each page's requests.

    .venv/bin/python bench/stock_django.py [--requests 200] [--rounds 5] [--rows 10000]

BENCH_STOCK_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/forkom_bench_stock) is
made afresh for the run and dropped at its end: its name must start with forkom_bench_stock. Exit
status 2 when the benchmark cannot run; it has no goal of its own and otherwise exits 0.
"""

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/forkom_bench_stock"
DATABASE_PREFIX = "forkom_bench_stock"

# The one app of the stock project: a model and its admin as the tutorial writes them.
APP_FILES = {
    "stock/__init__.py": "",
    "stock/models.py": """
        from django.db import models
        from django.urls import reverse


        class Item(models.Model):
            name = models.CharField(max_length=100)
            number = models.IntegerField(default=0)
            is_active = models.BooleanField(default=True)
            created_at = models.DateTimeField()

            class Meta:
                ordering = ["name", "pk"]
                # A page of the list is read from the index, not by sorting every row: the
                # figures are the framework's, not a sort's.
                indexes = [models.Index(fields=["name", "id"])]

            def __str__(self):
                return self.name

            def get_absolute_url(self):
                return reverse("item", args=[self.pk])
    """,
    "stock/admin.py": """
        from django.contrib import admin

        from stock.models import Item


        @admin.register(Item)
        class ItemAdmin(admin.ModelAdmin):
            list_display = ["name", "number", "is_active", "created_at"]


        class FilteredItem(Item):
            class Meta:
                proxy = True
                verbose_name = "filtered item"


        @admin.register(FilteredItem)
        class FilteredItemAdmin(ItemAdmin):
            # The changelist with what staff usually get: filters, search, dates.
            list_filter = ["is_active", "created_at"]
            search_fields = ["name"]
            date_hierarchy = "created_at"


        class FewItem(Item):
            class Meta:
                proxy = True
                verbose_name = "few item"


        @admin.register(FewItem)
        class FewItemAdmin(ItemAdmin):
            # A short list, as the admin's lists of bodies, fields of work and topics.
            def get_queryset(self, request):
                return super().get_queryset(request).filter(number__lt=2)
    """,
    "stock/views.py": """
        from django.contrib.auth.decorators import login_required
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.http import HttpResponse
        from django.shortcuts import render
        from django.views.generic import DetailView, ListView

        from stock.models import Item


        def trivial(request):
            return HttpResponse("ok")


        @login_required
        def floor(request):
            return render(request, "stock/floor.html")


        class ItemList(ListView):
            model = Item
            paginate_by = 25
            template_name = "stock/list.html"


        class ItemDetail(DetailView):
            model = Item
            template_name = "stock/detail.html"


        class SignedInItemList(LoginRequiredMixin, ItemList):
            pass


        class SignedInItemDetail(LoginRequiredMixin, ItemDetail):
            pass
    """,
    "stock/urls.py": """
        from django.contrib import admin
        from django.urls import path

        from stock import views

        urlpatterns = [
            path("livez", views.trivial),
            path("floor/", views.floor),
            path("items/", views.ItemList.as_view()),
            path("items/<int:pk>/", views.ItemDetail.as_view(), name="item"),
            path("mine/", views.SignedInItemList.as_view()),
            path("mine/<int:pk>/", views.SignedInItemDetail.as_view()),
            path("admin/", admin.site.urls),
        ]
    """,
    "stock/templates/stock/base.html": """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <title>{% block title %}{% endblock %}</title></head>
        <body>
        <nav>{% if user.is_authenticated %}{{ user.get_username }}
        {% else %}<a href="/admin/login/">Sign in</a>{% endif %}</nav>
        <main>{% block content %}{% endblock %}</main>
        </body></html>
    """,
    "stock/templates/stock/floor.html": """
        {% extends "stock/base.html" %}
        {% block title %}Signed in{% endblock %}
        {% block content %}<p>Hello.</p>{% endblock %}
    """,
    "stock/templates/stock/list.html": """
        {% extends "stock/base.html" %}
        {% block title %}Items{% endblock %}
        {% block content %}
        <ul>{% for item in object_list %}
          <li><a href="{{ item.get_absolute_url }}">{{ item.name }}</a>
            {{ item.number }} {{ item.created_at|date:"j F Y" }}</li>
        {% endfor %}</ul>
        {% if page_obj.has_next %}
          <a href="?page={{ page_obj.next_page_number }}">next</a>
        {% endif %}
        <p>Page {{ page_obj.number }} of {{ paginator.num_pages }}</p>
        {% endblock %}
    """,
    "stock/templates/stock/detail.html": """
        {% extends "stock/base.html" %}
        {% block title %}{{ object.name }}{% endblock %}
        {% block content %}
        <h1>{{ object.name }}</h1>
        <dl><dt>Number</dt><dd>{{ object.number }}</dd>
        <dt>Active</dt><dd>{{ object.is_active|yesno }}</dd>
        <dt>Created</dt><dd>{{ object.created_at|date:"j F Y H:i" }}</dd></dl>
        {% endblock %}
    """,
}


class BenchError(Exception):
    pass


def write_app(root: Path) -> None:
    for name, text in APP_FILES.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip())


def fresh_database(database_url: str) -> dict:
    parts = urlsplit(database_url)
    name = parts.path.strip("/")
    if parts.scheme not in {"postgres", "postgresql"} or not name.startswith(DATABASE_PREFIX):
        raise BenchError(
            f"BENCH_STOCK_DATABASE_URL must be postgres://user@host:port/{DATABASE_PREFIX}...: "
            "the database is dropped and made afresh"
        )
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        raise BenchError(f"cannot reach PostgreSQL at {parts.netloc}: {error}") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": parts.username or "",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # As the portal's: persistent connections with a health check per request.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


def configure(database: dict) -> None:
    """The settings of Django's project template, DEBUG off, on `database`."""
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="stock-bench-" + "x" * 50,
        ALLOWED_HOSTS=["testserver"],
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.staticfiles",
            "stock",
        ],
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        ROOT_URLCONF="stock.urls",
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ],
                },
            },
        ],
        DATABASES={"default": database},
        MIGRATION_MODULES={"stock": None},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        LANGUAGE_CODE="en-us",
        TIME_ZONE="UTC",
        USE_I18N=True,
        USE_TZ=True,
        STATIC_URL="static/",
        LOGGING_CONFIG=None,
    )


def seed(rows: int):
    from datetime import UTC, datetime, timedelta

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from stock.models import Item  # type: ignore[import-not-found]  # written by this script

    call_command("migrate", run_syncdb=True, verbosity=0)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    Item.objects.bulk_create(
        (
            Item(
                name=f"Item {index:05d}",
                number=index % 997,
                is_active=index % 7 != 0,
                created_at=start + timedelta(hours=index),
            )
            for index in range(rows)
        ),
        batch_size=5000,
    )
    # Stock Django's user (a username), not the portal's, which mypy reads from its settings.
    admin = get_user_model().objects.create_superuser(  # type: ignore[call-arg]
        "admin", "admin@example.org", "x"
    )
    return admin, Item.objects.order_by("pk")[rows // 2]


def pages(item) -> list[tuple[str, str, str, bool]]:
    """(name, path, what it is, signed in): the baseline first, then what is read against it."""
    change = f"/admin/stock/item/{item.pk}/change/"
    return [
        ("trivial", "/livez", "trivial view: HttpResponse('ok')", False),
        ("public list", "/items/?page=3", "ListView, 25 rows, a base template", False),
        ("public detail", f"/items/{item.pk}/", "DetailView, a base template", False),
        ("floor", "/floor/", "signed-in floor: login_required, a base template", True),
        ("signed-in list", "/mine/?page=3", "the same ListView, login required", True),
        ("signed-in detail", f"/mine/{item.pk}/", "the same DetailView, login required", True),
        ("admin floor", "/admin/password_change/done/", "admin page with no work", True),
        ("admin index", "/admin/", "admin index, two apps", True),
        ("changelist, short", "/admin/stock/fewitem/", "changelist, about 20 rows", True),
        ("changelist", "/admin/stock/item/", "changelist, 100 rows, 4 columns", True),
        (
            "changelist, filtered",
            "/admin/stock/filtereditem/",
            "changelist, 100 rows, 2 filters, search, date hierarchy",
            True,
        ),
        ("change form", change, "change form, 4 fields", True),
        ("history", f"/admin/stock/item/{item.pk}/history/", "history, no entries", True),
    ]


def measure(client, path: str, requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise BenchError(f"{path} answered {response.status_code}")
    return times


def run(arguments) -> None:
    database_url = os.environ.get("BENCH_STOCK_DATABASE_URL") or DEFAULT_DATABASE_URL
    database = fresh_database(database_url)
    root = Path(tempfile.mkdtemp(prefix="forkom-stock-"))
    write_app(root)
    sys.path.insert(0, str(root))
    configure(database)
    import django

    django.setup()
    try:
        measure_pages(arguments)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(database_url)


def drop_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(parts.path.strip("/")))
        )


def measure_pages(arguments) -> None:
    import django
    from django.db import connection
    from django.test import Client

    admin, item = seed(arguments.rows)
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(admin)
    listed = pages(item)
    for _name, path, _what, signed in listed:
        measure(signed_in if signed else anonymous, path, 20)
    times: dict[str, list[float]] = {name: [] for name, *_ in listed}
    per_round = max(arguments.requests // arguments.rounds, 1)
    for _ in range(arguments.rounds):
        for name, path, _what, signed in listed:
            times[name] += measure(signed_in if signed else anonymous, path, per_round)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"Stock Django {django.get_version()}, Python {sys.version.split()[0]}, "
        f"PostgreSQL {server}, {os.cpu_count()} cores; {arguments.rows:,} items; "
        f"{arguments.rounds} rounds of {per_round} requests per page after 20 to warm up "
        "(test client, DEBUG off). Ratio: the baseline's median over the page's, the "
        "trivial view for the visitor's pages, the signed-in floor for the others.\n"
    )
    medians = {name: statistics.median(values) for name, values in times.items()}
    print("| page | what | median | p95 | vs baseline |")
    print("| --- | --- | --- | --- | --- |")
    for name, path, what, signed in listed:
        baseline = medians["floor" if signed else "trivial"]
        ordered = sorted(times[name])
        p95 = ordered[min(int(len(ordered) * 0.95), len(ordered) - 1)]
        print(
            f"| {name} `{path}` | {what} | {medians[name]:.2f} ms | {p95:.2f} ms "
            f"| {baseline / medians[name]:.2f} |"
        )
    print(
        f"\nThe signed-in floor against the trivial view: "
        f"{medians['trivial'] / medians['floor']:.2f}; the admin's page with no work "
        f"against it: {medians['floor'] / medians['admin floor']:.2f}."
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per page (default 200)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved (default 5)")
    parser.add_argument("--rows", type=int, default=10_000, help="items (default 10,000)")
    arguments = parser.parse_args(argv)
    try:
        run(arguments)
    except BenchError as error:
        print(f"bench-stock: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
