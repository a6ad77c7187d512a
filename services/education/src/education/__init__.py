"""Education management: the system of record for who learns where."""
