"""How the audit report points at what needs attention (docs/policy.md#audit): company-set
thresholds, kept with the policy so a team changes them in review, not in code."""

from __future__ import annotations

from pydantic import Field

from csbatch.policy.base import Flag, Model, NonNegNumber, Rate


class Coaching(Model):
    """Who the audit report lists for coaching."""

    qa_below: NonNegNumber = Field(description="an agent whose mean QA score is below this needs coaching")
    any_taboo: Flag = Field(description="an agent with any taboo violation needs coaching too")


class AuditPolicy(Model):
    """Company-set thresholds of the audit report."""

    coaching: Coaching = Field(description="who is listed for coaching")
    auditor_gap: NonNegNumber = Field(description="an auditor whose mean differs from the overall mean by at "
                                            "least this many points is highlighted (harsh or lenient)")
    callback_completion_target: Rate = Field(description="callback completion below this is highlighted")
