"""The stage runner: named stages run in order over an immutable state, each timed.

A stage is a function `(state) -> (state, issues)`. The runner collects every stage's issues and
stops after the first stage that reports an error, since later stages need its results. Only
the first stages (reading policy and inputs) and the last (writing) touch files.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from csbatch.errors import Issue

S = TypeVar("S")


@dataclass(frozen=True)
class Stage(Generic[S]):
    name: str
    run: Callable[[S], tuple[S, list[Issue]]]


class Progress(Protocol):
    def started(self, stage: str) -> None: ...
    def finished(self, stage: str, seconds: float, ok: bool) -> None: ...


@dataclass
class StageRun:
    name: str
    seconds: float
    ok: bool


@dataclass
class Outcome(Generic[S]):
    state: S
    issues: list[Issue]
    timings: list[StageRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.is_error for i in self.issues)


def run_stages(stages: list[Stage[S]], state: S, progress: Progress | None = None) -> Outcome[S]:
    issues: list[Issue] = []
    timings: list[StageRun] = []
    for stage in stages:
        if progress:
            progress.started(stage.name)
        began = time.perf_counter()
        state, found = stage.run(state)
        ok = not any(i.is_error for i in found)
        seconds = time.perf_counter() - began
        timings.append(StageRun(stage.name, seconds, ok))
        issues.extend(found)
        if progress:
            progress.finished(stage.name, seconds, ok)
        if not ok:
            break
    return Outcome(state, issues, timings)
