"""Every write goes through a service: views, admin classes and commands write nothing
themselves.

A service checks the rules, locks what two people may change at once, records the event and
sends the mail after commit (../shared/STYLE.md); a write around it loses all of that. Two
checks hold it: the source of every view, admin, form and command module is parsed for
write calls, and every admin page of the project that can add, change or delete a row must
do so through a service.
"""

import ast
import inspect
from pathlib import Path
from types import SimpleNamespace

from django.contrib import admin

from cadres.models import Body
from forkom.accounts.models import User

REPO = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("forkom", "cadres", "programs", "trainings", "dashboard")
# The modules that take requests or run commands: they call services, never write.
NOT_A_SERVICE = {"views.py", "admin.py", "forms.py", "urls.py", "context_processors.py"}
WRITE_CALLS = {
    "save",
    "delete",
    "create",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "set_password",
}
# devdata/ is left out on purpose: it loads demo and benchmark data (seed_scale writes a
# million rows with COPY) into databases nobody works in.


def direct_writes(source, name):
    """ "name:line .call()" for every write call in `source`."""
    return [
        f"{name}:{node.lineno} .{node.func.attr}()"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITE_CALLS
    ]


def modules_that_must_not_write():
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            if path.name in NOT_A_SERVICE or "commands" in path.parts:
                yield path


def test_no_view_admin_form_or_command_module_writes_a_model():
    found = []
    for path in modules_that_must_not_write():
        found += direct_writes(path.read_text(encoding="utf-8"), path.relative_to(REPO))
    assert found == [], "Write through a service instead: " + ", ".join(found)


def test_the_source_check_finds_a_planted_write():
    source = (
        "def verify(request, profile):\n"
        "    profile.status = 'verified'\n"
        "    profile.save()\n"
        "    Event.objects.create(profile=profile)\n"
    )
    assert direct_writes(source, "cadres/views.py") == [
        "cadres/views.py:3 .save()",
        "cadres/views.py:4 .create()",
    ]


def project_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_config.name.split(".")[0] in PACKAGES:
            yield model, model_admin


def _defined_here(model_admin, method):
    """The project class that defines `method`, or None when it is Django's."""
    for klass in type(model_admin).__mro__:
        if method in klass.__dict__:
            return klass if klass.__module__.split(".")[0] in PACKAGES else None
    return None


def admin_writes_around_services(superuser):
    request = SimpleNamespace(user=superuser, method="GET")
    found = []
    for model, model_admin in project_admins():
        label = f"{model._meta.label} ({type(model_admin).__name__})"
        if model_admin.has_delete_permission(request):
            found.append(f"{label} may delete rows: retire them through a service")
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            # The save happens in save_model, or in save_related once the inlines are read.
            source = "".join(
                inspect.getsource(getattr(owner, method))
                for method in ("save_model", "save_related")
                if (owner := _defined_here(model_admin, method))
            )
            if "services." not in source:
                found.append(f"{label} saves without a service")
    return found


def test_every_admin_page_saves_through_a_service(db):
    superuser = User(is_superuser=True, is_active=True, is_staff=True)
    assert admin_writes_around_services(superuser) == []


def test_the_admin_check_finds_a_plain_model_admin(db, monkeypatch):
    class PlainAdmin(admin.ModelAdmin):
        pass

    plain = PlainAdmin(Body, admin.site)
    monkeypatch.setitem(admin.site._registry, Body, plain)
    superuser = User(is_superuser=True, is_active=True, is_staff=True)
    found = admin_writes_around_services(superuser)
    assert "cadres.Body (PlainAdmin) saves without a service" in found
    assert "cadres.Body (PlainAdmin) may delete rows: retire them through a service" in found
