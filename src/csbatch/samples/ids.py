"""Personal data that looks real and checks out: national ID numbers with the GB 11643 check
digit, mobile numbers and e-mail addresses. Vectorised, for customer tables of 10⁵ rows."""

from __future__ import annotations

import datetime as dt

import numpy as np

from csbatch.idnumbers import check_characters

_MOBILE = np.array([130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156,
                    157, 158, 159, 166, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 199])
_MAIL = ("163.com", "126.com", "sina.com", "outlook.com", "foxmail.com")
_LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))


def national_ids(rng: np.random.Generator, areas: list[str],
                 births: list[dt.date]) -> list[str]:
    """One 18-digit ID per birth date: area code, birth date, sequence, check digit."""
    n = len(births)
    area = np.array(areas, dtype="U6")
    seq = rng.integers(1, 1000, n)
    bodies = np.char.add(np.char.add(area, np.array([f"{b:%Y%m%d}" for b in births], "U8")),
                         np.char.zfill(seq.astype("U3"), 3))
    checks = check_characters(bodies.tolist())
    return np.char.add(bodies, checks).tolist()


def mobiles(rng: np.random.Generator, n: int) -> list[str]:
    prefix = _MOBILE[rng.integers(0, len(_MOBILE), n)]
    rest = rng.integers(0, 10**8, n)
    return [f"{p}{r:08d}" for p, r in zip(prefix.tolist(), rest.tolist())]


def emails(rng: np.random.Generator, n: int) -> list[str]:
    """QQ mail (numbers) for most, letters + year at a web mail for the rest."""
    qq = rng.integers(10**5, 10**10, n).tolist()
    kind = rng.random(n).tolist()
    host = rng.integers(0, len(_MAIL), n).tolist()
    letters = _LETTERS[rng.integers(0, 26, (n, 6))]
    year = rng.integers(1965, 2004, n).tolist()
    out = []
    for i in range(n):
        if kind[i] < 0.55:
            out.append(f"{qq[i]}@qq.com")
        else:
            name = "".join(letters[i, : 3 + qq[i] % 4].tolist())
            out.append(f"{name}{year[i]}@{_MAIL[host[i]]}")
    return out
