"""Turning located YAML data into typed policy records, with every schema error placed at its
file, line and column and named by its key path."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from csbatch.errors import Issue
from csbatch.i18n import N_, Said
from csbatch.policy.base import Model
from csbatch.policy.yamlio import Locations, PathKey, format_path


def _data_path(loc: tuple, data: Any, keep_last: bool) -> PathKey:
    """Follow pydantic's error location through the actual data, dropping the segments pydantic
    adds for unions and validators (e.g. the tag of a discriminated union). `keep_last` keeps a
    final key that is not in the data (a missing or an unknown key)."""
    path: list[str | int] = []
    node = data
    for i, seg in enumerate(loc):
        in_list = isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node)
        if (isinstance(node, dict) and seg in node) or in_list:
            path.append(seg)
            node = node[seg]
        elif keep_last and i == len(loc) - 1:
            path.append(seg)
    return tuple(path)


def _members(annotation: Any) -> list[Any]:
    """The concrete types behind Annotated[...] and unions."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _members(arg)]
    return [annotation]


def _known_keys(annotation: Any, path: PathKey) -> list[str]:
    """Field names (YAML spellings) of the model(s) at `path`, for 'did you mean' hints."""
    current = _members(annotation)
    for seg in path:
        nxt = []
        for t in current:
            origin = typing.get_origin(t)
            if isinstance(seg, int) and origin in (list, tuple):
                nxt += _members(typing.get_args(t)[0])
            elif isinstance(seg, str) and origin is dict:
                nxt += _members(typing.get_args(t)[1])
            elif isinstance(seg, str) and isinstance(t, type) and issubclass(t, BaseModel):
                for n, f in t.model_fields.items():
                    if (f.alias or n) == seg:
                        nxt += _members(f.annotation)
        current = nxt
    return sorted({f.alias or n for t in current if isinstance(t, type) and issubclass(t, BaseModel)
                   for n, f in t.model_fields.items()})


#: Our own words for pydantic's errors, keyed by its error `type`: a person reads these (in the
#: language in use), never pydantic's English; a type not listed falls back to pydantic's message.
_TEMPLATES = {
    "missing": N_("{where}: missing required key '{key}'"),
    "extra_forbidden": N_("{where}: unknown key '{key}'"),
    "bool_type": N_("{where}: '{value}' is not a boolean; write true or false"),
    "int_type": N_("{where}: '{value}' is not a number"),
    "literal_error": N_("{where}: '{value}' is not one of {expected}"),
    "union_tag_invalid": N_("{where}: kind '{tag}' is not one of {expected}"),
    "union_tag_not_found": N_("{where}: missing required key 'kind'"),
    "string_pattern_mismatch": N_("{where}: '{value}' is not a valid code (lowercase letters, digits and _)"),
    "date_type": N_("{where}: '{value}' is not a date (write YYYY-MM-DD)"),
    "too_short": N_("{where}: must not be empty"),
    "greater_than": N_("{where}: '{value}' must be above {limit}"),
    "greater_than_equal": N_("{where}: '{value}' must be at least {limit}"),
    "less_than": N_("{where}: '{value}' must be below {limit}"),
    "less_than_equal": N_("{where}: '{value}' must be at most {limit}"),
}
#: pydantic's types that say the same thing as one above
_SAME = {"bool_parsing": "bool_type", "int_parsing": "int_type", "decimal_parsing": "int_type",
         "decimal_type": "int_type", "float_parsing": "int_type", "float_type": "int_type", "enum": "literal_error",
         "date_from_datetime_parsing": "date_type", "date_parsing": "date_type",
         "dict_type": "mapping", "model_type": "mapping", "model_attributes_type": "mapping"}
