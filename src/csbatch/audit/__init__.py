"""The audit stage (docs/policy.md#deadlines, #questionnaire): deadline rules, complaint SLA,
callbacks, QA audits and exceptions — what went wrong this month and who needs coaching.
`csbatch.audit.run.run_audit` computes an `AuditReport` (see `csbatch.audit.report`); the reports
render it."""
