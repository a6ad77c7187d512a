"""HR service: staff registry, positions, employment history, teaching assignments and vacancies."""
