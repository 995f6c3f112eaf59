"""``fukushi-kg lint`` on the plan tables people edit (data/plans/<document-id>/, or a workbook).

``run.lint_tables`` runs the steps: files (files.py), the format (schema_checks.py), records and
references (references.py), and the graph rules on the graph the tables make (graph_rules.py),
every finding at its file:line:column (``Sheet!C12`` in a workbook). The codes are the TAB codes
of ``graph/lint/codes.py`` beside the graph's.
"""
