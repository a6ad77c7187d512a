"""Activity simulator: request files for a school day of attendance, a term of marks, transfers and withdrawals.

``python -m bench.synthetic.activity --data DIR`` reads a generated dataset and writes JSONL request files
(one request body per line) into ``DIR/activity``; loaders send them to the owning services.
"""
