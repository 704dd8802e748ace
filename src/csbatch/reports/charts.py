"""The audit report's charts as inline SVG strings (matplotlib, Agg backend, never a window).

Text stays text (`svg.fonttype: none`): the browser draws it, Chinese included, with the page's
own fonts; the SVG names CJK families first. Each chart gets its own `svg.hashsalt`, so its ids
are stable across runs and distinct from the other charts' on the same page; the metadata carries
no date or creator. The same frames give byte-identical SVG.

Every function returns None when there is nothing to draw (the page then says so in words).
Bar charts and the heatmap draw no title (the page's heading names them): `title` is the SVG's
accessible name (aria-label); trend charts draw theirs, they stand side by side. The SVG carries
no XML declaration, doctype or namespace URLs: it is meant for inline use in HTML, which knows
the SVG namespace. Ids are prefixed with the chart's name, so charts share a page safely.
Labels from inputs (team names, categories) are drawn as plain text, never as mathtext, and the
SVG writer escapes them.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # a batch tool: never a window, whatever MPLBACKEND says

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import offset_copy

from csbatch.blanks import is_blank
from csbatch.i18n import N_, word
from csbatch.reports.cells import to_decimal

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: The browser picks the first family it has; matplotlib measures with the first it finds.
FONT_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC",
                 "Hiragino Sans GB", "Microsoft YaHei", "DejaVu Sans"]

INK = "#1f2329"
MUTED = "#86909c"
GRID = "#e5e6eb"

#: Outcome colours shared by the stacked bars (and the page's legend chips).
GOOD = "#4e9a5f"
LATE = "#e8a33d"
OPEN = "#a9b8c9"
BAD = "#d64545"

#: (status code, its word (the catalogue has the Chinese), colour)
SLA_SERIES = (("on_time", N_("Resolved on time"), GOOD), ("late", N_("Resolved late"), LATE),
              ("open_within_sla", N_("Open (within SLA)"), OPEN), ("open_past_sla", N_("Open past SLA"), BAD))
DEADLINE_SERIES = (("on_time", N_("On time"), GOOD), ("late", N_("Late"), LATE), ("missing", N_("Missing"), BAD),
                   ("open", N_("Not yet due"), OPEN))

# share of points earned: red below 50 %, amber around 75 %, green at 100 %
HEAT = LinearSegmentedColormap.from_list("csbatch_heat", ["#e5484d", "#f5c451", "#6cc07a"]).with_extremes(
    bad="#f2f3f5")
HEAT_FLOOR = 0.5


def _rc(name: str) -> dict[RcKeyType, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": f"csbatch-{name}",
        "svg.image_inline": True,
        "font.family": ["sans-serif"],
        "font.sans-serif": FONT_FAMILIES,
        "font.size": 9,
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlecolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": INK,
        "ytick.labelcolor": INK,
        "legend.frameon": False,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "path.simplify": False,
    }


@contextmanager
def _quiet():
    """No "findfont: … not found" or "Glyph … missing" noise where a CJK family is absent: the
    browser, not matplotlib, draws the text."""
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*[Gg]lyph .* missing")
            warnings.filterwarnings("ignore", message=r".*findfont")
            yield
    finally:
        logger.setLevel(level)


_XML_HEAD = re.compile(r"\A\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_XMLNS = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')
_TAG = re.compile(r"<[^<>]*>")  # text content is escaped: "<" only starts a tag
_REF = re.compile(r'(\bid="|href="#|url\(#)([^"()]+)')


def _svg(fig: Figure, name: str, title: str) -> str:
    """The figure as an SVG element for inline use: no XML declaration, doctype or metadata, an
    accessible name, and a class the page styles."""
    buf = io.StringIO()
    with _quiet():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None,
                                                  "Type": None})
    text = _METADATA.sub("", _XML_HEAD.sub("", buf.getvalue()))
    # inline in HTML the parser knows the SVG and xlink namespaces: no URLs left on the page
    start = text.index("<svg ")
    end = text.index(">", start)
    text = text[:start] + _XMLNS.sub("", text[start:end]) + text[end:]
    # many charts share one page (one id space): every id and reference gets the chart's name
    text = _TAG.sub(lambda m: _REF.sub(lambda r: f"{r.group(1)}{name}-{r.group(2)}", m.group(0)), text)
    label = (title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
             .replace(">", "&gt;"))
    text = text.replace("<svg ", f'<svg class="chart-svg" role="img" aria-label="{label}" ', 1)
    return text.strip() + "\n"


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _num(value: Any) -> float:
    if is_blank(value):
        return math.nan
    try:
        return float(to_decimal(value))
    except Exception:
        return math.nan


def _count(value: Any) -> int:
    v = _num(value)
    return 0 if math.isnan(v) else int(v)


def _name(name: Any, code: Any) -> str:
    """A code's name where there is one, else the code."""
    return str(code) if is_blank(name) or str(name) == "" else str(name)


