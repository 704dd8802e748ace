"""Scorecards: measured values from the input sheets (`measures`), the QA questionnaire's scores
(`csbatch.qa.questionnaire`), and the one engine that turns measured values into points, totals, ranks and
grades for every scorecard of the policy (`engine`).

Interfaces between the parts:

    score_audits(audits, questionnaire) -> (AuditResult, issues)
        AuditResult.audits: one row per audit (audits.csv columns + provenance)
        AuditResult.mean_score(): employee_id -> mean score (Decimal) of the month's audits

    measure_all(period, policy, inputs, attendance, audits, explain_for=None) -> (Measured, issues)
        Measured.values: DataFrame indexed by employee_id (every employee of the attendance
            summary), one object column per name of csbatch.policy.vocabulary.MEASURES; Decimal values
            (counts too, so formulas mix freely), None where there is nothing to measure,
            str for self_evaluation
        Measured.sources: {(employee_id, measure): [input places, e.g. 'sales.xlsx[Sheet1]!row 14']}
            filled only for the employees in `explain_for`
"""
