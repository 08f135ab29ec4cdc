"""A row lock takes only the rows it names. On PostgreSQL, `select_for_update()` on a query that
joins (`select_related`) locks the joined rows too: an application's office, fund and round,
so every other change in the office waits for it, and two such locks taken in different orders
deadlock. Django's `of=` names the rows to lock (`of=("self",)` for the row itself).

The test reads the source: every chain of queryset calls under src/commissioning that has both
`select_for_update` and `select_related` must say `of=`, naming the file and line otherwise.
"""

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "commissioning"


def _chain(call: ast.Call) -> list[ast.Call]:
    """The calls of `a.b(...).c(...).d(...)`, outermost first."""
    calls = []
    node = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.append(node)
        node = node.func.value
    return calls


def widened_locks(source: str) -> list[int]:
    """Lines of the chains that lock with `select_for_update` and join with `select_related`
    without saying which rows to lock."""
    lines = []
    inner: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or id(node) in inner:
            continue
        calls = _chain(node)
        inner.update(id(c) for c in calls[1:])
        names = {c.func.attr for c in calls}
        if not {"select_for_update", "select_related"} <= names:
            continue
        locks = [c for c in calls if c.func.attr == "select_for_update"]
        if not all(any(k.arg == "of" for k in c.keywords) for c in locks):
            lines.append(locks[-1].lineno)
    return lines


def test_the_scan_finds_a_lock_without_of_and_passes_one_with_it():
    assert widened_locks(
        "a = (\n  Application.objects.select_for_update()\n  .select_related('office')\n"
        "  .get(pk=1)\n)\n"
        "b = Application.objects.select_related('fund').select_for_update().get(pk=1)\n"
    ) == [2, 6]
    assert not widened_locks(
        "a = Application.objects.select_for_update(of=('self',)).select_related('office').get()\n"
        "b = Application.objects.select_for_update().get(pk=1)\n"
        "c = Application.objects.select_related('office').get(pk=1)\n"
    )


def test_every_lock_that_joins_names_the_rows_it_locks():
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for line in widened_locks(path.read_text()):
            found.append(f"{path.relative_to(SOURCE)}:{line}")
    assert not found, (
        "select_for_update() with select_related() locks the joined rows too on PostgreSQL; "
        'say which with of=("self",) (or the relations meant): ' + ", ".join(found)
    )