# --- stacked bars ------------------------------------------------------------------------------

def _stacked_barh(name: str, title: str, labels: Sequence[str], series, counts: dict[str, list[int]],
                  lang: str) -> str:
    n = len(labels)
    fig = _figure(7.6, 0.9 + 0.36 * n)
    ax = fig.subplots()
    y = np.arange(n)
    left = np.zeros(n)
    totals = np.zeros(n)
    for code, _, _ in series:
        totals += np.array(counts[code], dtype=float)
    for code, label, colour in series:
        values = np.array(counts[code], dtype=float)
        ax.barh(y, values, left=left, color=colour, height=0.62, label=word(lang, label), edgecolor="white",
                linewidth=0.8)
        for i, (v, x0) in enumerate(zip(values, left)):
            if v > 0 and v >= 0.06 * max(totals.max(), 1):
                ax.text(x0 + v / 2, i, f"{int(v)}", ha="center", va="center", fontsize=8,
                        color=INK if code in ("open_within_sla", "open") else "white", parse_math=False)
        left = left + values
    for i, total in enumerate(totals):
        ax.text(total + max(totals.max(), 1) * 0.01, i, f"{int(total)}", va="center", ha="left", fontsize=8.5,
                color=INK, fontweight="bold", parse_math=False)
    ax.set_yticks(y, labels=list(labels), parse_math=False)
    ax.invert_yaxis()
    ax.set_xlim(0, max(totals.max(), 1) * 1.08)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    fig.legend(loc="outside upper left", ncols=len(series), fontsize=8, handlelength=1, handleheight=0.8,
               columnspacing=1.2)
    return _svg(fig, name, title)


def complaint_sla(categories: pd.DataFrame, title: str = N_("Complaint resolution times (by category)"),
                  lang: str = "zh") -> str | None:
    """Complaints by category as stacked bars: on time, late, open within and open past the SLA.
    `categories` is AuditReport.complaint_categories; categories without complaints are left out."""
    if categories is None or categories.empty:
        return None
    frame = categories.assign(_n=[_count(v) for v in categories["complaints"]])
    frame = frame[frame["_n"] > 0].sort_values("_n", ascending=False, kind="stable")
    if frame.empty:
        return None
    names = frame["category_name"] if "category_name" in frame.columns else frame["category"]
    labels = [_name(n, c) for n, c in zip(names, frame["category"])]
    counts = {code: [_count(v) for v in frame[code]] for code, _, _ in SLA_SERIES}
    with rc_context(_rc("complaint_sla")):
        return _stacked_barh("complaint_sla", word(lang, title), labels, SLA_SERIES, counts, lang)


def deadlines_by_rule(deadlines: pd.DataFrame, title: str = N_("Deadline checks (by rule)"),
                      lang: str = "zh") -> str | None:
    """Deadline checks per rule as stacked bars: on time, late, missing, open."""
    if deadlines is None or deadlines.empty:
        return None
    names = deadlines["rule_name"] if "rule_name" in deadlines.columns else deadlines["rule"]
    keys = [_name(n, r) for n, r in zip(names, deadlines["rule"])]
    order = list(dict.fromkeys(keys))
    counts = {code: [0] * len(order) for code, _, _ in DEADLINE_SERIES}
    for key, status in zip(keys, deadlines["status"]):
        if status in counts:
            counts[status][order.index(key)] += 1
    with rc_context(_rc("deadlines")):
        return _stacked_barh("deadlines", word(lang, title), order, DEADLINE_SERIES, counts, lang)


# --- QA heatmap --------------------------------------------------------------------------------

