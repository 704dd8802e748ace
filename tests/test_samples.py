"""The sample generator (`csbatch sample`): reproducible, complete, consistent and readable.

Each test generates small months into `tmp_path` (20 employees, about 165 orders: well under a
second) and reads the files back the way an admin's tools would: python-calamine and openpyxl
for the workbooks, the csv module for the CSVs, and csbatch's own intake.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from conftest import CONFIG
from csbatch.closing.runs import monthly_close
from csbatch.errors import CsbatchError
from csbatch.idnumbers import check_characters
from csbatch.policy import load_policy
from csbatch.samples import generate as generate_module
from csbatch.samples import generate_month
from csbatch.sheets.intake import read_inputs

PERIOD = "2026-10"


@pytest.fixture(scope="module")
def month(policy, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / PERIOD
    generate_month(policy, PERIOD, out)
    return out


@pytest.fixture(scope="module")
def inputs(policy, month):
    found, issues = read_inputs(policy, PERIOD, month)
    errors = [str(i) for i in issues if i.is_error]
    assert errors == [], "\n".join(errors)
    return found, [str(i) for i in issues if not i.is_error]


# --- reading back, independently of csbatch ------------------------------------------------------

def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _header_names(policy, kind: str) -> dict[str, str]:
    """Normalised header → canonical column of a kind."""
    out = {}
    for name, col in policy.inputs.kinds[kind].columns.items():
        for label in (name, *col.aliases):
            out[_fold(label)] = name
    return out


def _table(policy, kind: str, rows: list[list]) -> list[dict]:
    """Rows under the header row (the first row naming two or more columns of the kind), keyed
    by canonical column name; a trailing unit like （元） is dropped from headers."""
    names = _header_names(policy, kind)

    def canon(cell) -> str | None:
        text = _fold(str(cell)).strip()
        for unit in ("(元)",):
            text = text.removesuffix(unit)
        return names.get(text)

    for top, row in enumerate(rows):
        if sum(canon(c) is not None for c in row) >= 2:
            cols = [canon(c) for c in row]
            return [{c: v for c, v in zip(cols, r) if c is not None}
                    for r in rows[top + 1:] if any(v not in ("", None) for v in r)]
    raise AssertionError(f"no {kind} header found")


def _id(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _kind_of(policy, name: str) -> list[str]:
    stem = _fold(name).rsplit(".", 1)[0]
    return [k for k, kind in policy.inputs.kinds.items()
            if any(fnmatch.fnmatchcase(x, _fold(p)) for p in kind.files for x in (stem, _fold(name)))]


def read_kinds(policy, folder: Path) -> dict[str, list[dict]]:
    """Every kind's rows, found by file or (for files no pattern names) visible sheet name."""
    out: dict[str, list[dict]] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".csv":
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")
            (kind,) = _kind_of(policy, path.name)
            out.setdefault(kind, []).extend(_table(policy, kind, list(csv.reader(io.StringIO(text)))))
            continue
        book = CalamineWorkbook.from_path(str(path))
        by_file = _kind_of(policy, path.name)
        for meta in book.sheets_metadata:
            if str(meta.visible).endswith("Hidden"):
                continue
            (kind,) = by_file or _kind_of(policy, meta.name)
            rows = book.get_sheet_by_name(meta.name).to_python()
            out.setdefault(kind, []).extend(_table(policy, kind, rows))
    return out


# --- reproducible ---------------------------------------------------------------------------------

def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_bytes(policy, tmp_path):
    a = generate_month(policy, PERIOD, tmp_path / "a", seed=11)
    b = generate_month(policy, PERIOD, tmp_path / "b", seed=11)
    assert [p.name for p in a] == [p.name for p in b]
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_different_seed_gives_different_data(policy, tmp_path):
    generate_month(policy, PERIOD, tmp_path / "a", seed=11)
    generate_month(policy, PERIOD, tmp_path / "b", seed=12)
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert a.keys() == b.keys()
    assert a["员工名册.xlsx"] != b["员工名册.xlsx"] and a["销售订单_1.xlsx"] != b["销售订单_1.xlsx"]


