"""What the portal holds about a person, collected from every app (UU 27/2022).

"Data saya" (download my data) and "forget this person" (a deletion request, or the retention
period running out) must reach every table that stores something about a person, also the
tables of an app added later. So the core knows no app's columns: each app declares its part
in its own module `<app>/personal_data.py`,

    personal_data.register(
        covers=("programs.Comment.author", ...),
        export=export,   # (user) -> {"section": data, ...} for Data saya
        forget=forget,   # (Forgetting) -> None: anonymise, blank, delete files after commit
        public_id=...,   # optional (user) -> UUID | None: the id the deletion log keeps
    )

and the core collects the modules the way the admin collects `admin.py`
(`autodiscover_modules`). Sections are exported in INSTALLED_APPS order; forgetting runs in
the reverse order (the apps above first, while what they point at is still whole), in one
transaction. `covers` names every foreign key to the user or the cadre profile that the part
accounts for: tests/site/test_personal_data_registry.py fails on a key that no part covers.

Every forgetting is recorded in the deletion log (forkom/deletion_log.py), so that after a
restore of an older backup `forget_again` can forget the same people once more.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from forkom import deletion_log
from forkom.conflicts import retried_on_conflict

MODULE_NAME = "personal_data"
# An app's words for the keys of its export: by key, or by (section, key).
Labels = Mapping[str | tuple[str, str], Any]
# What stands where a forgotten person's name stood (timelines, admin history, profile).
ANONYMISED_NAME = "Kader terhapus"


@dataclass(frozen=True)
class Forgetting:
    """One person being forgotten: by whom (None: the system) and the note for their timeline."""

    user: Any
    actor: Any = None
    note: str | None = None


@dataclass(frozen=True)
class Declaration:
    app_label: str
    covers: tuple[str, ...]
    export: Callable[[Any], dict[str, Any]]
    forget: Callable[[Forgetting], None]
    public_id: Callable[[Any], UUID | None] | None = None
    # How the person reads each key of the export (Data saya as a page and a PDF): by key,
    # or by (section, key) where a key needs words of its own in one section.
    labels: Labels = field(default_factory=dict)
    # How they read a value stored as a code or a number: (section, key) -> its text.
    values: Mapping[tuple[str, str], Callable[[Any], str]] = field(default_factory=dict)
    # The sections as the person reads them, where a stored value depends on the reader
    # (a notification's subject, kept in every language); None: the export itself.
    readable: Callable[[Any], dict[str, Any]] | None = None
    # Locks the app's rows of the person (by account id) that its services take before the
    # account (cadres: the profile), so that forget_again takes them in the same order.
    lock_first: Callable[[int], None] | None = None


_declarations: dict[str, Declaration] = {}
_discovered = False


def register(
    *,
    covers: Iterable[str],
    export: Callable[[Any], dict[str, Any]],
    forget: Callable[[Forgetting], None],
    public_id: Callable[[Any], UUID | None] | None = None,
    labels: Labels | None = None,
    values: Mapping[tuple[str, str], Any] | None = None,
    readable: Callable[[Any], dict[str, Any]] | None = None,
    lock_first: Callable[[int], None] | None = None,
) -> None:
    """Declare the calling app's part; called once from `<app>/personal_data.py`.

    `values` maps a key of a section of the export ("profile", "sex") to how a person reads
    its value: the field's choices ("P" is read "Perempuan") or a function (a budget in
    Rupiah). The JSON download keeps the stored value. `labels` names a key for the page and
    the PDF everywhere ("title"), or in one section where it needs its own words
    (("training_registrations", "state"): the training's status, beside the sign-up's); the
    download keeps the keys. `readable` gives the app's sections as the page and the PDF
    show them, when a value depends on who reads it. `lock_first` locks the rows of a person
    (by account id) that the app's services lock before the person's account, for
    forget_again to take them first too."""
    module = export.__module__
    config = apps.get_containing_app_config(module)
    if config is None:
        raise LookupError(f"{module} is not inside an installed app.")
    readers = {where: _reader(how) for where, how in (values or {}).items()}
    _declarations[config.label] = Declaration(
        config.label,
        tuple(covers),
        export,
        forget,
        public_id,
        dict(labels or {}),
        readers,
        readable,
        lock_first,
    )


def choices(model: Any, name: str) -> list[tuple[Any, Any]]:
    """The choices of `model`'s field `name`: what `values` takes for a stored code."""
    return list(model._meta.get_field(name).choices or [])


def _reader(how: Any) -> Callable[[Any], str]:
    if callable(how):
        return how
    words = dict(how)  # (value, label) pairs; the labels translated when read
    return lambda value: str(words.get(value, value))


def declarations() -> list[Declaration]:
    """Every app's declaration, in INSTALLED_APPS order."""
    global _discovered
    if not _discovered:
        autodiscover_modules(MODULE_NAME)
        _discovered = True
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_declarations.values(), key=lambda declaration: order[declaration.app_label])


def export(user: Any) -> dict[str, Any]:
    """Everything stored about `user`, section by section, in app order."""
    data: dict[str, Any] = {}
    for declaration in declarations():
        data.update(declaration.export(user))
    return data


