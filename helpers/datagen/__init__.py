"""The deterministic generator of the course's synthetic data (`python -m helpers generate-data`).

A tool above the stages: the data it makes follows the stages' rules (the monitoring
stage's RAG rule). Nothing below it imports it; `helpers.data` runs it as a command
when the git-ignored ledgers are missing.

- `generate`: `generate_all`, `check`, `generate_missing` (and the names tools reach through it)
- `reference`, `suppliers`, `ledgers`, `tenders`, `contracts`, `tables`, `schema`: the parts
- `cli`: the `generate-data` command
"""
