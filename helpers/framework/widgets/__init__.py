"""The tools of this stage, one file per tool: `threshold_advisor`."""