def readable_export(user: Any) -> dict[str, Any]:
    """export(user) as Data saya's page and PDF show it to the person (Declaration.readable)."""
    data: dict[str, Any] = {}
    for declaration in declarations():
        data.update((declaration.readable or declaration.export)(user))
    return data


def labels() -> dict[str | tuple[str, str], Any]:
    """Every app's words for the keys of its export, by key and by (section, key)."""
    merged: dict[str | tuple[str, str], Any] = {}
    for declaration in declarations():
        merged.update(declaration.labels)
    return merged


def label(words: Labels, section: str, key: str) -> str:
    """How the person reads `key` in `section`: the section's own words for it, else the
    key's (`words` from labels()), else the key itself."""
    found = words.get((section, key), words.get(key))
    return key.replace("_", " ").capitalize() if found is None else str(found)


def readers() -> dict[tuple[str, str], Callable[[Any], str]]:
    """Every app's way of reading the values of its export, by (section, key)."""
    merged: dict[tuple[str, str], Callable[[Any], str]] = {}
    for declaration in declarations():
        merged.update(declaration.values)
    return merged


def public_id(user: Any) -> UUID | None:
    """The person's public id, as the first app that gives one knows it (cadres: the
    profile's); None for an account without one."""
    for declaration in declarations():
        if declaration.public_id is not None:
            found = declaration.public_id(user)
            if found is not None:
                return found
    return None


@retried_on_conflict
def forget(*, actor: Any, user: Any, note: str | None = None) -> None:
    """Anonymise `user` everywhere, in one transaction: the apps above first; the deletion
    log records it in the same transaction."""
    forgetting = Forgetting(user=user, actor=actor, note=note)
    with transaction.atomic():
        public = public_id(user)
        for declaration in reversed(declarations()):
            declaration.forget(forgetting)
        deletion_log.record(user_id=user.pk, public_id=public)


@dataclass
class Reapplied:
    """What `forget_again` did with the log's entries."""

    forgotten: int = 0  # forgotten again now
    already: int = 0  # recorded as forgotten in this database already
    absent: int = 0  # no such account here: it was made after the backup
    someone_else: int = 0  # the id now names a later account (or profile): left alone


def forget_again(
    entries: Iterable[deletion_log.Entry], *, since: datetime | None = None
) -> Reapplied:
    """After a restore: forget again each person the deletion log records as forgotten (at
    `since` or later) whom this database does not record as forgotten.

    Each person in their own transaction, re-checked under the lock of their account, so
    that a second run, or two at once, forgets nobody twice. An account id that a restore
    let a newer account take (it joined after the forgetting, or its profile's public id
    differs) is left alone. The rows the apps lock before an account (`lock_first`: the
    cadre profile) are locked before it here too: a service writing on the person's behalf
    takes them in that order, and the other would deadlock with it.
    """
    done = Reapplied()
    users = get_user_model()._default_manager
    for entry in sorted(entries, key=lambda entry: entry.at):
        if since is not None and entry.at < since:
            continue
        with transaction.atomic():
            for declaration in declarations():
                if declaration.lock_first is not None:
                    declaration.lock_first(entry.user_id)
            # No key update: rows pointing at the account (a training sign-up's event) may
            # still be written by whoever holds a lock this forgetting takes next.
            user = users.select_for_update(no_key=True).filter(pk=entry.user_id).first()
            if user is None:
                done.absent += 1
            elif _names_someone_else(user, entry):
                done.someone_else += 1
            elif deletion_log.is_forgotten(user_id=user.pk, since=user.date_joined):
                done.already += 1
            else:
                forget(
                    actor=None,
                    user=user,
                    note=_("Personal data deleted again after a restore from backup."),
                )
                done.forgotten += 1
    return done


def _names_someone_else(user: Any, entry: deletion_log.Entry) -> bool:
    if user.date_joined > entry.at:
        return True
    current = public_id(user)
    return None not in (entry.public_id, current) and current != entry.public_id


def covered_keys() -> set[str]:
    """ "app_label.Model.field" of every key to a person that some declaration accounts for."""
    return {key for declaration in declarations() for key in declaration.covers}


def uncovered_keys(person_models: Iterable[Any], covered: set[str]) -> list[str]:
    """The foreign keys (and many-to-many fields) to any of `person_models` that `covered`
    does not name, as "app_label.Model.field"."""
    targets = tuple(person_models)
    missing = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if not model_field.is_relation or model_field.auto_created:
                continue
            if model_field.related_model not in targets:
                continue
            key = f"{model._meta.label}.{model_field.name}"
            if key not in covered:
                missing.append(key)
    return sorted(missing)


def forget_admin_history(*about: QuerySet[Any], title: str) -> None:
    """Admin history about these rows (the person's account, profile, roles...): its titles
    are their name or email, and change messages may quote their data."""
    condition = Q(pk__in=[])
    for rows in about:
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        condition |= Q(
            content_type=ContentType.objects.get_for_model(rows.model), object_id__in=ids
        )
    LogEntry.objects.filter(condition).update(object_repr=title, change_message="")