def qa_heatmap(heatmap: pd.DataFrame, groups: Sequence[tuple[str, Sequence[str]]] = (),
               title: str = N_("QA questionnaire: share of points by item (team × item)"),
               lang: str = "zh") -> str | None:
    """Teams × questionnaire items, each cell coloured by the share earned (taboos: the share of
    audits without the violation) and annotated in percent; no data is a grey dash. `groups` names
    the sections over their items: [(section name, [item codes])]."""
    if heatmap is None or heatmap.empty or not len(heatmap.columns):
        return None
    teams = [str(t) for t in heatmap.index]
    items = [str(c) for c in heatmap.columns]
    values = np.array([[_num(v) for v in row] for row in heatmap.itertuples(index=False, name=None)], dtype=float)
    rows, cols = values.shape
    with rc_context(_rc("qa_heatmap")):
        width = min(11.0, max(6.0, 1.3 + 0.47 * cols))
        fig = _figure(width, 0.95 + 0.34 * rows)
        ax = fig.subplots()
        masked = np.ma.masked_invalid(values)
        ax.pcolormesh(np.arange(cols + 1), np.arange(rows + 1), masked, cmap=HEAT,
                      norm=Normalize(vmin=HEAT_FLOOR, vmax=1.0, clip=True), edgecolors="white", linewidth=1.2)
        for r in range(rows):
            for c in range(cols):
                v = values[r, c]
                text = "—" if math.isnan(v) else f"{v * 100:.0f}"
                ax.text(c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=7.5,
                        color=MUTED if math.isnan(v) else INK, parse_math=False)
        ax.set_xlim(0, cols)
        ax.set_ylim(rows, 0)
        ax.xaxis.tick_top()
        ax.set_xticks(np.arange(cols) + 0.5, labels=items, parse_math=False, fontsize=7.5)
        ax.set_yticks(np.arange(rows) + 0.5, labels=teams, parse_math=False)
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        position = {code: i for i, code in enumerate(items)}
        above = offset_copy(ax.get_xaxis_transform(), fig=fig, y=15, units="points")
        for name, codes in groups:
            idx = [position[c] for c in codes if c in position]
            if not idx:
                continue
            lo, hi = min(idx), max(idx) + 1
            ax.plot([lo + 0.1, hi - 0.1], [1, 1], transform=above, color=MUTED, linewidth=0.8, clip_on=False)
            ax.text((lo + hi) / 2, 1, str(name), transform=above, ha="center", va="bottom", fontsize=8.5,
                    color=INK, parse_math=False)
            if lo > 0:
                ax.axvline(lo, color="white", linewidth=3.5)
        return _svg(fig, "qa_heatmap", word(lang, title))


# --- trends ------------------------------------------------------------------------------------

def _format(value: float, kind: str) -> str:
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "money":
        return f"¥{value:,.0f}"
    if kind == "int":
        return f"{value:,.0f}"
    return f"{value:,.1f}".rstrip("0").rstrip(".") if kind == "decimal" else f"{value:,.4g}"


def trend(trends: pd.DataFrame, figure: str, label: str, kind: str = "number") -> str | None:
    """One figure over the closed months (report.trends rows of `figure`): a small line chart, or
    None when fewer than two months have a value."""
    if trends is None or trends.empty:
        return None
    rows = trends[trends["figure"] == figure]
    points = sorted((str(p), _num(v)) for p, v in zip(rows["period"], rows["value"]))
    points = [(p, v) for p, v in points if not math.isnan(v)]
    if len(dict(points)) < 2:
        return None
    periods = list(dict(points))
    values = [dict(points)[p] for p in periods]
    with rc_context(_rc(f"trend-{figure}")):
        fig = _figure(3.5, 2.0)
        ax = fig.subplots()
        x = np.arange(len(periods))
        ax.plot(x, values, color="#3b6fb6", linewidth=1.8, marker="o", markersize=4)
        ax.plot(x[-1:], values[-1:], marker="o", markersize=6.5, color="#3b6fb6", linestyle="none")
        low, high = min(values), max(values)
        span = (high - low) or (abs(high) or 1) * 0.2
        ax.set_ylim(low - span * 0.35, high + span * 0.45)
        for xi, v in zip(x, values):
            ax.annotate(_format(v, kind), (xi, v), xytext=(0, 6), textcoords="offset points", ha="center",
                        va="bottom", fontsize=7.5, color=INK, parse_math=False)
        ax.set_xticks(x, labels=periods, parse_math=False, fontsize=7.5)
        ax.set_xlim(-0.4, len(periods) - 0.6)
        ax.yaxis.set_major_locator(MaxNLocator(4, integer=kind in ("int", "money")))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _format(v, kind)))
        ax.tick_params(axis="y", labelsize=7, length=0)
        ax.tick_params(axis="x", length=0)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(label, parse_math=False, fontsize=9.5)
        return _svg(fig, f"trend-{figure}", label)


def trends(trend_frame: pd.DataFrame, figures: dict[str, str], kinds: dict[str, str]) -> dict[str, str]:
    """A trend chart per figure (in `figures`' order) that has at least two months."""
    out = {}
    for code, label in figures.items():
        svg = trend(trend_frame, code, label, kinds.get(code, "number"))
        if svg is not None:
            out[code] = svg
    return out
