"""Pure-Python work on two cores: `beside(other, here)` runs `other` in a forked child process while
this process runs `here`; `shared` also hands a list of jobs out to the two; `ahead(work)` begins
`work` in a child now and takes its result back (pickled) when it is asked for. A thread would not
help (the GIL); a process pool would have to pickle what the work reads, where a forked child
inherits it as it is.

What the child raises is raised again here as the same exception: an `OSError` keeps its errno,
strerror and filename (a full disk is said as one), anything else keeps the child's traceback as
text in its `__cause__` (a `ChildTraceback`), so a crash log shows where the child failed. A child
that ends without a word (killed, `os._exit`) is a `ChildDied`, never a silent success. The child
leaves with `os._exit`: no atexit handlers, no flushing of buffers it inherited, no finalizers.
What `other` may do there: write its own files; never print, never use a connection (SQLite) or a
lock the parent holds.

Memory: the collector's objects are frozen across the fork (`gc.freeze`), so a collection in the
child does not write to (and copy) every page of the parent's objects; the child's private memory
is what it allocates and the pages its reference counting touches."""

from __future__ import annotations

import gc
import os
import pickle
import signal
import stat
import tempfile
import traceback
from collections.abc import Callable, Sequence
from typing import IO, Generic, NoReturn, TypeVar, cast

from csbatch import packed

T = TypeVar("T")


class ChildTraceback(Exception):
    """The child's traceback, as text: the `__cause__` of what it raised."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0]) if self.args else ""


class ChildDied(RuntimeError):
    """The child ended without saying whether its work was done (killed, or `os._exit`)."""


def fork_helps() -> bool:
    """Whether `beside` forks: where `os.fork` exists and with two cores or more, never with one."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def beside(other: Callable[[], None], here: Callable[[], None], fork: bool | None = None) -> None:
    """Run `other` in a forked child while this process runs `here`, then wait for the child.
    Without `fork` (default: `fork_helps()`), or when no child can be made, `other` then `here`
    in this process. When `here` raises, the child is killed and waited for, and `here`'s
    exception is raised; else what the child raised (or `ChildDied`)."""
    if not (fork_helps() if fork is None else fork):
        other()
        here()
        return
    read, write = os.pipe()
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:  # no memory or no process left for a child: the same work, one after the other
        gc.unfreeze()
        os.close(read)
        os.close(write)
        other()
        here()
        return
    if pid == 0:
        os.close(read)
        _child(other, write)
    gc.unfreeze()
    os.close(write)
    with os.fdopen(read, "rb") as back:
        try:
            here()
            said = back.read()
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
    _, status = os.waitpid(pid, 0)
    _outcome(said, status)


def shared(here: Callable[[], None], there: Callable[[], None], jobs: Sequence[Callable[[], object]],
           fork: bool | None = None) -> None:
    """Run `here` in this process, `there` in a forked child (`beside`), and each of `jobs` once,
    in whichever of the two takes it first once its own work is done: so the two finish about
    together however long each piece takes on this machine, at this month's size (give the
    longest jobs first). The jobs are handed out through a pipe holding one byte per job, which
    the two read a byte at a time (a pipe's read of one byte is atomic). Without a child,
    `there`, every job in order, then `here`. What is raised, as `beside`."""
    if len(jobs) > 256:
        raise ValueError("at most 256 jobs are shared (one byte each)")
    read, write = os.pipe()
    try:
        os.write(write, bytes(range(len(jobs))))   # fits a pipe's buffer: never blocks
    finally:
        os.close(write)   # once empty, the pipe reads as ended: no job is left

    def take() -> None:
        while taken := os.read(read, 1):
            jobs[taken[0]]()

    def child() -> None:
        there()
        take()

    def parent() -> None:
        here()
        take()

    try:
        beside(child, parent, fork)
    finally:
        os.close(read)


class Ahead(Generic[T]):
    """Work begun ahead of its turn (`ahead`): `result()` waits for the child and returns what its
    work returned, or raises what it raised; `cancel()` stops it. Without a child, the work itself
    is done when its result is asked for, so it runs at its turn as it would have anyway."""

    def __init__(self, work: Callable[[bool], T], pid: int | None = None, said: IO[bytes] | None = None):
        self._work = work
        self._pid = pid
        self._said = said

    @property
    def forked(self) -> bool:
        """Whether the work runs in a child (and has not been waited for yet)."""
        return self._pid is not None

    def result(self) -> T:
        """What the work returned. A child that died without a word (killed: the kernel's
        out-of-memory killer, an admin) has its work done again here: the work reads only what
        both processes hold, so doing it again gives the same result, later."""
        if self._pid is None or self._said is None:
            return self._work(False)
        _, status = os.waitpid(self._pid, 0)   # interrupted (Ctrl-C): the child is still `cancel`'s
        said, self._pid, self._said = self._said, None, None
        try:
            with said:
                said.seek(0)
                return cast(T, _outcome(said, status, "the child working ahead"))
        except ChildDied:
            return self._work(False)

    def cancel(self) -> None:
        """Stop the child (its result is not wanted: an earlier stage failed); nothing without one."""
        if self._pid is not None:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
        if self._said is not None:
            self._said.close()
            self._said = None


