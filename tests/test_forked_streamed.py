"""A child working ahead (`csbatch.forked.ahead`) pickles its result straight into its file, and
the close unpickles it from the file: neither holds the pickle's bytes beside the objects. With
a year of VIP history and 90k members the VIP stage's result is a 180 MB pickle, which the close
read whole before unpickling it, at the close's highest memory (issue 14)."""

from __future__ import annotations

import pickle
import tracemalloc

import pytest

from csbatch.forked import ChildTraceback, ahead, fork_helps

needs_fork = pytest.mark.skipif(not fork_helps(), reason="ahead forks only with os.fork and two cores or more")

SIZE = 40 * 2**20


@needs_fork
def test_a_large_result_is_unpickled_from_the_file_not_from_a_copy_of_it():
    pending = ahead(lambda apart: b"x" * SIZE)
    tracemalloc.start()
    try:
        got = pending.result()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got == b"x" * SIZE
    assert peak < 1.5 * SIZE      # the result itself, not the result and the pickle read whole


class _Refuses:
    def __reduce__(self):
        raise pickle.PicklingError("this card cannot be pickled")


@needs_fork
def test_a_result_that_fails_halfway_through_its_pickle_is_said_as_what_it_raised():
    """Part of the pickle is in the file when the refusal comes: the file is emptied, and what
    the child raised is said in it instead, not a pickle cut short."""
    with pytest.raises(pickle.PicklingError, match="cannot be pickled") as raised:
        ahead(lambda apart: [b"y" * SIZE, _Refuses()]).result()
    assert isinstance(raised.value.__cause__, ChildTraceback)
