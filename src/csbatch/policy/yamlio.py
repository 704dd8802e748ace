"""Reading policy YAML without YAML's traps, keeping the line and column of every key and value.

PyYAML's defaults are wrong for a policy kept in git: it keeps the last of two duplicate keys, reads
`8:30` as the sexagesimal number 510 and `0755` as octal 493, and turns `no`, `on` or `off` into
booleans. So we build the tree ourselves from the parser's events:

- every plain scalar stays the text it was written as, except `true`/`false` (booleans) and
  `null`/`~`/empty (None); the typed schema turns text into numbers, times or dates where a field
  asks for one, so `08:30`, `0830` and `no` come through as written;
- duplicate keys, anchors, aliases, explicit tags and multiple documents are errors;
- nothing is ever constructed from a tag, so loading is safe by construction.

The result is plain data plus a `Locations` index from key paths to (line, column), which the
schema layer uses to place its errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from csbatch.errors import Issue, Source
from csbatch.i18n import N_

PathKey = tuple[str | int, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}


@dataclass
class Locations:
    """Line/column (1-based) of each value and of each mapping key, by key path."""

    file: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def source(self, path: PathKey, *, key: bool = False) -> Source:
        """The place of `path`, or of its nearest located ancestor."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                line, col = table[probe]
                return Source(self.file, line=line, col=col)
            if not key and probe in self.keys:
                line, col = self.keys[probe]
                return Source(self.file, line=line, col=col)
            probe = probe[:-1]
        line, col = self.values.get((), (1, 1))
        return Source(self.file, line=line, col=col)


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _where(path: PathKey) -> str:
    """A key path for a message; the top of the file is `document` (a YAML word, as written)."""
    return format_path(path) or "document"


class _Builder:
    def __init__(self, display: str):
        self.display = display
        self.locs = Locations(display)
        self.issues: list[Issue] = []

    def _at(self, mark) -> Source:
        return Source(self.display, line=mark.line + 1, col=mark.column + 1)

    def _err(self, mark, code: str, template: str, **params: Any) -> None:
        self.issues.append(Issue.of(self._at(mark), code, template, **params))

    def _check_node_event(self, ev, path: PathKey) -> None:
        anchor = getattr(ev, "anchor", None)
        if anchor is not None:
            self._err(ev.start_mark, "yaml.anchor",
                      N_("{where}: anchors (&{anchor}) are not allowed; write the value out in full so "
                         "a reviewer sees it"), where=_where(path), anchor=anchor)
        tag = getattr(ev, "tag", None)
        implicit = getattr(ev, "implicit", True)
        explicit = tag is not None and not (
            implicit is True or (isinstance(implicit, tuple) and any(implicit))
        )
        if explicit:
            self._err(ev.start_mark, "yaml.tag",
                      N_("{where}: explicit tags ({tag}) are not allowed"), where=_where(path), tag=tag)

    def build(self, events) -> Any:
        """Consume the events of one node and return its value."""
        return self._node(next(events), events, ())

    def _node(self, ev, events, path: PathKey) -> Any:
        if isinstance(ev, yaml.AliasEvent):
            self._err(ev.start_mark, "yaml.alias",
                      N_("{where}: aliases (*{anchor}) are not allowed; write the value out in full"),
                      where=format_path(path), anchor=ev.anchor)
            return None
        self._check_node_event(ev, path)
        self.locs.values[path] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
        if isinstance(ev, yaml.ScalarEvent):
            return _scalar(ev)
        if isinstance(ev, yaml.SequenceStartEvent):
            items: list[Any] = []
            while True:
                nxt = next(events)
                if isinstance(nxt, yaml.SequenceEndEvent):
                    return items
                items.append(self._node(nxt, events, path + (len(items),)))
        if isinstance(ev, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            first_seen: dict[str, int] = {}
            while True:
                kev = next(events)
                if isinstance(kev, yaml.MappingEndEvent):
                    return mapping
                if not isinstance(kev, yaml.ScalarEvent):
                    self._err(kev.start_mark, "yaml.complex_key",
                              N_("{where}: keys must be plain text"), where=_where(path))
                    self._skip(kev, events)  # the key
                    self._skip(next(events), events)  # its value
                    continue
                self._check_node_event(kev, path)
                key = kev.value  # keys stay exactly as written
                kpath = path + (key,)
                if key == "<<":
                    self._err(kev.start_mark, "yaml.merge",
                              N_("{where}: merge keys (<<) are not allowed"), where=_where(path))
                if key in mapping or key in first_seen:
                    self._err(kev.start_mark, "yaml.duplicate_key",
                              N_("{where}: duplicate key '{key}' (first defined on line {line})"),
                              where=format_path(kpath), key=key, line=first_seen[key])
                    self._node(next(events), events, path + (f"{key}#dup",))
                    continue
                mark = kev.start_mark
                assert mark is not None   # the parser marks every event it emits
                first_seen[key] = mark.line + 1
                self.locs.keys[kpath] = (mark.line + 1, mark.column + 1)
                mapping[key] = self._node(next(events), events, kpath)
        raise AssertionError(f"unexpected YAML event {ev!r}")

    def _skip(self, ev, events) -> None:
        depth = 0
        while True:
            if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            if depth == 0:
                return
            ev = next(events)


def _scalar(ev: yaml.ScalarEvent) -> Any:
    if ev.style is None:  # plain scalar: only null and true/false are resolved
        if ev.value in _NULLS:
            return None
        if ev.value in _TRUES:
            return True
        if ev.value in _FALSES:
            return False
    return ev.value


def parse_yaml(text: str, display: str) -> tuple[Any, Locations, list[Issue]]:
    """Parse one YAML document. Returns (data, locations, issues); data is None on a syntax error."""
    builder = _Builder(display)
    try:
        events = iter(list(yaml.parse(text, Loader=yaml.SafeLoader)))
        next(events)  # StreamStart
        ev = next(events)
        if isinstance(ev, yaml.StreamEndEvent):
            return None, builder.locs, builder.issues
        data = builder.build(events)
        next(events)  # DocumentEnd
        ev = next(events)
        if not isinstance(ev, yaml.StreamEndEvent):
            builder._err(ev.start_mark, "yaml.multiple_documents",
                         N_("a policy file holds one YAML document; split it into two files"))
        return data, builder.locs, builder.issues
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Source(display, line=mark.line + 1, col=mark.column + 1) if mark else Source(display)
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        syntax = Issue.of(where, "yaml.syntax", N_("YAML syntax: {what}"), what=what)
        return None, builder.locs, builder.issues + [syntax]


def load_yaml(path: Path, display: str) -> tuple[Any, Locations, list[Issue]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, Locations(display), [
            Issue.of(Source(display), "yaml.encoding", N_("not UTF-8 text (byte {byte})"), byte=exc.start)]
    return parse_yaml(text, display)
