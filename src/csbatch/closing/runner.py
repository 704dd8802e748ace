"""The stage runner: named stages run in order over an immutable state, each timed.

A stage is a function `(state) -> (state, issues)`. The runner collects every stage's issues and
stops after the first stage that reports an error, since later stages need its results. Only
the first stages (reading policy and inputs) and the last (writing) touch files.

While the stages run, the cyclic garbage collector runs rarely (`few_collections`): a month of a
million orders keeps tens of millions of small objects alive, and Python's default thresholds
made the collector walk them again and again (a quarter of the close's CPU time at 300k orders,
for 6% less peak memory; docs/decisions.md, issue 14). What a stage leaves behind is frozen
(`gc.freeze`) before the next stage begins, so a later stage's collections walk only the objects
it made itself, not the month's frames and records again; everything is unfrozen when the stages
end. After each stage the memory it freed is handed back to the system
(`csbatch.memory.give_back`), so what the close holds resident is what it uses: the publish
stage's forked writer is made only while both fit the memory limit.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from csbatch.errors import Issue
from csbatch.memory import give_back

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


#: Thresholds while stages run: a young collection per 100,000 new container objects (default
#: 700), and a full one almost never (the 25%-growth rule still applies to the oldest generation).
BATCH_THRESHOLDS = (100_000, 50, 1_000)


@contextmanager
def few_collections() -> Iterator[None]:
    """The collector's thresholds raised to `BATCH_THRESHOLDS` for a batch, restored after, and
    whatever `between_stages` froze meanwhile unfrozen (collectable again) at the end.
    Reference cycles are still collected, only less often: memory stays bounded."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_THRESHOLDS)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def between_stages() -> None:
    """A stage is done: what it made and kept is frozen, out of the collector's generations (at
    1M orders its one middle-generation pass over what the read and compute stages keep took
    0.86 s of CPU), and the memory it freed goes back to the system. A cycle left by an earlier
    stage is then freed when `few_collections` ends, not before: the close keeps its stages'
    results to the end anyway, and under `BATCH_THRESHOLDS` the full collection that would free
    one does not run during a close."""
    gc.freeze()
    give_back()


def run_stages(stages: list[Stage[S]], state: S, progress: Progress | None = None) -> Outcome[S]:
    with few_collections():
        return _run(stages, state, progress)


def _run(stages: list[Stage[S]], state: S, progress: Progress | None) -> Outcome[S]:
    issues: list[Issue] = []
    timings: list[StageRun] = []
    for stage in stages:
        if progress:
            progress.started(stage.name)
        began = time.perf_counter()
        state, found = stage.run(state)
        between_stages()
        ok = not any(i.is_error for i in found)
        seconds = time.perf_counter() - began
        timings.append(StageRun(stage.name, seconds, ok))
        issues.extend(found)
        if progress:
            progress.finished(stage.name, seconds, ok)
        if not ok:
            break
    return Outcome(state, issues, timings)
