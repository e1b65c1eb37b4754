"""Small-cell suppression (server/reports/suppression.py), proved by brute force: for
each published table, every table of non-negative counts consistent with what is shown
(the counts printed, ``<3`` meaning 1 or 2, a hidden total meaning any count, and every
sum adding up) is listed; in them each ``<3`` count must take both 1 and 2, and each
hidden total at least two values. A reader who subtracts, adds or tries every
combination of the shown totals in the same row, column or sum learns nothing more.

The tables: every small table outright, and a few thousand random ones of the shapes
the reports print (rows with their totals; rows and columns with all margins; the
yearly statistics' rows tied to the contacts and the outcomes tied to the ended)."""

import itertools
import random

import pytest

from server.reports.suppression import HIDDEN, SMALL, Equation, row, shown, suppress


def solutions(values, marks, equations, fixed=None):
    """Every table consistent with what is shown (and with ``fixed``, {entry: value}),
    one at a time: a small solver that works out a sum's last open entry and tries every
    value of the others (a hidden entry may be anything from 0 to the sum of all counts)."""
    bound = sum(values.values())
    domains = {
        key: ({1, 2} if mark == SMALL else set(range(bound + 1)))
        for key, mark in marks.items()
        if mark
    }

    def terms(equation):
        return [(k, 1) for k in equation.parts] + [(k, -1) for k in equation.wholes]

    def solve(assigned):
        assigned = dict(assigned)
        progress = True
        while progress:
            progress = False
            for equation in equations:
                open_terms = [(k, s) for k, s in terms(equation) if k not in assigned]
                balance = sum(s * assigned[k] for k, s in terms(equation) if k in assigned)
                if not open_terms:
                    if balance != 0:
                        return
                elif len(open_terms) == 1:
                    key, sign = open_terms[0]
                    value = -balance * sign
                    if value not in domains[key]:
                        return
                    assigned[key] = value
                    progress = True
        free = [k for k in domains if k not in assigned]
        if not free:
            yield assigned
            return
        key = min(free, key=lambda k: len(domains[k]))
        for value in sorted(domains[key]):
            yield from solve({**assigned, key: value})

    known = {key: value for key, value in values.items() if not marks[key]}
    for key, value in (fixed or {}).items():
        if value not in domains[key]:
            return
        known[key] = value
    yield from solve(known)


def recoverable(values, marks, equations) -> list:
    """The hidden entries a reader could tell: a ``<3`` whose other value (2 for 1, 1 for
    2) no consistent table has, or a hidden total that no consistent table changes."""
    found = []
    for key, mark in marks.items():
        if not mark:
            continue
        if mark == SMALL:
            others = [{key: 3 - values[key]}]
        else:
            # Nearest first: a total one more or one less is where an answer is found.
            candidates = sorted(range(sum(values.values()) + 1), key=lambda v: abs(v - values[key]))
            others = [{key: v} for v in candidates if v != values[key]]
        if not any(next(solutions(values, marks, equations, other), None) for other in others):
            found.append(key)
    return found


def assert_nothing_recoverable(values, equations):
    marks = suppress(values, equations)
    # The truth is among the tables consistent with what is shown.
    truth = {k: v for k, v in values.items() if marks[k]}
    assert next(solutions(values, marks, equations, truth), None) is not None
    assert recoverable(values, marks, equations) == [], (values, marks)
    return marks


def rows_with_totals(cells: list[list[int]]):
    values, equations = {}, []
    for i, counts in enumerate(cells):
        for j, count in enumerate(counts):
            values[(i, j)] = count
        values[(i, "total")] = sum(counts)
        equations.append(row([(i, j) for j in range(len(counts))], (i, "total")))
    return values, equations


def with_margins(cells: list[list[int]]):
    """Rows and columns with their totals and the grand total."""
    values, equations = rows_with_totals(cells)
    columns = len(cells[0])
    for j in range(columns):
        values[("total", j)] = sum(r[j] for r in cells)
        equations.append(row([(i, j) for i in range(len(cells))], ("total", j)))
    values[("total", "total")] = sum(sum(r) for r in cells)
    equations.append(row([(i, "total") for i in range(len(cells))], ("total", "total")))
    equations.append(row([("total", j) for j in range(columns)], ("total", "total")))
    return values, equations