def ahead(work: Callable[[bool], T], fork: bool | None = None) -> Ahead[T]:
    """Begin `work(True)` in a forked child now, while this process goes on; its result (or what it
    raised) is pickled into an unnamed temporary file, so the child ends and hands its memory back
    as soon as it is done, however late the result is asked for. `work` is told whether it runs in
    the child: there it must not use a connection (SQLite) or lock this process holds, and opens
    its own. Without `fork` (default: `fork_helps()`), or when no child can be made, nothing runs
    now and `result()` does `work(False)`.

    The collector's objects are frozen before the fork, as in `beside`, and stay frozen here:
    `ahead` begins work between a close's stages, which freeze what they keep anyway
    (`csbatch.closing.runner`); unfreezing them would hand the stages' results back to the
    collector for the rest of the close."""
    if not (fork_helps() if fork is None else fork):
        return Ahead(work)
    try:
        said = tempfile.TemporaryFile()  # noqa: SIM115 - `Ahead` closes it when the result is taken
    except OSError:   # no temporary folder to write to: the work at its turn, here
        return Ahead(work)
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:  # no memory or no process left for a child: the work at its turn, here
        said.close()
        return Ahead(work)
    if pid == 0:
        _child(lambda: work(True), said.fileno())
    return Ahead(work, pid, said)


def _child(work: Callable[[], object], fd: int) -> NoReturn:
    """The child (of `beside` and of `ahead`): run `work`, write what it returned (None for
    `beside`'s) or what it raised to `fd` (a pipe, or `ahead`'s file), and leave at once."""
    code = 0
    try:
        try:
            said = _done(work(), fd)
        except BaseException as exc:  # raised again in the parent
            said = _said(exc)
        view = memoryview(said)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:  # the pipe is gone or nothing could be written (a full disk): the parent
        code = 1           # sees no word and says so
    finally:
        os._exit(code)


def _done(result: object, fd: int) -> bytes:
    """What the child says when its work is done: pickled straight into `fd` when it is a file
    (`ahead`'s), so neither process holds the pickle's bytes beside the objects (a month of 90k
    VIP members is a 180 MB pickle), and b"" is left to write; else (a pipe) the bytes to write.
    A result that cannot be pickled leaves the file empty again, and raises."""
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        return pickle.dumps(("done", result), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with os.fdopen(os.dup(fd), "wb") as file:
            packed.dump(("done", result), file)
    except BaseException:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        raise
    return b""


def _said(exc: BaseException) -> bytes:
    """`exc` and its traceback's text, pickled; an exception that does not pickle (or unpickle)
    is sent as its type's name and text."""
    text = "".join(traceback.format_exception(exc))
    try:
        sent = pickle.dumps(("raised", exc, text))
        pickle.loads(sent)
    except Exception:  # any exception may fail to pickle; its text still goes
        if isinstance(exc, OSError):   # still an OSError, with what says it to the user
            return pickle.dumps(("raised", OSError(exc.errno, exc.strerror or str(exc), exc.filename), text))
        sent = pickle.dumps(("unpicklable", f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}", text))
    return sent


def _outcome(said: bytes | IO[bytes], status: int, who: str = "the forked writer") -> object:
    """What the child's work returned (None for `beside`'s); raise what it said it raised, or
    `ChildDied` when it said nothing or did not end well. `said`: its bytes, or the file it said
    it in (read as it is unpickled)."""
    if not isinstance(said, bytes) and not os.fstat(said.fileno()).st_size:
        said = b""
    if not said:
        if os.WIFSIGNALED(status):
            how = f"was killed by signal {os.WTERMSIG(status)}"
        else:
            how = f"ended with status {os.waitstatus_to_exitcode(status)}"
        raise ChildDied(f"{who} {how} without saying whether its work was done")
    try:
        what = pickle.loads(said) if isinstance(said, bytes) else packed.load(said)
    except Exception as cut:  # cut short: killed while it said it
        raise ChildDied(f"{who} ended with status {status} halfway through saying what happened") from cut
    if what[0] == "done" and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return what[1]
    if what[0] == "raised":
        _, exc, text = what
        raise exc from ChildTraceback(text)
    if what[0] == "unpicklable":
        _, head, text = what
        raise ChildDied(f"{who} raised {head}") from ChildTraceback(text)
    raise ChildDied(f"{who} ended with status {status} after saying {what[0]!r}")
