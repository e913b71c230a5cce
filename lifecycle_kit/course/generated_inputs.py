"""Generated inputs for the code exercises: a small seeded generator and shrinker, and inputs shown as code.

A code exercise's named cases are a handful of inputs; a wrong rule can pass
them all. So the checker also runs the learner's function and the reference
solution on many generated inputs and compares the results. When they
differ, the input is *shrunk* — made as small and simple as it can be while
the two still differ — and shown as Python code the learner can paste into
a cell.

How it works (the idea of Hypothesis and minithesis, in a page of code): a
generator is a function ``generate(draw)`` that builds one input from the
choices it asks :class:`Draw` for — ``draw.integer(0, 5)``,
``draw.one_of(["?", "n/a"])``, ``draw.items(make, max_size=4)``. Every choice
is recorded as a small integer, and 0 always means the simplest option (the
first of ``one_of``, the lowest integer, a list that stops here). Running the
generator again on an edited record rebuilds an edited input, so shrinking
needs no knowledge of the input at all: :func:`shrink` deletes and lowers
the recorded choices while the function still disagrees with the solution.

Why not Hypothesis itself: it is a test dependency of the kit, and the
checkers run in the learners' notebooks, offline, on 2-core laptops. This
module is small enough to read, needs nothing but the standard library,
uses its own :class:`random.Random` (no global random state of Python or
numpy is touched: a learner's own seeds are not disturbed), and is
deterministic — the same seed gives the same inputs, in the same order, on
every machine.

Examples
--------
>>> from lifecycle_kit.course.generated_inputs import Draw, generate_examples, shrink
>>> def pairs(draw):
...     return (draw.items(lambda d: d.integer(0, 9), max_size=6),)
>>> examples = generate_examples(pairs, 3, random_state=0)
>>> [args for _choices, args in examples]
[([6, 6, 0, 4, 8, 7],), ([4, 7, 5],), ([3, 8, 2, 4],)]

A "sum is below 10" rule that fails on the first input shrinks to a
much simpler input on which it still fails:

>>> def fails(choices):
...     draw = Draw(replay=choices)
...     (values,) = pairs(draw)
...     return tuple(draw.choices) if sum(values) >= 10 else None
>>> smallest = shrink(examples[0][0], fails)
>>> pairs(Draw(replay=smallest))
([5, 5],)
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Draw", "described", "generate_examples", "literal", "shrink"]

#: An input that needs more choices than this is abandoned (a generator with a runaway loop).
MAX_CHOICES = 5000


class Overrun(Exception):
    """The generator asked for more choices than :data:`MAX_CHOICES`."""


class Draw:
    """The choices a generator makes: drawn from a private random generator, or replayed from a record.

    Parameters
    ----------
    rng : random.Random, default=None
        Where new choices come from. ``None``: every choice not replayed is 0, the simplest.
    replay : sequence of int, default=()
        Recorded choices to make first (a value too large for its choice is lowered to the largest allowed).

    Attributes
    ----------
    choices : list of int
        Every choice made so far, in order: the record that rebuilds the same input.
    spans : list of (int, int)
        Where each item of :meth:`items` lies in ``choices`` (its continue choice included): the
        shrinker deletes whole items first.
    """

    def __init__(self, rng: random.Random | None = None, replay: Sequence[int] = ()) -> None:
        self._rng = rng
        self._replay = tuple(replay)
        self.choices: list[int] = []
        self.spans: list[tuple[int, int]] = []

    def _record(self, size: int, draw_new: Callable[[random.Random], int]) -> int:
        position = len(self.choices)
        if position >= MAX_CHOICES:
            raise Overrun
        if position < len(self._replay):
            value = min(max(int(self._replay[position]), 0), size - 1)
        elif self._rng is None:
            value = 0
        else:
            value = draw_new(self._rng)
        self.choices.append(value)
        return value

    def index(self, size: int, *, weights: Sequence[float] | None = None) -> int:
        """An integer in ``[0, size)``; 0 is the simplest. ``weights`` bias new draws only."""
        if size < 1:
            raise ValueError("index: size must be at least 1")
        if size == 1:
            return self._record(1, lambda rng: 0)
        if weights is None:
            return self._record(size, lambda rng: rng.randrange(size))
        return self._record(size, lambda rng: rng.choices(range(size), weights=weights)[0])

    def integer(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``; ``low`` is the simplest."""
        return low + self.index(high - low + 1)

    def boolean(self, p: float = 0.5) -> bool:
        """True with probability ``p``; False is the simplest."""
        return bool(self._record(2, lambda rng: int(rng.random() < p)))

    def one_of(self, options: Sequence[Any], *, weights: Sequence[float] | None = None) -> Any:
        """One of ``options``; the first is the simplest."""
        return options[self.index(len(options), weights=weights)]

    def items(self, make: Callable[[Draw], Any], *, min_size: int = 0, max_size: int = 5) -> list[Any]:
        """A list of ``make(draw)`` results, of a length in ``[min_size, max_size]``, uniform for new draws.

        Before each item past ``min_size`` a continue-or-stop choice is recorded, so deleting an item's
        choices from the record deletes the item (the shrinker's main move).
        """
        target = self._rng.randint(min_size, max_size) if self._rng is not None else min_size
        out: list[Any] = []
        while len(out) < max_size:
            start = len(self.choices)
            if len(out) >= min_size and not self._record(2, lambda rng: int(len(out) < target)):
                break
            out.append(make(self))
            self.spans.append((start, len(self.choices)))
        return out

    def sample(self, pool: Sequence[Any], *, min_size: int = 0, max_size: int | None = None) -> list[Any]:
        """Distinct elements of ``pool`` in a drawn order (the first elements of the pool are the simplest)."""
        remaining = list(pool)
        limit = len(remaining) if max_size is None else min(max_size, len(remaining))
        return self.items(lambda d: remaining.pop(d.index(len(remaining))), min_size=min(min_size, limit),
                          max_size=limit)