def statistics_shape(participant_rows, tally_rows, first_share, outcomes):
    """The yearly statistics' tables: rows of follow-ups and the like, tally rows whose
    totals add up to the first and repeat contacts, and the outcomes of those who ended
    adding up to the ended."""
    values, equations = rows_with_totals([*participant_rows, *tally_rows])
    tally_total = sum(sum(r) for r in tally_rows)
    first = min(first_share, tally_total)
    values |= {"first": first, "repeat": tally_total - first}
    start = len(participant_rows)
    tally_totals = [(i, "total") for i in range(start, start + len(tally_rows))]
    equations.append(Equation(tuple(tally_totals), ("first", "repeat")))
    for k, count in enumerate(outcomes):
        values[("outcome", k)] = count
    values["ended"] = sum(outcomes)
    equations.append(row([("outcome", k) for k in range(len(outcomes))], "ended"))
    return values, equations


# --- The rules, one by one --------------------------------------------------------------


def test_one_and_two_are_small_zero_and_three_are_shown():
    marks = suppress({"a": 0, "b": 1, "c": 2, "d": 3, "e": 250})
    assert marks == {"a": None, "b": SMALL, "c": SMALL, "d": None, "e": None}


def test_a_row_keeps_its_total_by_hiding_a_second_cell_beside_its_one_small_cell():
    values, equations = rows_with_totals([[1, 5, 7], [4, 5, 6]])
    marks = suppress(values, equations)
    assert marks[(0, 0)] == SMALL
    assert marks[(0, 1)] == HIDDEN  # the smallest count of 3 or more beside it
    assert marks[(0, 2)] is None and marks[(0, "total")] is None
    assert not any(marks[(1, k)] for k in (0, 1, 2, "total"))  # nothing hidden in row 2


def test_a_1_and_a_2_in_a_row_cover_each_other():
    # Their sum, 3, leaves either of them 1 or 2.
    values, equations = rows_with_totals([[1, 2, 5]])
    marks = suppress(values, equations)
    assert marks == {(0, 0): SMALL, (0, 1): SMALL, (0, 2): None, (0, "total"): None}


def test_a_total_over_two_small_cells_is_hidden_too_since_their_sum_would_tell():
    # 1 + 1 = 2 (or 2 + 2 = 4) with both shown as <3 would give both away; no count of
    # 3 or more is there to hide instead.
    values, equations = rows_with_totals([[1, 1, 0]])
    marks = suppress(values, equations)
    assert marks[(0, "total")] == HIDDEN
    assert marks[(0, 2)] is None  # zero is shown


def test_a_hidden_total_is_marked_hidden_even_when_it_is_small_itself():
    # 2 = 1 + <3: a total shown as <3 over a shown 1 would make the cell 1.
    values, equations = rows_with_totals([[1, 1]])
    marks = suppress(values, equations)
    assert marks == {(0, 0): SMALL, (0, 1): SMALL, (0, "total"): HIDDEN}


def test_column_totals_and_the_grand_total_follow():
    values, equations = with_margins([[1, 5], [6, 7]])
    marks = suppress(values, equations)
    assert marks[(0, "total")] == HIDDEN
    assert marks[("total", 0)] == HIDDEN
    assert marks[("total", "total")] == HIDDEN
    assert marks[(1, "total")] is None and marks[("total", 1)] is None


def test_the_contacts_are_hidden_when_a_tally_rows_total_is():
    values, equations = statistics_shape([[5, 6, 0]], [[4, 1, 3], [1, 1, 0], [10, 3, 3]], 5, [])
    marks = suppress(values, equations)
    # Row 1 keeps its total (its 3 is hidden); row 2 has nothing to hide but its total.
    assert marks[(1, 1)] == SMALL and marks[(1, 2)] == HIDDEN and marks[(1, "total")] is None
    assert marks[(2, "total")] == HIDDEN
    assert marks["first"] == marks["repeat"] == HIDDEN
    assert marks[(3, "total")] is None


def test_the_contacts_stay_when_every_tally_row_keeps_its_total():
    values, equations = statistics_shape([], [[4, 1, 3], [10, 3, 3]], 5, [])
    marks = suppress(values, equations)
    assert (marks["first"], marks["repeat"]) == (None, None)


def test_a_small_first_contact_count_hides_the_repeat_count_too():
    # Every tally row shown, 8 in all: 2 first contacts, 6 repeat; 8 - 6 would tell.
    values, equations = statistics_shape([], [[4, 4, 0]], 2, [])
    marks = suppress(values, equations)
    assert (marks["first"], marks["repeat"]) == (HIDDEN, HIDDEN)
    assert_nothing_recoverable(values, equations)


