"""The tools of this stage, one file per tool: `local_spend_estimator`."""
