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


def _message(err: Mapping[str, Any], path: PathKey, annotation: Any) -> str:   # one of ValidationError.errors()
    kind = err["type"]
    value = err.get("input")
    where = format_path(path)
    if kind == "missing":
        return f"{where}: missing required key '{path[-1]}'"
    if kind == "extra_forbidden":
        hint = difflib.get_close_matches(str(path[-1]), _known_keys(annotation, path[:-1]), n=1)
        more = f" (did you mean '{hint[0]}'?)" if hint else ""
        return f"{where}: unknown key '{path[-1]}'{more}"
    if kind in ("bool_type", "bool_parsing"):
        return f"{where}: '{value}' is not a boolean; write true or false"
    if kind in ("int_parsing", "int_type", "decimal_parsing", "decimal_type", "float_parsing"):
        return f"{where}: '{value}' is not a number"
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        return f"{where}: '{value}' is not one of {expected}"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"{where}: kind '{ctx.get('tag')}' is not one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"{where}: missing required key 'kind'"
    if kind == "string_pattern_mismatch":
        return f"{where}: '{value}' is not a valid code (lowercase letters, digits and _)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{where or 'file'}: expected a mapping of keys, got {_shown(value)}"
    if kind == "list_type":
        return f"{where}: expected a list, got {_shown(value)}"
    if kind in ("string_type",):
        return f"{where}: expected text, got {_shown(value)}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"{where}: '{value}' is not a date (write YYYY-MM-DD)"
    if kind == "too_short":
        return f"{where}: must not be empty"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return f"{where}: {msg}" if where else msg


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f"'{value}'"


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
            issues.append(Issue(locs.source(src_path, key=key), "policy.schema",
                                _message(err, path, annotation)))
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
