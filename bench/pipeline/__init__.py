"""Worker processes of scenario 3 (``python -m bench.pipeline relay|consume|bare-produce|bare-consume``).

Each runs in its own process, as the relay and the consumer do in production (one in the publishing service, one
in the consuming service), so they do not share one interpreter's GIL.
"""