def test_parallel_writing_gives_the_same_bytes(policy, tmp_path, monkeypatch):
    generate_month(policy, PERIOD, tmp_path / "serial", seed=5)
    monkeypatch.setattr(generate_module, "PARALLEL_FROM", 0)
    generate_month(policy, PERIOD, tmp_path / "parallel", seed=5)
    assert _bytes(tmp_path / "serial") == _bytes(tmp_path / "parallel")


def test_customer_base_is_the_same_every_month(policy, tmp_path):
    generate_month(policy, "2026-10", tmp_path / "10")
    generate_month(policy, "2026-11", tmp_path / "11")
    assert (tmp_path / "10" / "客户档案.xlsx").read_bytes() == \
        (tmp_path / "11" / "客户档案.xlsx").read_bytes()
    assert (tmp_path / "10" / "销售订单_1.xlsx").read_bytes() != \
        (tmp_path / "11" / "销售订单_1.xlsx").read_bytes()


# --- complete -------------------------------------------------------------------------------------

def test_every_input_kind_is_present(policy, month):
    found = set()
    for path in month.iterdir():
        kinds = _kind_of(policy, path.name)
        if not kinds:
            book = CalamineWorkbook.from_path(str(path))
            kinds = [k for name in book.sheet_names for k in _kind_of(policy, name)]
        assert kinds, f"{path.name} matches no kind"
        found.update(kinds)
    assert found == {k for k, spec in policy.inputs.kinds.items() if spec.monthly}   # not the go-live register


def test_intake_reads_every_kind_without_errors(policy, inputs):
    found, warnings = inputs
    assert all(not found[k].empty for k, spec in policy.inputs.kinds.items() if spec.monthly and k != "redemptions")
    assert found["redemptions"].empty          # first sample month: nobody holds points yet
    assert any("hidden sheet" in w for w in warnings)
    assert any("base pay" in w and "range" in w for w in warnings)
    # Two sales workbooks, concatenated; one workbook holding four kinds.
    assert set(found["sales"]["_file"]) == {"销售订单_1.xlsx", "销售订单_2.xlsx"}
    assert {k for k in policy.inputs.kinds
            if set(found[k]["_file"]) == {f"月度台账_{PERIOD}.xlsx"}} == \
        {"leave", "conduct", "recognitions", "collaboration"}


def test_codes_and_rules_are_all_exercised(policy, inputs):
    found, _ = inputs
    roster, sales = found["roster"], found["sales"]
    assert set(roster["role"]) == set(policy.roles)
    assert 2 <= roster["team"].dropna().nunique() <= 4
    assert set(found["conduct"]["violation"]) == set(policy.conduct)
    assert set(found["recognitions"]["kind"]) == set(policy.recognitions)
    assert set(found["complaints"]["category"]) == set(policy.complaints.categories)
    assert set(found["leave"]["leave_type"]) == set(policy.leave.types)
    assert set(found["leave"]["approved"]) == {True, False}
    for column, vocab in (("channel", "channel"), ("category", "category"),
                          ("store_type", "store_type"), ("status", "order_status")):
        assert set(sales[column].dropna()) == set(policy.code_list(vocab))
    assert set(found["callbacks"]["rating"].dropna()) == set(policy.code_list("rating"))
    assert set(found["chat_checks"]["result"]) == set(policy.code_list("check_result"))
    # every rule over the submissions and meetings sheets (issue 13: the recurring duties)
    assert set(found["submissions"]["kind"]) | set(found["meetings"]["kind"]) == {
        code for code, rule in policy.deadlines.items() if rule.evidence.sheet in ("submissions", "meetings")}
    meetings = found["meetings"]
    assert ((meetings["attended"] == False) & meetings["reason"].isna()).sum() == 1  # noqa: E712  unexcused
    assert (meetings["test_score"].dropna() < 60).sum() == 1
    minutes = found["conduct"]["minutes"].dropna().astype(int)
    assert (minutes <= 5).any() and (minutes > 5).any()
    complaints = found["complaints"]
    hours = (complaints["resolved_at"] - complaints["received_at"]).dt.total_seconds() / 3600
    assert (hours < 72).any() and (hours > 72).any() and (hours == 72).any()
    assert complaints["resolved_at"].isna().any() and (complaints["our_fault"] == False).any()  # noqa: E712
    scores = found["callbacks"]["score"].dropna()
    assert any(s <= 5 for s in scores) and any(s > 5 for s in scores)


