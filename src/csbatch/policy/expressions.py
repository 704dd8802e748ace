"""A small, safe expression language for rules that are formulas
(`counted_sales / mean(counted_sales) * weight * band('conversion_coefficient', conversion_rate)`).

Formulas are parsed with Python's own parser (`ast`, never `eval`) and accepted only if every node
is on a short list: numbers, names, + − × ÷, comparisons, `and`/`or`/`not`, `a if c else b`, and
calls of the functions in `FUNCTIONS`. `band()` takes the name of a band table as a quoted string.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from csbatch import money
from csbatch.i18n import N_, Said

if TYPE_CHECKING:
    from csbatch.policy.bands import BandTable

FUNCTIONS: dict[str, str] = {
    "min": "smallest of its arguments",
    "max": "largest of its arguments",
    "abs": "absolute value",
    "floor": "round down to a whole number",
    "mean": "mean of a measured value over the scorecard's population",
    "band": "band('table', value): the value of the band containing value",
}

_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call,
            ast.Name, ast.Constant, ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub,
            ast.UAdd, ast.Not, ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)


class ExpressionError(ValueError):
    """A formula's problem: `message` a `Said` (its English as a str), `offset` its column."""

    def __init__(self, message: Said, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Expression:
    text: str
    tree: ast.Expression

    @property
    def names(self) -> set[str]:
        called = {id(n.func) for n in ast.walk(self.tree) if isinstance(n, ast.Call)}
        return {n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and id(n) not in called}

    @property
    def tables(self) -> set[str]:
        return {n.args[0].value for n in ast.walk(self.tree)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "band"
                and n.args and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str)}


