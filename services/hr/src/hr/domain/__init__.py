"""Pure domain model of the HR service: no I/O, no framework imports."""
