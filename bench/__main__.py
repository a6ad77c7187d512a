"""``python -m bench`` (``make bench``)."""

from bench.runner import main

main()
