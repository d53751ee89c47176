"""pyais's expected decodes, read as data from its test code (never imported or run).

pyais (MIT, ``tests/data/ais/peers/pyais``) keeps its expectations inside
``tests/test_decode.py``: a sentence passed to ``decode(...)`` or ``NMEAMessage(...)``,
then asserts on the result in the same test function (``assert msg["lat"] == ...``,
``assert round(msg["lat"], 4) == ...``, ``self.assertEqual(decoded.mmsi, ...)``,
``assert result == {...}``). :func:`extract` walks that file's syntax tree with ``ast`` and
returns one :class:`PyaisCase` per distinct input (its sentences) with every field value
asserted on it; a decode inside ``with self.assertRaises(E):`` records ``E``. Values
written as pyais enum members (``NavigationStatus.Moored``, ``ShipType(70)``) are resolved
through the installed pyais's enums, which is what those names mean in that file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pyais.ais_types
import pyais.constants

DECODERS = {"decode", "NMEAMessage", "decode_nmea_and_ais", "decode_nmea_line", "ByteStream"}
PASS_THROUGH = {"asdict", "decode", "decode_and_merge"}  # methods returning the same message


@dataclass(frozen=True)
class Unresolved:
    """A value the extractor could not read as a constant (its source text)."""

    text: str


@dataclass(frozen=True)
class Expected:
    """One asserted value: ``round(field, digits) == value`` when ``digits`` is set,
    ``str(field) == value`` when ``as_text``."""

    value: object
    digits: int | None = None
    as_text: bool = False
    line: int = 0


@dataclass
class PyaisCase:
    """One input of pyais's tests: its sentences and the values pyais asserts on them."""

    test: str
    line: int
    sentences: tuple[bytes, ...]
    expected: dict[str, Expected] = field(default_factory=dict)
    raises: str | None = None  # the exception pyais expects from decoding it


@dataclass(frozen=True)
class _Message:
    sentences: tuple[bytes, ...]
    line: int