def test_roster_has_joiner_leaver_leads_and_supervisors(policy, inputs):
    found, _ = inputs
    roster = found["roster"]
    assert roster["hire_date"].max().strftime("%Y-%m") == PERIOD
    assert roster["leave_date"].dropna().dt.strftime("%Y-%m").tolist() == [PERIOD]
    assert roster["team_lead"].fillna(False).sum() >= 2
    supervisors = set(roster.loc[roster["role"] == "supervisor", "employee_id"])
    agents = roster[roster["role"] == "ecommerce_cs"]
    assert set(agents["supervisor_id"]) <= supervisors and agents["supervisor_id"].notna().all()
    selling = roster[roster["role"].isin(["ecommerce_cs", "comprehensive_cs", "consulting_cs"])]
    assert selling["sales_target"].map(lambda v: v is not None and v > 0).all()


# --- consistent -----------------------------------------------------------------------------------

def test_cross_references_hold(policy, month):
    kinds = read_kinds(policy, month)
    roster = {_id(r["employee_id"]): r for r in kinds["roster"]}
    customers = {_id(r["customer_id"]): r for r in kinds["customers"]}
    orders = {_id(r["order_id"]): r for r in kinds["sales"]}
    assert len(orders) == len(kinds["sales"]) and len(customers) == len(kinds["customers"])
    for row in kinds["sales"]:
        assert _id(row["employee_id"]) in roster
        assert _id(row["customer_id"]) in customers
    for kind in ("complaints", "callbacks"):
        for row in kinds[kind]:
            if row.get("order_id"):
                order = orders[_id(row["order_id"])]
                assert _id(order["customer_id"]) == _id(row["customer_id"])
    roles = {k: policy.code_list("roles")[k] for k in policy.roles}
    ecommerce = set(roles["ecommerce_cs"])
    audited = {_id(r["employee_id"]) for r in kinds["audits"]}
    assert audited and all(roster[e]["role"] in ecommerce for e in audited)
    for kind, rows in kinds.items():
        for row in rows:
            if row.get("employee_id") not in (None, ""):
                assert _id(row["employee_id"]) in roster, (kind, row)
    ids = [r["id_number"] for r in kinds["customers"] if r["id_number"]]
    assert len(ids) > len(kinds["customers"]) / 2
    assert all(isinstance(x, str) and len(x) == 18 for x in ids)
    assert list(check_characters(ids)) == [x[-1].upper() for x in ids]
    assert max(Counter(ids).values()) == 2      # one person registered twice