def generate_examples(generate: Callable[[Draw], tuple[Any, ...]], count: int, *,
                      random_state: int = 0) -> list[tuple[tuple[int, ...], tuple[Any, ...]]]:
    """``count`` inputs from ``generate``: ``[(choices, args)]``, the same for the same ``random_state``."""
    rng = random.Random(random_state)
    examples = []
    for _ in range(count):
        draw = Draw(rng)
        try:
            args = generate(draw)
        except Overrun:
            continue
        examples.append((tuple(draw.choices), tuple(args)))
    return examples


def _simpler(a, b):
    """Shorter records are simpler; of two records of one length, the one that is smaller in order."""
    return (len(a), a) < (len(b), b)


def shrink(choices: Sequence[int], still_fails: Callable[[tuple[int, ...]], Any], *,
           budget: int = 200) -> tuple[int, ...]:
    """The simplest record found from ``choices`` on which ``still_fails`` still answers.

    Parameters
    ----------
    choices : sequence of int
        The record of a failing input.
    still_fails : callable
        ``still_fails(record)`` rebuilds the input from ``record``, and returns the record its generator
        actually used when the input still fails (or the :class:`Draw` that rebuilt it: its item spans
        are then deleted first), else ``None``.
    budget : int, default=200
        At most this many calls of ``still_fails``: shrinking stays quick whatever the input.

    Returns
    -------
    tuple of int
    """
    best = tuple(choices)
    spans = []
    calls = 0

    def consider(candidate):
        nonlocal best, calls, spans
        candidate = tuple(candidate)
        if calls >= budget or not _simpler(candidate, best):
            return False
        calls += 1
        used = still_fails(candidate)
        if used is None:
            return False
        record = tuple(used.choices) if isinstance(used, Draw) else tuple(used)
        if not _simpler(record, best):
            return False
        best, spans = record, (list(used.spans) if isinstance(used, Draw) else [])
        return True

    first = still_fails(best)  # the spans of the items of the input as first found
    calls += 1
    if isinstance(first, Draw) and tuple(first.choices) == best:
        spans = list(first.spans)
    improved = True
    while improved and calls < budget:
        improved = False
        for start, end in sorted(spans, key=lambda span: span[0], reverse=True):  # whole items, last first
            if end <= len(best) and consider(best[:start] + best[end:]):
                improved = True
        for size in (8, 4, 2, 1):  # delete blocks of choices: removes items, characters, whole parts
            start = len(best) - size
            while start >= 0 and calls < budget:
                if consider(best[:start] + best[start + size:]):
                    improved = True
                    start = min(start, len(best) - size)
                else:
                    start -= 1
        for size in (8, 4, 2):  # set blocks to their simplest value at once
            for start in range(len(best) - size, -1, -1):
                if calls >= budget:
                    break
                if start + size <= len(best) and any(best[start:start + size]):
                    improved |= consider(best[:start] + (0,) * size + best[start + size:])
        position = 0
        while position < len(best) and calls < budget:  # lower each choice: 0 first, then halfway, then one less
            value = best[position]
            if value > 0:
                for lower in dict.fromkeys((0, value // 2, value - 1)):
                    if lower < value and consider(best[:position] + (lower,) + best[position + 1:]):
                        improved = True
                        break
            position += 1
    return best


# --- Inputs shown as code ---------------------------------------------------------------------------------------


class _DescribedStr(str):
    shown: str
    def __repr__(self):
        return self.shown

    def __reduce__(self):
        return described, (str(self), self.shown)


class _DescribedBytes(bytes):
    shown: str
    def __repr__(self):
        return self.shown

    def __reduce__(self):
        return described, (bytes(self), self.shown)


def described(value: str | bytes, shown: str) -> str | bytes:
    """``value`` (a text or bytes) that is shown as ``shown`` — how it was made rather than its characters.

    >>> signature = described("bm90IGEgcmVhbCBzaWduYXR1cmU=", "sign(manifest, steward_private_key)")
    >>> literal([signature]), signature.startswith("bm90")
    ('[sign(manifest, steward_private_key)]', True)
    """
    out: _DescribedStr | _DescribedBytes = (_DescribedStr(value) if isinstance(value, str)
                                            else _DescribedBytes(value))
    out.shown = shown
    return out


def _float_literal(value, numpy_name=None):
    if math.isnan(value):
        text = "float('nan')"
    elif math.isinf(value):
        text = "float('inf')" if value > 0 else "-float('inf')"
    else:
        text = repr(float(value))
    if numpy_name and numpy_name != "float64":
        return f"np.{numpy_name}({text})"
    return "np.nan" if numpy_name and math.isnan(value) else text


def _scalar_literal(value):
    import numpy as np
    import pandas as pd

    if value is pd.NA:
        return "pd.NA"
    if value is pd.NaT:
        return "pd.NaT"
    if isinstance(value, pd.Timestamp):
        return f"pd.Timestamp('{value}')"
    if isinstance(value, pd.Timedelta):
        return f"pd.Timedelta('{value}')"
    if isinstance(value, np.generic):
        name = type(value).__name__
        if isinstance(value, np.floating):
            return _float_literal(float(value), name)
        if isinstance(value, np.bool_):
            return f"np.{'True_' if value else 'False_'}"
        if isinstance(value, np.str_):
            return repr(str(value))
        return f"np.{name}({value.item()!r})"
    if isinstance(value, float):
        return _float_literal(value)
    return None


def _pandas_literal(value):
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        if len(value.columns) == 0:
            return "pd.DataFrame(" + _index_literal(value.index, len(value)).lstrip(", ") + ")"
        columns, rebuilt = [], {}
        for name in value.columns:
            values = value[name].tolist()
            plain = pd.DataFrame({"column": values})["column"]  # what the constructor makes of the list
            if isinstance(value[name].dtype, pd.CategoricalDtype):  # the categories too, used or not
                categories = literal(value[name].cat.categories.tolist())
                columns.append(f"{literal(name)}: pd.Categorical({literal(values)}, categories={categories})")
                rebuilt[name] = value[name]
            elif value[name].dtype == object and plain.dtype != object:  # keep None as None, not NaN
                columns.append(f"{literal(name)}: np.array({literal(values)}, dtype=object)")
                rebuilt[name] = value[name]
            else:
                columns.append(f"{literal(name)}: {literal(values)}")
                rebuilt[name] = plain
        # A Timestamp written as text has its own resolution: a datetime column always says its dtype.
        changed = {name: str(value[name].dtype) for name in value.columns
                   if rebuilt[name].dtype != value[name].dtype or value[name].dtype.kind in "mM"}
        text = "pd.DataFrame({" + ", ".join(columns) + "}" + _index_literal(value.index, len(value)) + ")"
        return text + (f".astype({changed!r})" if changed else "")
    if isinstance(value, pd.Series):
        parts = [literal(value.tolist())]
        index = _index_literal(value.index, len(value))
        if index:
            parts.append(index.lstrip(", "))
        parts.append(f"dtype={str(value.dtype)!r}")
        if value.name is not None:
            parts.append(f"name={value.name!r}")
        return f"pd.Series({', '.join(parts)})"
    return None


def _index_literal(index, length):
    import pandas as pd

    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and len(index) == length:
        return ""
    return f", index={literal(index.tolist())}"


def literal(value: object) -> str:
    """``value`` written as Python code: pandas and numpy objects as their constructors, NaN as ``float('nan')``.

    >>> import numpy as np, pandas as pd
    >>> literal([None, float("nan"), np.float32("nan"), pd.NA, pd.NaT, "?"])
    "[None, float('nan'), np.float32(float('nan')), pd.NA, pd.NaT, '?']"
    >>> literal(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}, index=[3, 5]))
    "pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']}, index=[3, 5])"
    >>> literal(pd.DataFrame({"a": np.array([1, None], dtype=object), "b": [1.5, None]}).astype({"b": "Float64"}))
    "pd.DataFrame({'a': np.array([1, None], dtype=object), 'b': [1.5, pd.NA]}).astype({'b': 'Float64'})"
    >>> literal(pd.Series([1.5, None], dtype="Float64"))
    "pd.Series([1.5, pd.NA], dtype='Float64')"
    """
    if isinstance(value, (_DescribedStr, _DescribedBytes)):
        return value.shown
    if value is None or isinstance(value, (bool, str, bytes)) or type(value) is int:
        return repr(value)
    scalar = _scalar_literal(value)
    if scalar is not None:
        return scalar
    frame = _pandas_literal(value)
    if frame is not None:
        return frame
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        if not value:
            return "set()"
        return "{" + ", ".join(sorted(literal(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)
