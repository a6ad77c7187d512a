"""``python -m notify``: eventlet must patch the process before anything else is imported (nameko needs it)."""

import eventlet

eventlet.monkey_patch()

from notify.entrypoints.main import main  # noqa: E402

main()
