"""nameko tests: they need an eventlet-patched process, so they run in one of their own.

``services/notify/tests/integration/test_amqp_suite.py`` starts that process (as a plain ``make test`` runs);
by hand: ``.venv/bin/python -m nameko test services/notify/tests/amqp -p no:cacheprovider``. A process that
is not patched (the main pytest run) leaves these files to that process instead of hanging on them.
"""

from __future__ import annotations

import sys

_eventlet = sys.modules.get("eventlet")  # never imported (so never patched) by the main run
PATCHED = _eventlet is not None and _eventlet.patcher.is_monkey_patched("socket")
if not PATCHED:
    collect_ignore_glob = ["test_*.py"]
