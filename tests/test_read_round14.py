"""Round 14's faster read stage says what the old one said:

- `intake._mapped_columns` (tried chained through `np.fromiter`, kept as `np.array(order="F")`):
  short rows padded, the cells of columns not read cleared;
- `type_groups._split` recognises a large column of text from the pass that factorises it or
  proves it ASCII (`_all_texts`) rather than `infer_dtype`'s own pass first: the same groups, and
  the same coerced values, errors and notes, whatever odd cell hides among a million;
- `results._Out` makes its value and error arrays on first use;
- `intake._coerce_columns` gives its frame unconsolidated: the same frame.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from csbatch.policy.inputs import Column
from csbatch.sheets import intake
from csbatch.sheets.coerce import CoerceContext, coerce_column, type_groups
from csbatch.sheets.coerce.results import _Out
from csbatch.sheets.read import RawSheet


def test_mapped_columns_ragged_rows_padded() -> None:
    rows: list[list[Any]] = [["a", "b", "c"], ["1", "2"], ["3", "4", "5"]]
    new = intake._mapped_columns(RawSheet(rows), 0, {"x": 0, "z": 2})
    assert new["z"].tolist() == ["", "5"] and new["x"].index.tolist() == [2, 3]


def test_mapped_columns_unread_cells_not_kept() -> None:
    """With most columns read the one array is shared: a column not read holds None, not its cells."""
    rows: list[list[Any]] = [["a", "b", "c", "d"]] + [[f"{i}", i, f"k{i}", "free me"] for i in range(10)]
    cols = intake._mapped_columns(RawSheet(rows), 0, {"a": 0, "b": 1, "c": 2})
    base = cols["a"].to_numpy().base
    assert base is not None and base.size == 40          # one array for the sheet
    assert "free me" not in base.ravel().tolist() and base.ravel().tolist().count(None) == 10


# -- `_split`'s text shortcut (`_all_texts`) against the old path (`infer_dtype` first) -------------

_N = 4 * type_groups._SAMPLE + 37     # large enough for the sampled paths


def _column(kind: str, odd: Any, at: int) -> np.ndarray:
    """A large column of text of one of the three sampled kinds, `odd` at position `at`."""
    if kind == "few":
        cells: list[Any] = [("已完成", "已退款", "", "完成 ")[i % 4] for i in range(_N)]
    elif kind == "ids":
        cells = [f"WD{i:011d}" for i in range(_N)]
    else:   # many repeats: factorised
        cells = [f"KH{i % 3000:06d}" for i in range(_N)]
    if odd is not _NOTHING:
        cells[at] = odd
    out = np.empty(_N, dtype=object)
    out[:] = cells
    return out


_NOTHING = object()
_ODD_IN_TEXT = [_NOTHING, None, float("nan"), 7, 7.0, True, dt.date(2026, 10, 1), Decimal("1.5"), "",
                "   ", "\u200bKH1", "ＫＨ０００００１", "否", np.datetime64("NaT"), np.str_("KH000001"),
                pd.NA, pd.NaT]


def _old_split(values: np.ndarray, per_cell: bool, monkeypatch: pytest.MonkeyPatch) -> type_groups._Cells:
    with monkeypatch.context() as m:
        m.setattr(type_groups, "_all_texts", lambda values, per_cell: None)
        return type_groups._split(values, per_cell)


def _same_groups(a: type_groups._Cells, b: type_groups._Cells) -> None:
    assert a.n == b.n and (a.blank == b.blank).all() and len(a.groups) == len(b.groups)
    for g, h in zip(a.groups, b.groups, strict=True):
        assert (g.kind, g.per_cell) == (h.kind, h.per_cell)
        assert np.array_equal(g.pos, h.pos) and np.array_equal(g.codes, h.codes)
        assert len(g.uniq) == len(h.uniq)
        assert all(x is y or x == y or (x != x and y != y) for x, y in zip(g.uniq, h.uniq, strict=True))
        for field in ("clean", "odd", "us"):
            x, y = getattr(g, field), getattr(h, field)
            assert (x is None) == (y is None) and (x is None or np.array_equal(x, y))


@pytest.mark.parametrize("kind", ["few", "ids", "many"])
@pytest.mark.parametrize("odd", _ODD_IN_TEXT, ids=[f"odd{i}" for i in range(len(_ODD_IN_TEXT))])
@pytest.mark.parametrize("per_cell", [False, True])
def test_split_text_shortcut_same_groups(kind: str, odd: Any, per_cell: bool, monkeypatch) -> None:
    for at in (0, 1, _N // 2, _N - 1):     # a sampled cell (0) and cells the sample skips
        values = _column(kind, odd, at)
        _same_groups(type_groups._split(values.copy(), per_cell), _old_split(values.copy(), per_cell, monkeypatch))


def test_split_unhashable_cell_falls_back() -> None:
    values = _column("few", _NOTHING, 0)
    values[5] = ["a list"]
    cells = type_groups._split(values)
    assert sum(len(g.pos) for g in cells.groups) + cells.blank.sum() == _N


@pytest.fixture(scope="module")
def ctx(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10")


_COLUMNS = [Column(type="id", required=True), Column(type="text"), Column(type="code", codes="order_status"),
            Column(type="code", codes="order_status", default="completed"), Column(type="bool", default="否"),
            Column(type="money"), Column(type="date")]


@pytest.mark.parametrize("column", _COLUMNS, ids=lambda c: f"{c.type}-{c.default}")
@pytest.mark.parametrize("kind", ["few", "ids", "many"])
def test_coerce_column_same_as_old_path(ctx, column: Column, kind: str, monkeypatch) -> None:
    for odd in (None, float("nan"), 12.0, "  ", "ＫＨ０１", dt.date(2026, 10, 3), _NOTHING):
        values = _column(kind, odd, _N // 3)
        raw = pd.Series(values, index=range(2, _N + 2), dtype=object)
        new = coerce_column(raw.copy(), column, ctx)
        with monkeypatch.context() as m:
            m.setattr(type_groups, "_all_texts", lambda values, per_cell: None)
            old = coerce_column(raw.copy(), column, ctx)
        assert new.values.equals(old.values) and new.values.dtype == old.values.dtype
        assert [(i, str(e)) for i, e in new.errors] == [(i, str(e)) for i, e in old.errors]
        assert [(i, c, str(n)) for i, c, n in new.notes] == [(i, c, str(n)) for i, c, n in old.notes]


# -- `_Out`'s arrays made on first use -----------------------------------------------------------

@pytest.mark.parametrize(("storage", "missing"), [("object", None), ("Int64", pd.NA), ("boolean", pd.NA),
                                                  ("M8", pd.NaT), ("m8", pd.NaT)])
def test_out_nothing_put_is_all_missing(storage: str, missing: Any) -> None:
    out = _Out(3, storage)
    values = out.finish(pd.Series(["", "", ""], index=[2, 3, 4], dtype=object)).values
    assert len(values) == 3 and all(v is missing or pd.isna(v) for v in values)
    old = {"object": np.full(3, None, dtype=object), "Int64": np.zeros(3, dtype=np.int64),
           "boolean": np.zeros(3, dtype=bool), "M8": np.full(3, np.datetime64("NaT"), dtype="M8[ns]"),
           "m8": np.full(3, np.timedelta64("NaT"), dtype="m8[ns]")}[storage]
    fresh = _Out(3, storage).vals
    assert fresh.dtype == old.dtype and np.array_equal(fresh, old, equal_nan=storage not in ("object",))


def test_out_whole_column_adopted_without_a_filled_array(ctx) -> None:
    raw = pd.Series([f"WD{i:09d}" for i in range(_N)], dtype=object)
    out = _Out(_N, "object")
    assert out._vals is None and out._err is None
    result = coerce_column(raw, Column(type="id"), ctx)
    assert result.values.tolist() == raw.tolist() and not result.errors


# -- `_coerce_columns`' frame, unconsolidated ----------------------------------------------------

def test_read_sheet_frame_same_as_consolidated(policy, tmp_path) -> None:
    import openpyxl

    from csbatch.sheets.discover import FoundSheet

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "订单"
    ws.append(["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "成交方式", "重点促销", "订单状态"])
    for i in range(40):
        ws.append([f"WD{i:05d}", dt.date(2026, 10, 1 + i % 28), "E001", f"KH{i:04d}", 10.5 + i,
                   "在线成交" if i % 3 else None, "是" if i % 2 else None, "已完成"])
    path = tmp_path / "销售订单.xlsx"
    wb.save(path)
    found = FoundSheet("sales", path, path.name, "订单")
    result = intake._read_sheet(found, policy.inputs.kinds["sales"], policy, "2026-10",
                                intake._item_aliases(policy))
    assert result.frame is not None and not [i for i in result.issues if i.is_error]
    frame = result.frame
    consolidated = pd.DataFrame({c: frame[c].to_numpy(copy=True) for c in frame.columns})
    pd.testing.assert_frame_equal(frame, consolidated.astype(frame.dtypes.to_dict()), check_exact=True)
    frame.loc[0, "order_id"] = "changed"      # the frame's columns are its own
    assert result.frame.loc[1, "order_id"] == "WD00001"
