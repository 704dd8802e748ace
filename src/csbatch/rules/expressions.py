"""A small, safe expression language for rules that are formulas
(`counted_sales / mean(counted_sales) * weight * band('conversion_coefficient', conversion_rate)`).

Formulas are parsed with Python's own parser (`ast`, never `eval`) and accepted only if every node
is on a short list: numbers, names, + − × ÷, comparisons, `and`/`or`/`not`, `a if c else b`, and
calls of the functions in `FUNCTIONS`. `band()` takes the name of a band table as a quoted string.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable

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
    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
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
                and n.args and isinstance(n.args[0], ast.Constant)}


def parse(text: str) -> Expression:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"formula is not valid: {exc.msg}", (exc.offset or 1) - 1) from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"'{ast.unparse(node) if hasattr(node, 'lineno') else type(node).__name__}'"
                                  " is not allowed in a formula", getattr(node, "col_offset", 0))
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str)):
            raise ExpressionError(f"'{node.value!r}' is not allowed in a formula", node.col_offset)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            pass  # only valid as band()'s first argument, checked below
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
                raise ExpressionError(f"unknown function '{name}' (known: {', '.join(FUNCTIONS)})",
                                      node.col_offset)
            if node.keywords:
                raise ExpressionError("functions take no keyword arguments", node.col_offset)
            if node.func.id == "band" and not (
                    len(node.args) == 2 and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                raise ExpressionError("band() takes a quoted table name and a value", node.col_offset)
    strings = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    band_names = {id(n.args[0]) for n in ast.walk(tree)
                  if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "band"}
    for s in strings:
        if id(s) not in band_names:
            raise ExpressionError(f"text '{s.value}' is only allowed as band()'s table name",
                                  s.col_offset)
    return Expression(text.strip(), tree)


def check(text: str, known: set[str], table_exists: Callable[[str], bool]) -> list[str]:
    """Problems of a formula: syntax, disallowed constructs, unknown names and tables."""
    try:
        expr = parse(text)
    except ExpressionError as exc:
        return [str(exc)]
    out = [f"unknown name '{n}' in formula" for n in sorted(expr.names - known)]
    out += [f"band table '{t}' does not exist" for t in sorted(expr.tables) if not table_exists(t)]
    return out
