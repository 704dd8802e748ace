"""Where the default policy and templates are: inside the installed package (a wheel carries
them under `csbatch/_default/`), else at the top of the source checkout (editable installs)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parents[1]


def _find(name: str) -> Path:
    packaged = _PACKAGE / "_default" / name
    return packaged if packaged.is_dir() else _CHECKOUT / name


def default_config_dir() -> Path:
    return _find("config")


def templates_dir() -> Path:
    return _find("templates")


def resolve_config(config: Path | None) -> Path:
    """`--config DIR` when given; else `./config` when the working folder has one; else the
    default policy shipped with csbatch."""
    if config is not None:
        return config
    local = Path("config")
    return local if local.is_dir() else default_config_dir()