#: "expected X, got Y": by what was expected and what was written (nothing, a mapping, a list, a value)
_WRONG_SHAPE = {
    ("mapping", "nothing"): N_("{where}: expected a mapping of keys, got nothing"),
    ("mapping", "list"): N_("{where}: expected a mapping of keys, got a list"),
    ("mapping", "value"): N_("{where}: expected a mapping of keys, got '{value}'"),
    ("list_type", "nothing"): N_("{where}: expected a list, got nothing"),
    ("list_type", "mapping"): N_("{where}: expected a list, got a mapping"),
    ("list_type", "value"): N_("{where}: expected a list, got '{value}'"),
    ("string_type", "nothing"): N_("{where}: expected text, got nothing"),
    ("string_type", "mapping"): N_("{where}: expected text, got a mapping"),
    ("string_type", "list"): N_("{where}: expected text, got a list"),
    ("string_type", "value"): N_("{where}: expected text, got '{value}'"),
}
#: the same, for the whole file (a file that is not a mapping of keys)
_FILE_SHAPE = {
    "nothing": N_("file: expected a mapping of keys, got nothing"),
    "list": N_("file: expected a mapping of keys, got a list"),
    "value": N_("file: expected a mapping of keys, got '{value}'"),
}
_DID_YOU_MEAN = N_("{where}: unknown key '{key}' (did you mean '{hint}'?)")
_OTHER = N_("{where}: {msg}")
_OTHER_NOWHERE = N_("{msg}")


def _message(err: Mapping[str, Any], path: PathKey, annotation: Any) -> tuple[str, dict[str, Any]]:
    """One of ValidationError.errors() as our catalogue template and its values."""
    kind = _SAME.get(err["type"], err["type"])
    value = err.get("input")
    ctx = err.get("ctx", {})
    where = format_path(path)
    if kind in ("missing", "extra_forbidden"):
        hint = difflib.get_close_matches(str(path[-1]), _known_keys(annotation, path[:-1]), n=1) \
            if kind == "extra_forbidden" else []
        if hint:
            return _DID_YOU_MEAN, {"where": where, "key": path[-1], "hint": hint[0]}
        return _TEMPLATES[kind], {"where": where, "key": path[-1]}
    if kind == "mapping" and not path and _written(value) in _FILE_SHAPE:
        return _FILE_SHAPE[_written(value)], {"value": _value(value)}
    if (kind, _written(value)) in _WRONG_SHAPE:
        return _WRONG_SHAPE[kind, _written(value)], {"where": where, "value": _value(value)}
    if kind == "union_tag_invalid":
        return _TEMPLATES[kind], {"where": where, "tag": ctx.get("tag"), "expected": ctx.get("expected_tags")}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        limit = next(iter(ctx.values()), "")
        return _TEMPLATES[kind], {"where": where, "value": _value(value), "limit": limit}
    if kind in _TEMPLATES:
        return _TEMPLATES[kind], {"where": where, "value": _value(value), "expected": ctx.get("expected", "")}
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    raised = ctx.get("error")
    if isinstance(raised, ValueError) and raised.args and isinstance(raised.args[0], Said) and raised.args[0] == msg:
        msg = raised.args[0]      # the model's own words, said in the reader's language
    return (_OTHER, {"where": format_path(path), "msg": msg}) if path else (_OTHER_NOWHERE, {"msg": msg})


def _written(value: Any) -> str:
    """What kind of thing the YAML held where another was expected."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return "value"


def _value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def validate(annotation: Any, data: Any, locs: Locations) -> tuple[Any, list[Issue]]:
    """Validate `data` against `annotation` (a model or any type pydantic accepts)."""
    adapter = TypeAdapter(annotation)
    try:
        value = adapter.validate_python(data)
    except ValidationError as exc:
        issues = []
        for err in exc.errors(include_url=False):
            path = _data_path(tuple(err["loc"]), data,
                              keep_last=err["type"] in ("missing", "extra_forbidden"))
            key = err["type"] == "extra_forbidden"
            src_path = path if err["type"] != "missing" else path[:-1]
            template, params = _message(err, path, annotation)
            issues.append(Issue.of(locs.source(src_path, key=key), "policy.schema", template, **params))
        return None, issues
    attach_sources(value, (), locs)
    return value, []


def attach_sources(value: Any, path: PathKey, locs: Locations) -> None:
    """Give every record the YAML place it was read from."""
    if isinstance(value, Model):
        value._source = locs.source(path)
        value._key_sources = {str(k[-1]): locs.source(k) for k in locs.values
                              if len(k) == len(path) + 1 and k[:-1] == path}
        for name, field in type(value).model_fields.items():
            attach_sources(getattr(value, name), path + (field.alias or name,), locs)
    elif isinstance(value, dict):
        for k, v in value.items():
            attach_sources(v, path + (str(k),), locs)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            attach_sources(v, path + (i,), locs)
