"""A row lock takes the row it is for, not the rows joined to read it.

`select_for_update()` beside `select_related()` locks every joined row on PostgreSQL: the
kelurahan's region row, the user's account, the meeting. Locked FOR UPDATE, a region row
stops every insert that refers to it (a cadre registering there, a proposal) until the
lock ends, and an account row waits for the person's own login. So a locking query that
also joins names its own table: `select_for_update(of=("self",))`. The source of every
module is parsed for such chains.
"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("forkom", "cadres", "programs", "trainings", "dashboard", "devdata")


def chain(node):
    """The calls of a method chain, outermost first: a.b().c().d() gives d, c, b."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        yield node
        node = node.func.value


def locks_joined_rows(source, name):
    found = []  # a chain's inner calls are chains too: the set keeps each lock once
    for node in ast.walk(ast.parse(source)):
        calls = {call.func.attr: call for call in chain(node)}
        lock = calls.get("select_for_update")
        if (
            lock is not None
            and "select_related" in calls
            and not any(keyword.arg == "of" for keyword in lock.keywords)
        ):
            found.append(f"{name}:{lock.lineno}")
    return sorted(set(found))


def test_no_lock_takes_the_rows_it_joins():
    found = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found += locks_joined_rows(path.read_text(), str(path.relative_to(REPO)))
    assert not found, "select_for_update() with select_related() but no of=:\n" + "\n".join(found)


def test_the_check_finds_a_lock_that_takes_joined_rows():
    source = """
locked = Profile.objects.select_for_update().select_related("user").get(pk=1)
narrow = Profile.objects.select_for_update(of=("self",)).select_related("user").get(pk=1)
alone = Profile.objects.select_for_update().get(pk=1)
"""
    assert locks_joined_rows(source, "m.py") == ["m.py:2"]
