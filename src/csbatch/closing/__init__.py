"""The close pipeline: the month's stages in one list over an immutable state (`stages`, `state`,
`runner`), the publish protocol that commits to the ledger and renames the staging folder into
place (`publish`, `manifest`), the history a close reads from earlier months (`history`), and
`explain`'s run of the same stages (`explanation`). Commands call `monthly_close`,
`run_until_written` and `check_inputs` (`runs`); nothing below this layer imports it."""