def test_the_ended_keeps_its_count_or_is_hidden_with_a_small_outcome():
    values, equations = statistics_shape([], [], 0, [1, 0, 5, 0, 0, 0])
    marks = suppress(values, equations)
    assert marks[("outcome", 0)] == SMALL
    assert marks[("outcome", 2)] == HIDDEN
    assert marks["ended"] is None
    values, equations = statistics_shape([], [], 0, [1, 0, 1, 0, 0, 0])
    marks = suppress(values, equations)
    assert marks["ended"] == HIDDEN


def test_a_whole_hidden_alone_takes_its_smallest_part_with_it():
    # ``t`` is the whole of two sums; hidden for the sake of x, y and z in one (three 1s,
    # nothing to hide instead), the other's parts would add up to it: its smaller part
    # is hidden with it.
    values = {"a": 3, "b": 0, "x": 1, "y": 1, "z": 1, "t": 3}
    equations = [row(["a", "b"], "t"), row(["x", "y", "z"], "t")]
    marks = suppress(values, equations)
    assert marks == {"a": None, "b": HIDDEN, "x": SMALL, "y": SMALL, "z": SMALL, "t": HIDDEN}
    assert_nothing_recoverable(values, equations)


def test_figures_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError):
        suppress({"a": 1, "t": 2}, [row(["a"], "t")])
    with pytest.raises(ValueError):
        suppress({"a": -1})
    with pytest.raises(KeyError):
        suppress({"a": 1}, [row(["a"], "t")])


def test_shown_prints_the_count_or_its_mark():
    assert [shown(0, None, "<3", ":"), shown(2, SMALL, "<3", ":"), shown(9, HIDDEN, "<3", ":")] == [
        0,
        "<3",
        ":",
    ]


# --- The brute force --------------------------------------------------------------------


def test_the_checker_finds_what_primary_suppression_alone_would_leak():
    """Without the secondary rules, the brute force recovers hidden cells: it is able to
    see a leak."""
    for cells in ([[1, 5]], [[1, 1, 0]], [[2, 2]]):
        values, equations = rows_with_totals(cells)
        primary = {k: SMALL if 0 < v < 3 else None for k, v in values.items()}
        assert recoverable(values, primary, equations), cells


@pytest.mark.parametrize("shape", [(1, 3), (2, 2), (1, 4), (3, 1)])
def test_every_small_table_with_row_totals(shape):
    rows, columns = shape
    for counts in itertools.product(range(4), repeat=rows * columns):
        cells = [list(counts[r * columns : (r + 1) * columns]) for r in range(rows)]
        assert_nothing_recoverable(*rows_with_totals(cells))


@pytest.mark.parametrize("shape", [(2, 2), (2, 3)])
def test_every_small_table_with_all_margins(shape):
    rows, columns = shape
    for counts in itertools.product((0, 1, 2, 4), repeat=rows * columns):
        cells = [list(counts[r * columns : (r + 1) * columns]) for r in range(rows)]
        assert_nothing_recoverable(*with_margins(cells))


def test_random_tables_with_all_margins():
    generator = random.Random(20261130)
    for _ in range(1000):
        rows, columns = generator.randint(1, 3), generator.randint(1, 4)
        cells = [
            [generator.choice((0, 0, 1, 2, 3, 5, 9)) for _ in range(columns)] for _ in range(rows)
        ]
        assert_nothing_recoverable(*with_margins(cells))


def test_random_tables_of_the_yearly_statistics_shape():
    generator = random.Random(31122026)

    def counts(n):
        return [generator.choice((0, 0, 1, 2, 3, 4, 8)) for _ in range(n)]

    for _ in range(2000):
        participant_rows = [counts(3) + [0, 0] for _ in range(generator.randint(0, 2))]
        tally_rows = [counts(5) for _ in range(generator.randint(0, 3))]
        outcomes = counts(generator.randint(0, 4))
        values, equations = statistics_shape(
            participant_rows, tally_rows, generator.randint(0, 12), outcomes
        )
        marks = assert_nothing_recoverable(values, equations)
        # Every count of 1 or 2 outside the totals is shown as <3, never as the number.
        for key, value in values.items():
            if 0 < value < 3:
                assert marks[key] in (SMALL, HIDDEN)
            if value == 0 and not isinstance(key, str) and key[1] != "total":
                assert marks[key] is None
