"""A safe arithmetic expression language for derived variables (no ``eval``).

The text is parsed by Python's :mod:`ast` and walked against a whitelist: column names,
numbers, ``+ - * / **``, unary ``-``/``+``, parentheses and the functions in :data:`FUNCTIONS`.
Anything else is rejected with a one-line message. Evaluation is vectorised over patients; a
missing input gives a missing result, a division by zero or a value outside a function's domain
(log of a non-positive value, square root of a negative one, an infinite power) gives a missing
value counted per patient.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

ArrayFn = Callable[..., np.ndarray]

#: Functions an expression may call, with their number of arguments (None: two or more).
FUNCTIONS: dict[str, int | None] = {
    "log": 1,
    "log2": 1,
    "log10": 1,
    "log1p": 1,
    "exp": 1,
    "sqrt": 1,
    "abs": 1,
    "min": None,
    "max": None,
}

_UNARY: dict[str, ArrayFn] = {
    "log": np.log,
    "log2": np.log2,
    "log10": np.log10,
    "log1p": np.log1p,
    "exp": np.exp,
    "sqrt": np.sqrt,
    "abs": np.abs,
}

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


class ExpressionError(ValueError):
    """An expression that is not allowed or cannot be parsed (one-line message)."""


def parse(text: str) -> ast.expr:
    """Parse ``text`` and check every node against the whitelist; return the expression tree."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse '{text}': {exc.msg}") from exc
    _check(tree.body)
    return tree.body


def names(tree: ast.expr) -> list[str]:
    """The column names an expression uses, in order of first appearance."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Name) and node.id not in found:
            found.append(node.id)
        elif isinstance(node, ast.Call):  # the function's name is not a column
            for arg in node.args:
                visit(arg)
        else:
            for child in ast.iter_child_nodes(node):
                visit(child)

    visit(tree)
    return found


def _check(node: ast.expr) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"only numbers are allowed as constants, not {node.value!r}")
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise ExpressionError(f"function '{node.id}' must be called, e.g. {node.id}(x)")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")
        _check(node.left)
        _check(node.right)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")
        _check(node.operand)
    elif isinstance(node, ast.Call):
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            shown = func.id if isinstance(func, ast.Name) else ast.unparse(func)
            allowed = ", ".join(FUNCTIONS)
            raise ExpressionError(f"function '{shown}' is not allowed (allowed: {allowed})")
        if node.keywords:
            raise ExpressionError(f"function '{func.id}' takes no keyword arguments")
        arity = FUNCTIONS[func.id]
        if arity is not None and len(node.args) != arity:
            raise ExpressionError(f"function '{func.id}' takes {arity} argument(s)")
        if arity is None and len(node.args) < 2:
            raise ExpressionError(f"function '{func.id}' takes two or more arguments")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise ExpressionError("argument unpacking (*) is not allowed")
            _check(arg)
    else:
        raise ExpressionError(f"'{ast.unparse(node)}' is not allowed ({type(node).__name__})")


@dataclass
class Evaluation:
    """Values of an evaluated expression and the patients who lost a value to arithmetic."""

    values: np.ndarray
    division_by_zero: np.ndarray
    invalid: np.ndarray


def evaluate(tree: ast.expr, columns: Mapping[str, np.ndarray], n: int) -> Evaluation:
    """Evaluate a checked tree over ``n`` patients; ``columns`` maps names to float arrays."""
    state = Evaluation(np.empty(0), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
    with np.errstate(all="ignore"):
        values = _eval(tree, columns, n, state)
    state.values = np.where(np.isfinite(values), values, np.nan)
    return state


def _eval(node: ast.expr, columns: Mapping[str, np.ndarray], n: int, st: Evaluation) -> np.ndarray:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # checked by parse()
        return np.full(n, float(node.value))
    if isinstance(node, ast.Name):
        return np.asarray(columns[node.id], dtype=float)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, columns, n, st)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, columns, n, st)
        right = _eval(node.right, columns, n, st)
        known = np.isfinite(left) & np.isfinite(right)
        if isinstance(node.op, ast.Div):
            zero = known & (right == 0)
            st.division_by_zero |= zero
            out = np.where(zero, np.nan, left / np.where(zero, 1.0, right))
        else:
            op = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}.get(
                type(node.op), np.power
            )
            out = op(left, right)
        return _mark_invalid(out, known, st)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_eval(a, columns, n, st) for a in node.args]
    known = np.logical_and.reduce([np.isfinite(a) for a in args])
    if node.func.id in ("min", "max"):
        stacked = np.vstack(args)
        out = stacked.min(axis=0) if node.func.id == "min" else stacked.max(axis=0)
        return np.where(known, out, np.nan)
    return _mark_invalid(_UNARY[node.func.id](args[0]), known, st)


def _mark_invalid(out: np.ndarray, known: np.ndarray, st: Evaluation) -> np.ndarray:
    """Non-finite results from finite inputs (domain errors, overflow) become missing, counted."""
    bad = known & ~np.isfinite(out)
    st.invalid |= bad & ~st.division_by_zero
    return np.where(bad, np.nan, out)
