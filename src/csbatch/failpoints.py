"""Named places where a test can kill the running close with a real SIGKILL, to prove that a
crash at that exact moment leaves the ledger and the outputs consistent.

Set `CSBATCH_FAILPOINT=<name>` in the environment of a `csbatch` process; when it reaches
`failpoint(<name>)` it kills itself with SIGKILL (kill -9: no cleanup, no `finally`). Without the
variable a failpoint is a single dictionary lookup.

The close's failpoints, in the order it reaches them: `close.computed`, `close.files_written`,
`close.before_commit` (inside the ledger's commit), `close.after_commit`.
"""

from __future__ import annotations

import os
import signal


def failpoint(name: str) -> None:
    if os.environ.get("CSBATCH_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
