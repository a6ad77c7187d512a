"""teacher: the teacher portal — the e-journal, kindergarten observations and teacher feedback to the ministry."""
