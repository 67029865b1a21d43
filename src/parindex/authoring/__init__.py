"""Tools for the people who encode criteria tables: amendments, diffs, scaffolds, YAML test cases
and spreadsheet import. Each module is imported on use; see ``docs/authoring.md``.

This package's own namespace stays light: the pytest plugin imports it in every pytest run.
"""

#: How a YAML test case file's name ends; ``parindex test DIR`` and the pytest plugin look for it.
CASE_SUFFIX = ".case.yaml"