def _constant(node: ast.expr) -> object:
    """The value of a literal, a negated literal or a pyais enum member."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _constant(node.operand)
        if isinstance(inner, int | float) and not isinstance(inner, bool):
            return -inner
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        enum = _enum(node.value.id)
        if enum is not None and node.attr in enum.__members__:
            return enum[node.attr].value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1:
        enum, arg = _enum(node.func.id), _constant(node.args[0])
        if enum is not None and not isinstance(arg, Unresolved):
            return enum(arg).value
    if isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
        return {_constant(k): _constant(v) for k, v in zip(node.keys, node.values, strict=True)}  # type: ignore[arg-type]
    return Unresolved(ast.unparse(node))


def _enum(name: str) -> type[Enum] | None:
    for module in (pyais.constants, pyais.ais_types):
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, Enum):
            return found
    return None


class _Function:
    """Walks one test function's statements in order, binding names to inputs."""

    def __init__(self, name: str, cases: dict[tuple[str, tuple[bytes, ...]], PyaisCase]):
        self.name = name
        self.cases = cases
        self.env: dict[str, object] = {}
        self.raises: str | None = None
        self.parts = False  # inside assemble_from_iterable: its parts are not inputs

    def case(self, message: _Message) -> PyaisCase:
        key = (self.name, message.sentences)
        if key not in self.cases:
            self.cases[key] = PyaisCase(self.name, message.line, message.sentences)
        found = self.cases[key]
        if self.raises is not None:
            found.raises = self.raises
        return found

    def value(self, node: ast.expr) -> object:
        """A literal sentence (bytes), a list of them, or a _Message; else None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            text = node.value.encode() if isinstance(node.value, str) else node.value
            return text
        if isinstance(node, ast.Name):
            return self.env.get(node.id)
        if isinstance(node, ast.List | ast.Tuple):
            return [self.value(e) for e in node.elts]
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute | ast.Subscript):  # a decode whose result is used
            self.value(node.value)
        return None

    def sentences(self, nodes: list[ast.expr]) -> tuple[bytes, ...] | None:
        out: list[bytes] = []
        for node in nodes:
            found = self.value(node.value if isinstance(node, ast.Starred) else node)
            items = found if isinstance(found, list) else [found]
            for item in items:
                if isinstance(item, bytes):
                    out.append(item)
                elif isinstance(item, _Message):
                    out.extend(item.sentences)
                else:
                    return None
        return tuple(out)

    def call(self, node: ast.Call) -> object:
        func = node.func
        if isinstance(func, ast.Name) and func.id in DECODERS:
            found = self.sentences(node.args)
            if found is None:
                return None
            message = _Message(found, node.lineno)
            if not self.parts:
                self.case(message)
            if func.id == "decode_nmea_and_ais":  # returns (nmea, decoded)
                return [message, message]
            return message
        if isinstance(func, ast.Attribute):
            if func.attr == "assemble_from_iterable":
                args = node.args or [k.value for k in node.keywords if k.arg == "messages"]
                self.parts = True
                found = self.sentences(args)
                self.parts = False
                return None if found is None else _Message(found, node.lineno)
            inner = self.value(func.value)
            if func.attr in PASS_THROUGH and isinstance(inner, _Message):
                return inner
        return None

    def bind(self, target: ast.expr, found: object) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = found
        elif isinstance(target, ast.Tuple) and isinstance(found, list):
            for element, item in zip(target.elts, found, strict=False):
                self.bind(element, item)

    def subject(self, node: ast.expr) -> tuple[_Message, str, int | None, bool] | None:
        """(message, field, digits, as_text) for ``m[k]``, ``m.k``, ``round(m[k], n)``,
        ``str(m[k])``."""
        digits, as_text = None, False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            if node.func.id == "round" and len(node.args) == 2:
                found = _constant(node.args[1])
                digits = found if isinstance(found, int) else None
            elif node.func.id == "str":
                as_text = True
            else:
                return None
            node = node.args[0]
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            key, holder = node.slice.value, node.value
        elif isinstance(node, ast.Attribute):
            key, holder = node.attr, node.value
        else:
            return None
        message = self.value(holder)
        if not isinstance(message, _Message) or not isinstance(key, str):
            return None
        return message, key, digits, as_text

    def expect(self, left: ast.expr, right: ast.expr, line: int) -> None:
        found = self.subject(left)
        if found is not None:
            message, key, digits, as_text = found
            self.case(message).expected[key] = Expected(_constant(right), digits, as_text, line)
            return
        whole = self.value(left)
        values = _constant(right)
        if isinstance(whole, _Message) and isinstance(values, dict):
            case = self.case(whole)
            for key, value in values.items():
                case.expected[str(key)] = Expected(value, line=line)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            found = self.value(node.value)
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                self.bind(target, found)
        elif isinstance(node, ast.For):
            found = self.value(node.iter)
            self.bind(node.target, found)
            self.block(node.body)
        elif isinstance(node, ast.With):
            outer = self.raises
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "assertRaises"
                    and call.args
                ):
                    self.raises = ast.unparse(call.args[0])
            self.block(node.body)
            self.raises = outer
        elif isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare):
            test = node.test
            if len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
                self.expect(test.left, test.comparators[0], node.lineno)
            self.value(test.left)
        elif isinstance(node, ast.Assert):
            self.value(node.test)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            if method == "assertEqual" and len(call.args) == 2:
                self.expect(call.args[0], call.args[1], node.lineno)
            elif method == "assertIsNone" and call.args:
                self.expect(call.args[0], ast.Constant(None), node.lineno)
            else:
                self.value(call)

    def block(self, body: list[ast.stmt]) -> None:
        for node in body:
            self.statement(node)


def extract(path: Path) -> list[PyaisCase]:
    """Every input of pyais's test file, in file order, with the values asserted on it."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    cases: dict[tuple[str, tuple[bytes, ...]], PyaisCase] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            _Function(node.name, cases).block(node.body)
    return sorted(cases.values(), key=lambda c: c.line)
