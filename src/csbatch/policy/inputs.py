"""`config/inputs.yaml`: how input sheets are found and read (docs/inputs.md) — file-name patterns,
header aliases, column types, keys, and the vocabularies people type (是/否, 已完成, 满意)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from csbatch.i18n import N_, Named, Said
from csbatch.policy.base import Code, Flag, Int, Model, Number, Text

ColumnType = Literal["id", "text", "int", "number", "money", "date", "datetime", "time", "month",
                     "bool", "code", "phone", "national_id"]

#: Code lists defined elsewhere in the policy that a `code` column may name.
POLICY_CODE_LISTS = ("roles", "leave_types", "conduct", "recognitions", "complaint_categories",
                     "pay_components", "deadline_rules", "shifts")


class Column(Model):
    """A column of an input kind: found by its name or an alias, its cells read as its type."""

    aliases: list[Text] = Field([], description="other header names (case, spaces, full-width "
                                                "characters and a trailing unit like (元) ignored)")
    type: ColumnType = Field(description="how its cells are read (docs/inputs.md#column-types)")
    required: Flag = Field(False, description="the header must be there and every row's cell filled")
    default: str | None = Field(None, description="value used when the cell is blank")
    codes: Code | None = Field(None, description="vocabulary or policy code list for a code column")
    min: Number | None = Field(None, description="smallest value accepted")
    max: Number | None = Field(None, description="largest value accepted")
    description: str | None = Field(None, description="what the column holds, for people")
    fill_down: Flag = Field(False, description="a merged range in this column fills each of its rows")

    @model_validator(mode="after")
    def _codes(self):
        if (self.type == "code") != (self.codes is not None):
            raise ValueError(Said(N_("a `code` column names its `codes`, and only a code column does")))
        return self


class PeriodRule(Model):
    """Which rows of a dated kind belong to the month being closed (`csbatch.sheets.period`).

    A row's date is the first filled of `date`; with `until`, the row is a span from that date to
    `until` and belongs to every month it overlaps. Rows of another month are left out with a
    warning, except those kept for the lists that need them (never counted): a row with one of
    `also` inside the month, or one dated before the month whose column holds the code in
    `earlier`. A kind the month `needs` whose rows all lie in other months is an error. A row
    with no date counts, unless the kind is `dated`: then it is an error (a punch with its time
    blanked is no punch, and dropping it would make its day an absence)."""

    date: list[Code] = Field(min_length=1, description="the row's date: the first filled of these")
    until: Code | None = Field(None, description="a span's last date")
    also: list[Code] = Field([], description="kept (not counted) when one of these is in the month")
    earlier: dict[Code, Code] = Field({}, description="kept (not counted) when dated earlier and "
                                                       "the column holds this code")
    needed: Flag = Field(False, description="rows but none in the month is an error")
    dated: Flag = Field(False, description="a row with none of `date` filled is an error (else it counts)")

    @field_validator("date", mode="before")
    @classmethod
    def _one_or_more(cls, value):
        return [value] if isinstance(value, str) else value

    @property
    def columns(self) -> list[str]:
        return [*self.date, *([self.until] if self.until else []), *self.also, *self.earlier]


class Kind(Model):
    """An input kind: one sort of sheet the close reads (the roster, sales, complaints, ...)."""

    name: Text = Field(description="Chinese label")
    description: str | None = Field(None, description="what a row is, for people")
    files: list[Text] = Field(min_length=1, description="file or sheet name patterns (globs)")
    required: Flag = Field(False, description="a close without it is refused (else it is empty, with a "
                                              "warning)")
    monthly: Flag = Field(True, description="read by the close from the month's inputs folder; false: a "
                                            "one-time file only its own command reads (the VIP member "
                                            "register of `csbatch vip import-members`)")
    noted_missing: Flag = Field(True, description="a month without it is a warning; false: quietly empty "
                                                  "(the shift schedule, which most months need not have)")
    key: list[Code] = Field([], description="columns that name a row: a row appearing twice is an error")
    columns: dict[Code, Column] = Field(min_length=1, description="columns by canonical name")
    item_columns: Literal["questionnaire", "month_days"] | None = Field(
        None, description="further columns are the questionnaire's items, or the month's days (a wide "
                          "grid, header 1…31 or dates: each cell is the `value` column of its day)")
    value: Code | None = Field(None, description="with month_days: the column each day's cell fills")
    period: PeriodRule | None = Field(None, description="a dated kind's period column(s); "
                                                        "blank: not dated (a roster, a snapshot)")

    def header(self, column: str) -> Named:
        """A column as a message names it: its key in English (as messages always have), its usual
        header (its first alias in inputs.yaml, 工号) in another language."""
        col = self.columns.get(column)
        return Named(column, str(col.aliases[0]) if col is not None and col.aliases else column)

    @field_validator("period", mode="before")
    @classmethod
    def _period_shorthand(cls, value):
        return {"date": value} if isinstance(value, (str, list)) else value


class Booleans(Model):
    """What people type for yes and no (case ignored)."""

    true: list[Text] = Field(min_length=1, description="read as yes")
    false: list[Text] = Field(min_length=1, description="read as no")


class DateRange(Model):
    """Dates outside this range are errors (a typo like 0026)."""

    earliest: dt.date = Field(description="the earliest date accepted")
    latest_years_after_period: Int = Field(1, description="the latest: this many years after the period")


class Limits(Model):
    """What reading one input file may cost; checked from a workbook's zip directory."""

    workbook_uncompressed_mb: Number = Field(gt=0, description="all parts of a workbook inflated")
    workbook_compression_ratio: Number = Field(ge=20, description="inflated / stored, per part")
    compression_ratio_from_mb: Number = Field(ge=0, description="smaller parts are not ratio-checked")


class InputsPolicy(Model):
    """How input sheets are found and read."""

    booleans: Booleans = Field(description="yes/no words")
    not_applicable: list[Text] = Field(min_length=1, description="what marks a questionnaire item not "
                                                                 "applicable")
    date_range: DateRange = Field(description="dates accepted")
    vocabularies: dict[Code, dict[Code, list[Text]]] = Field(
        {}, description="code lists of `code` columns: list name → code → labels people type")
    kinds: dict[Code, Kind] = Field(min_length=1, description="input kinds by code")
    limits: Limits = Field(description="what reading one file may cost")

    def kind_named(self, kind: str) -> str:
        """An input kind as a message names it: its code in English, its name (员工名册) in another
        language."""
        return Named(kind, self.kinds[kind].name) if kind in self.kinds else kind

    def code_named(self, vocabulary: str, code: str) -> str:
        """A vocabulary's code (a sales channel) as a message names it: the code in English, its
        first label (邀约后销售成交) in another language."""
        labels = self.vocabularies.get(vocabulary, {}).get(code)
        return Named(code, str(labels[0])) if labels else code
