"""The parent portal: guardians see their linked children's school life (read models built from events)."""
