"""A function of the C library this process runs on, found in its own symbols (Linux only): the
two calls Python's `os` does not offer and the close uses, glibc's `malloc_trim`
(`csbatch.memory`) and `syncfs` (`csbatch.closing.manifest`)."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any


def c_function(name: str, argtypes: list[Any], restype: Any) -> Callable[..., Any] | None:
    """The C library's `name`, with its argument and result types; None off Linux or where the
    library has no such function (musl has no `malloc_trim`). Called with `use_errno`, so a
    failure's errno is `ctypes.get_errno()`."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        found = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    found.argtypes = argtypes
    found.restype = restype
    return found
