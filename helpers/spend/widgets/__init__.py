"""The tools of this stage. The spend-analysis workbench is one tool in several files:
`workbench` (the widget and `spend_workbench`), `workbench_dashboard` (its later steps),
`workbench_state` (the state, no widgets), `workbench_figures`, `workbench_views` and
`workbench_static` (the headless view)."""
