"""QA: the supervisors' questionnaire (督导问卷) scored per audit (`questionnaire`). "Audit" in
this package means one QA audit of one agent; the month's audit report is `csbatch.audit`."""