def parse(text: str) -> Expression:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(Said(N_("formula is not valid: {error}"), error=exc.msg), (exc.offset or 1) - 1) from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            written = ast.unparse(node) if hasattr(node, "lineno") else type(node).__name__
            raise ExpressionError(Said(N_("'{written}' is not allowed in a formula"), written=written),
                                  getattr(node, "col_offset", 0))
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str)):
            raise ExpressionError(Said(N_("'{written}' is not allowed in a formula"), written=repr(node.value)),
                                  node.col_offset)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            pass  # only valid as band()'s first argument, checked below
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
                raise ExpressionError(Said(N_("unknown function '{name}' (known: {known})"), name=name,
                                           known=", ".join(FUNCTIONS)), node.col_offset)
            if node.keywords:
                raise ExpressionError(Said(N_("functions take no keyword arguments")), node.col_offset)
            if node.func.id == "band" and not (
                    len(node.args) == 2 and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                raise ExpressionError(Said(N_("band() takes a quoted table name and a value")), node.col_offset)
    strings = [(n, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    band_names = {id(n.args[0]) for n in ast.walk(tree)
                  if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "band"}
    for s, written in strings:
        if id(s) not in band_names:
            raise ExpressionError(Said(N_("text '{written}' is only allowed as band()'s table name"),
                                       written=written), s.col_offset)
    return Expression(text.strip(), tree)


def check(text: str, known: set[str], table_exists: Callable[[str], bool]) -> list[Said]:
    """Problems of a formula: syntax, disallowed constructs, unknown names and tables."""
    try:
        expr = parse(text)
    except ExpressionError as exc:
        return [exc.message]
    out = [Said(N_("unknown name '{name}' in formula"), name=n) for n in sorted(expr.names - known)]
    out += [Said(N_("band table '{table}' does not exist"), table=t)
            for t in sorted(expr.tables) if not table_exists(t)]
    return out


# --- evaluation ---------------------------------------------------------------------------------

@dataclass
class Evaluation:
    """The result of a formula for every row: a value (Decimal or bool) or None (nothing to
    measure, or an error), the band hits that explain it, and per-row errors."""

    values: np.ndarray
    hits: dict[int, list[tuple[str, object, Decimal]]]   # row -> [(table, band, looked-up value)]
    errors: dict[int, str]
    missing: dict[int, set[str]]                          # row -> names that had no data
    means: dict[str, object]                              # mean(x) text -> its population mean


class _Evaluator:
    def __init__(self, env: Mapping[str, np.ndarray], n: int, tables: Callable[[str], BandTable],
                 population: np.ndarray):
        self.env = env
        self.n = n
        self.tables = tables
        self.population = population
        self.hits: dict[int, list] = {}
        self.errors: dict[int, str] = {}
        self.missing: dict[int, set[str]] = {}
        self._means: dict[str, object] = {}

    def run(self, node: ast.AST, rows: np.ndarray) -> np.ndarray:
        method = getattr(self, f"_{type(node).__name__}")
        return method(node, rows)

    # leaves
    def _Expression(self, node, rows):
        return self.run(node.body, rows)

    def _Constant(self, node, rows):
        value = node.value if isinstance(node.value, bool) else Decimal(str(node.value))
        return _full(len(rows), value)

    def _Name(self, node, rows):
        values = np.asarray(self.env[node.id], dtype=object)[rows]
        for r, v in zip(rows, values):
            if v is None:
                self.missing.setdefault(int(r), set()).add(node.id)
        return values

    # operators
    def _BinOp(self, node, rows):
        left, right = self.run(node.left, rows), self.run(node.right, rows)
        out = _full(len(rows), None)
        ok = _present(left) & _present(right)
        if isinstance(node.op, ast.Div):
            zero = ok & np.array([r == 0 for r in right], dtype=bool)
            for r in rows[zero]:
                self.errors.setdefault(int(r), f"division by zero in '{ast.unparse(node)}'")
            ok &= ~zero
        if ok.any():
            a, b = left[ok], right[ok]
            op = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply,
                  ast.Div: np.true_divide}[type(node.op)]
            out[ok] = op(a, b)
        return out

    def _UnaryOp(self, node, rows):
        operand = self.run(node.operand, rows)
        out = _full(len(rows), None)
        ok = _present(operand)
        if isinstance(node.op, ast.Not):
            out[ok] = [not v for v in operand[ok]]
        elif isinstance(node.op, ast.USub):
            out[ok] = [-v for v in operand[ok]]
        else:
            out[ok] = operand[ok]
        return out

    def _Compare(self, node, rows):
        result = _full(len(rows), True)
        left = self.run(node.left, rows)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.run(comparator, rows)
            ok = _present(left) & _present(right) & _present(result)
            fn = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
                  ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}[type(op)]
            step = _full(len(rows), None)
            step[ok] = [bool(fn(a, b)) for a, b in zip(left[ok], right[ok])]
            result = _and(result, step)
            left = right
        return result

    def _BoolOp(self, node, rows):
        values = [self.run(v, rows) for v in node.values]
        result = values[0]
        for v in values[1:]:
            result = _and(result, v) if isinstance(node.op, ast.And) else _or(result, v)
        return result

    def _IfExp(self, node, rows):
        test = self.run(node.test, rows)
        out = _full(len(rows), None)
        yes = np.array([t is True or (t is not None and bool(t)) for t in test], dtype=bool)
        no = np.array([t is not None and not bool(t) for t in test], dtype=bool)
        if yes.any():
            out[yes] = self.run(node.body, rows[yes])
        if no.any():
            out[no] = self.run(node.orelse, rows[no])
        return out

    # functions
    def _Call(self, node, rows):
        name = node.func.id
        if name == "band":
            return self._band(node.args[0].value, self.run(node.args[1], rows), rows)
        if name == "mean":
            return _full(len(rows), self._mean(node.args[0]))
        args = [self.run(a, rows) for a in node.args]
        out = _full(len(rows), None)
        ok = np.logical_and.reduce([_present(a) for a in args]) if args else np.ones(len(rows), bool)
        if name in ("min", "max"):
            pick = min if name == "min" else max
            out[ok] = [pick(vals) for vals in zip(*(a[ok] for a in args))]
        elif name == "abs":
            out[ok] = [abs(v) for v in args[0][ok]]
        elif name == "floor":
            out[ok] = [money.floor(v) for v in args[0][ok]]
        return out

    def _mean(self, arg: ast.AST):
        key = ast.unparse(arg)
        if key not in self._means:
            saved = self.missing
            self.missing = {}  # the population's gaps are not this row's
            values = self.run(arg, self.population)
            self.missing = saved
            present = [v for v in values if v is not None]
            self._means[key] = sum(present, Decimal(0)) / len(present) if present else None
        return self._means[key]

    def _band(self, table_name: str, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        from csbatch.policy.band_lookup import OutsideTable, lookup

        table = self.tables(table_name)
        out = _full(len(rows), None)
        for i, (r, v) in enumerate(zip(rows, values)):
            if v is None:
                continue
            try:
                band = lookup(table, v)
            except OutsideTable:
                self.errors.setdefault(int(r), f"{v} is outside every band of '{table_name}'")
                continue
            out[i] = band.value
            self.hits.setdefault(int(r), []).append((table_name, band, v))
        return out


def _full(n: int, value) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out[:] = [value] * n
    return out


def _present(values: np.ndarray) -> np.ndarray:
    return np.fromiter((v is not None for v in values), dtype=bool, count=len(values))


def _logic(a: np.ndarray, b: np.ndarray, dominant: bool) -> np.ndarray:
    """Three-valued `and` (dominant False) / `or` (dominant True): the dominant value on either
    side decides; otherwise a missing side (None: no data) leaves the result missing."""
    out = _full(len(a), None)
    for i, (x, y) in enumerate(zip(a, b)):
        if x is dominant or y is dominant:
            out[i] = dominant
        elif x is not None and y is not None:
            out[i] = (bool(x) or bool(y)) if dominant else (bool(x) and bool(y))
    return out


def _and(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _logic(a, b, False)


def _or(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _logic(a, b, True)


def evaluate(expr: Expression, env: Mapping[str, Sequence], n: int, *,
             tables: Callable[[str], BandTable], population: Sequence[int] | None = None) -> Evaluation:
    """Evaluate `expr` for rows 0..n-1. `env` maps each name to a length-n sequence (Decimal or
    None); `population` is the rows `mean()` averages over (default: all)."""
    arrays = {k: np.asarray(list(v), dtype=object) for k, v in env.items()}
    pop = np.arange(n) if population is None else np.asarray(list(population), dtype=int)
    ev = _Evaluator(arrays, n, tables, pop)
    values = ev.run(expr.tree, np.arange(n))
    for r in ev.errors:
        values[r] = None
    return Evaluation(values, ev.hits, ev.errors, ev.missing, ev._means)


_BAND_CALL = re.compile(r"band\('[^']*',\s*[^()]*\)")
_NAME = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def substituted(text: str, values: Mapping[str, object], means: Mapping[str, object],
                band_values: Sequence[object], show: Callable[[str, object], str]) -> str:
    """The formula with one row's numbers in place of its names (`mean(x)` and `band(...)` by
    what they evaluated to), so a person can redo the sum: `5292.85 ÷ 9650.21 × 45 × 1 × 0.4`."""
    out = " ".join(text.split())
    for arg, mean in means.items():
        out = out.replace(f"mean({arg})", show(arg, mean))
    hits = iter(band_values)
    out = _BAND_CALL.sub(lambda m: (lambda v: m.group() if v is None else show("", v))(next(hits, None)), out)
    out = _NAME.sub(lambda m: show(m.group(), values[m.group()]) if m.group() in values else m.group(), out)
    return out.replace(" * ", " × ").replace(" / ", " ÷ ")
