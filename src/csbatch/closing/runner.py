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

A stage may be begun early (`Stage.begin`, `Stage.after`): as soon as the stage it needs is done,
its work starts beside the stages in between (the VIP stage, in a forked child: it reads only the
policy, the inputs and the ledger), and at its turn it takes its result (`Early.finish`). Its
issues, its place in the order and its name in the timings stay as if it had run at its turn;
the runner stops (`Early.cancel`) what was begun when an earlier stage fails.
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


class Early(Protocol[S]):
    """A stage's work begun ahead of its turn."""

    def finish(self, state: S) -> tuple[S, list[Issue]]:
        """At the stage's turn: its result, as `Stage.run` would give it."""
        ...

    def cancel(self) -> None:
        """The stage's turn will not come (an earlier stage failed): stop the work."""
        ...


@dataclass(frozen=True)
class Stage(Generic[S]):
    """`run` computes the stage at its turn. With `begin`, the stage is begun as soon as the stage
    named `after` is done (when that stage runs in the same list), and `Early.finish` then stands
    for `run` at its turn."""
    name: str
    run: Callable[[S], tuple[S, list[Issue]]]
    begin: Callable[[S], Early[S]] | None = None
    after: str | None = None


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
    begun: dict[str, Early[S]] = {}
    try:
        for stage in stages:
            if progress:
                progress.started(stage.name)
            began = time.perf_counter()
            early = begun.pop(stage.name, None)
            state, found = early.finish(state) if early is not None else stage.run(state)
            between_stages()
            ok = not any(i.is_error for i in found)
            if ok:
                for later in stages:
                    if later.begin is not None and later.after == stage.name:
                        begun[later.name] = later.begin(state)
            seconds = time.perf_counter() - began
            timings.append(StageRun(stage.name, seconds, ok))
            issues.extend(found)
            if progress:
                progress.finished(stage.name, seconds, ok)
            if not ok:
                break
    finally:
        for early in begun.values():
            early.cancel()
    return Outcome(state, issues, timings)
