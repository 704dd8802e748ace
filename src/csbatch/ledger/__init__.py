"""The close's memory: an embedded SQLite ledger of closed months.

A month is closed when its results are committed here. The ledger keeps what later months need —
each close with its manifest, its pay lines, the per-order pay that a later refund reverses, and
each employee's results — and never rewrites a closed month: reopening supersedes a close, it
does not edit it.
"""

from csbatch.ledger.db import open_ledger
from csbatch.ledger.store import Ledger

__all__ = ["Ledger", "open_ledger"]
