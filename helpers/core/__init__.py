"""The base every stage builds on, with no widgets and no stage in it: errors, paths,
safety (escaping, formula neutralising, atomic writes), value parsing and formatting."""
