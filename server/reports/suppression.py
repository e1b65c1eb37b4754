"""Small-cell suppression for figures that leave Spire: no reader of a published table can
tell how many people a count of one or two is, nor work a hidden count out from the
totals printed beside it.

A table is a set of entries (counts) and the sums that tie them together: each
``Equation`` says that its parts add up to its wholes (a row's cells to the row's total;
the tally rows' totals to the first and repeat contacts). Then:

1. Primary suppression: a count from 1 to ``THRESHOLD - 1`` (1 or 2) is shown as ``<3``
   (``SMALL``). Zero is shown: nobody is behind it.
2. Secondary suppression (``HIDDEN``, shown as a mark of its own): no hidden count may
   be its total less the counts shown beside it, nor be pinned down by what the hidden
   counts of a sum add up to (two ``<3`` adding up to 2 are both 1). A sum whose wholes
   are shown keeps them when its hidden parts cover each other: one of them is a hidden
   count of 3 or more, or there are small ones of both 1 and 2. Otherwise the smallest
   count of 3 or more shown beside them is hidden too, if it is in no other sum (a row's
   cell when no column total is printed): the row keeps its total. Failing that, the
   sum's wholes are hidden, whatever their size (a ``<3`` total over a ``<3`` cell and a
   1 would give both away), and the sums they are part of follow. Where a sum's only
   hidden entry would be its single whole, the smallest of its parts is hidden with it.
   This repeats until nothing changes.

What a reader then knows is that the hidden counts of a sum add up to a number: a
``<3`` may be 1 or 2 with another hidden count of its sums one more or one less, and
every hidden count of 3 or more may be one of several numbers. The tests prove it by
brute force: every table of entries consistent with what is shown is listed, and each
``<3`` entry takes both 1 and 2 among them, each hidden total at least two values.

Pure: no database, no Flask; the report renderers use it on the figures they print.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 3
SMALL = "small"
HIDDEN = "hidden"
_RANK = {None: 0, SMALL: 1, HIDDEN: 2}


@dataclass(frozen=True)
class Equation:
    """``sum(parts) == sum(wholes)`` for the true figures."""

    parts: tuple[Hashable, ...]
    wholes: tuple[Hashable, ...]


def row(parts: Sequence[Hashable], total: Hashable) -> Equation:
    return Equation(tuple(parts), (total,))


def suppress(
    values: Mapping[Hashable, int],
    equations: Sequence[Equation] = (),
    threshold: int = THRESHOLD,
) -> dict[Hashable, str | None]:
    """The mark of every entry: None (shown as it is), ``SMALL`` or ``HIDDEN``."""
    for equation in equations:
        unknown = [k for k in (*equation.parts, *equation.wholes) if k not in values]
        if unknown:
            raise KeyError(f"entries without a value: {unknown}")
        if sum(values[k] for k in equation.parts) != sum(values[k] for k in equation.wholes):
            raise ValueError(f"the figures do not add up: {equation}")
    marks: dict[Hashable, str | None] = {
        key: SMALL if 0 < value < threshold else None for key, value in values.items()
    }
    if any(value < 0 for value in values.values()):
        raise ValueError("counts are never negative")

    def hide(key) -> bool:
        if _RANK[marks[key]] < _RANK[HIDDEN]:
            marks[key] = HIDDEN
            return True
        return False

    # How many sums each entry is in: a cell of one row only may make up for a hidden
    # cell beside it without upsetting another sum.
    membership: dict[Hashable, int] = dict.fromkeys(values, 0)
    for equation in equations:
        for key in {*equation.parts, *equation.wholes}:
            membership[key] += 1

    def covered(equation: Equation) -> bool:
        """Whether the sum's hidden parts keep each other hidden with its wholes shown:
        with a hidden part (3 or more) in no other sum, any small one may be 1 or 2 with
        it one less or one more; small ones alone when both a 1 and a 2 are among them
        (each may be the other)."""
        hidden = [k for k in equation.parts if marks[k]]
        if any(marks[k] == HIDDEN and values[k] >= 1 and membership[k] == 1 for k in hidden):
            return True
        small = {values[k] for k in hidden if marks[k] == SMALL and membership[k] == 1}
        return len(hidden) >= 2 and all(marks[k] == SMALL for k in hidden) and small == {1, 2}

    changed = True
    while changed:
        changed = False
        for equation in equations:
            hidden_parts = [k for k in equation.parts if marks[k]]
            hidden_wholes = [k for k in equation.wholes if marks[k]]
            if not hidden_parts and not hidden_wholes:
                continue
            if hidden_parts and not hidden_wholes:
                if covered(equation):
                    continue
                # Rather than the total, hide the smallest count shown beside the small
                # one (3 or more), if one is in no other sum; else the total.
                others = [
                    k
                    for k in equation.parts
                    if not marks[k] and values[k] >= 1 and membership[k] == 1
                ]
                if others:
                    changed |= hide(min(others, key=lambda k: (values[k], str(k))))
                    continue
            for whole in equation.wholes:
                changed |= hide(whole)
            if not hidden_parts and len(equation.wholes) == 1 and equation.parts:
                # The whole alone hidden: its parts would add up to it.
                smallest = min(equation.parts, key=lambda k: (values[k], str(k)))
                changed |= hide(smallest)
    return marks


def shown(value: int, mark: str | None, small: str, hidden: str) -> int | str:
    """What a file prints for an entry: the count, ``small`` (``<3``) or ``hidden``."""
    if mark == SMALL:
        return small
    if mark == HIDDEN:
        return hidden
    return value
