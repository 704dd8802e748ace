"""Where a bug's traceback goes: a log file in a private folder, never the screen.

The folder is `<tempdir>/csbatch-<uid>/`, created mode 0700 and refused when it is not ours or
is a symlink (another user could otherwise read the log, or plant the folder); each log gets a
name no other crash can take (`mkstemp`), so two crashes in one second keep both. A traceback
quotes cell values and file names, so every 18-digit ID-number-shaped run of digits is masked to
its last four before it is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import tempfile
from pathlib import Path

from csbatch.idnumbers import mask_id_shaped


def crash_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"csbatch-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise PermissionError(f"{folder} is not a private folder of this user; remove it")
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)
    return folder


def write_crash_log(text: str) -> Path:
    """Write `text` (a traceback) with ID numbers masked; return the log's path."""
    fd, name = tempfile.mkstemp(prefix=f"csbatch-error-{dt.datetime.now():%Y%m%d-%H%M%S}-", suffix=".log",
                                dir=crash_folder())
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(mask_id_shaped(text))
    return Path(name)
