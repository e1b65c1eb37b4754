"""Small-cell suppression for figures that leave Spire: no reader of a published table can
tell how many people a count of one or two is, nor work a hidden count out from the
totals printed beside it.

A table is a set of entries (counts) and the sums that tie them together: each
``Equation`` says that its parts add up to its wholes (a row's cells to the row's total;
the tally rows' totals to the first and repeat contacts). Then:

1. Primary suppression: a count from 1 to ``THRESHOLD - 1`` (1 or 2) is shown as ``<3``
   (``SMALL``). Zero is shown: nobody is behind it.
2. Secondary suppression: where a sum holds a hidden entry, the sum's wholes are hidden
   too (``HIDDEN``, shown as a mark of its own, whatever their size), so that no hidden
   count is its total less the counts shown beside it. A whole is hidden this way even
   when it is 1 or 2 itself: a ``<3`` total over a ``<3`` cell and a 1 would give both
   away. Where a sum's only hidden entry would be its single whole, the smallest of its
   parts is hidden with it. This repeats until nothing changes (a hidden row total hides
   the total it is a part of, and so on up).

What a reader then knows of a sum that holds a hidden entry is that its hidden entries
add up to some hidden number: a ``<3`` cell may be 1 or 2 with its totals one more or
one less, and every hidden total may be one of several numbers. The tests prove it by
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

    changed = True
    while changed:
        changed = False
        for equation in equations:
            hidden_parts = [k for k in equation.parts if marks[k]]
            hidden_wholes = [k for k in equation.wholes if marks[k]]
            if not hidden_parts and not hidden_wholes:
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