def test_national_ids_are_text_cells(month):
    sheet = openpyxl.load_workbook(month / "客户档案.xlsx", read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    col = header.index("身份证号")
    values = [r[col] for r in rows if r[col] is not None]
    assert values and all(isinstance(v, str) and len(v) == 18 for v in values)


def test_orders_agents_sell_and_online_orders_have_no_store(policy, inputs):
    found, _ = inputs
    sales, roster = found["sales"], found["roster"].set_index("employee_id")
    role = sales["employee_id"].map(roster["role"])
    assert set(role) == {"ecommerce_cs", "comprehensive_cs", "consulting_cs"}
    online = sales["channel"] == "online"
    assert sales.loc[online, "store_type"].isna().all()
    assert sales.loc[~online, "store_type"].notna().all()
    invited = sales["channel"] == "invitation_sales"
    assert invited.any() and sales.loc[invited, "sales_rep_id"].notna().all()
    assert not sales.loc[invited, "sales_rep_id"].isin(roster.index).any()
    listed = sales["list_amount"].notna()
    assert listed.any() and (sales.loc[listed, "list_amount"] >= sales.loc[listed, "amount"]).all()
    flagship = sales[(sales["store_type"] == "flagship") & (sales["status"] == "completed")]
    threshold = policy.vip.programmes["flagship"].tiers["silver"].single_order
    assert (flagship["amount"] >= threshold).any()
    special = sales[(sales["category"] == "special_price") & (sales["status"] == "refunded")]
    assert not special.empty
    assert set(special["order_id"]) & set(found["complaints"]["order_id"].dropna())


def test_production_sheets_late_over_and_missing(policy, inputs):
    found, _ = inputs
    roster, sales, production = found["roster"], found["sales"], found["production"]
    agents = set(roster.loc[roster["role"] == "ecommerce_cs", "employee_id"])
    assert set(production["employee_id"]) < agents            # one missing
    assert (production["submitted_at"] > "2026-11-02 18:00").sum() == 1
    done = sales[sales["status"] == "completed"].groupby("employee_id")["amount"].sum()
    over = production[production["reported_sales"] > production["employee_id"].map(done)]
    assert len(over) == 1


def test_complaints_carry_the_agreed_deadline_and_the_stages(policy, inputs):
    """[003]'s process (issue 13): the open complaint has an agreed deadline; the stage columns
    are filled, with a required stage missing somewhere for the audit to list."""
    from csbatch.audit.complaints import missing_stages

    found, _ = inputs
    complaints = found["complaints"]
    assert complaints["agreed_deadline"].notna().sum() == 1
    assert complaints["customer_signed"].notna().any() and complaints["escalated"].notna().any()
    assert len(missing_stages(policy, complaints)) >= 1


def test_a_customer_qualifies_only_over_two_months(policy, tmp_path):
    """VIP trailing spend needs history: with the same seed, some customer's modern-store spend
    crosses the threshold only when October and November are added up."""
    tier = policy.vip.programmes["modern"].tiers["silver"]
    spend = []
    for period in ("2026-10", "2026-11"):
        generate_month(policy, period, tmp_path / period)
        found, issues = read_inputs(policy, period, tmp_path / period)
        assert not [i for i in issues if i.is_error]
        sales = found["sales"]
        sales = sales[(sales["status"] == "completed") & (sales["store_type"] == "modern")
                      & (sales["order_date"].dt.strftime("%Y-%m") == period)]
        assert (sales["amount"] < tier.single_order).any()
        spend.append(sales.groupby("customer_id")["amount"].agg(["sum", "max"]))
    both = spend[0].merge(spend[1], left_index=True, right_index=True, suffixes=("_10", "_11"))
    crossing = both[(both["sum_10"] < tier.trailing_12m) & (both["sum_11"] < tier.trailing_12m)
                    & (both["sum_10"] + both["sum_11"] >= tier.trailing_12m)
                    & (both[["max_10", "max_11"]].max(axis=1) < tier.single_order)]
    assert not crossing.empty
    # November also refunds an October order: same id, same amount, status refunded.
    nov = read_inputs(policy, "2026-11", tmp_path / "2026-11")[0]["sales"]
    old = nov[nov["order_date"].dt.strftime("%Y-%m") == "2026-10"]
    assert list(old["status"]) == ["refunded"]
    octo = read_inputs(policy, "2026-10", tmp_path / "2026-10")[0]["sales"].set_index("order_id")
    assert octo.loc[old["order_id"].iloc[0], "status"] == "completed"


# --- messy on purpose -----------------------------------------------------------------------------

def test_time_clock_export_is_gbk(month):
    raw = (month / f"考勤_{PERIOD}.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    header = next(csv.reader(io.StringIO(text)))
    assert "考勤号码" in header and "打卡时间" in header
    assert " 8:30:59," in text or " 08:30:59," in text        # on time, to the minute
    assert " 8:31:00," in text or " 08:31:00," in text        # late
    assert (month / f"接待统计_{PERIOD}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_title_row_sits_above_the_header(policy, month):
    book = CalamineWorkbook.from_path(str(month / "销售订单_2.xlsx"))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    assert "销售订单" in str(rows[0][0])
    names = _header_names(policy, "sales")
    top = next(i for i, r in enumerate(rows) if sum(_fold(str(c)) in names for c in r) >= 2)
    assert top >= 1


def test_hidden_sheet_and_mixed_value_forms(policy, month):
    book = openpyxl.load_workbook(month / "销售订单_1.xlsx")
    assert [ws.sheet_state for ws in book.worksheets] == ["visible", "hidden"]
    cells = [c for ws in (book.worksheets[0],) for row in ws.iter_rows() for c in row]
    shop = openpyxl.load_workbook(month / "销售订单_2.xlsx").worksheets[0]
    cells += [c for row in shop.iter_rows() for c in row]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(t.startswith("¥") and "," in t for t in texts)
    assert any(t.endswith("元") for t in texts)
    assert any(t[:1] in "０１２３４５６７８９" for t in texts)
    assert any("年" in t and "月" in t and t.endswith("日") for t in texts)
    assert any(c.is_date for c in cells)
    assert "×" in texts
    roster = openpyxl.load_workbook(month / "员工名册.xlsx").worksheets[0]
    assert "√" in {c.value for row in roster.iter_rows() for c in row}


def test_too_few_employees_is_an_error(policy, tmp_path):
    with pytest.raises(CsbatchError, match="at least"):
        generate_month(policy, PERIOD, tmp_path, employees=5)


def test_a_silver_tier_without_a_single_order_is_refused_by_name(tmp_path):
    """The sample month scripts a customer who qualifies by one order: a policy whose silver tier
    qualifies only over twelve months cannot be sampled, and says which setting it needs."""
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    vip = config / "vip.yaml"
    vip.write_text(vip.read_text(encoding="utf-8").replace("single_order: 60000, ", ""), encoding="utf-8")
    policy, issues = load_policy(config)
    assert policy is not None, [str(i) for i in issues]
    with pytest.raises(CsbatchError, match=r"silver tier of the .* programme a single_order in vip\.yaml"):
        generate_month(policy, PERIOD, tmp_path / "out")


def test_larger_rosters_scale(policy, tmp_path):
    files = generate_month(policy, PERIOD, tmp_path, employees=120, orders=3000, seed=3)
    found, issues = read_inputs(policy, PERIOD, tmp_path)
    assert not [str(i) for i in issues if i.is_error]
    assert len(found["roster"]) == 120 and len(found["sales"]) == 3001
    assert len(files) == 19         # the sample month's 19 files (issue 13: 排班表, VIP资料变更, 会议培训记录)


def test_the_sample_month_has_a_shift_grid_and_closes_with_it(policy, month, inputs, tmp_path):
    """排班表 as a month grid: two people on a week of nights each, then a weekday off; the
    month closes with it, their nights present without a missing punch and the day off no absence."""
    found, _ = inputs
    rota = found["shifts"]
    assert set(rota["shift"]) == {"night", "off"} and rota["employee_id"].nunique() == 2
    wb = openpyxl.load_workbook(next(month.glob("排班表*.xlsx")))
    assert [c.value for c in wb.worksheets[0][3]][:4] == ["工号", "姓名", "1", "2"]   # the grid
    outcome = monthly_close(PERIOD, month, tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    days = outcome.state.attendance.days.set_index(["employee_id", "date"])
    nights = rota[rota["shift"] == "night"].set_index(["employee_id", "date"]).index
    assert days.loc[nights, "present"].all() and not days.loc[nights, "missing_punch"].any()
    offs = rota[rota["shift"] == "off"].set_index(["employee_id", "date"]).index
    assert not offs.isin(days.index).any()
