"""The teacher portal's rules: pure Python, no I/O."""
