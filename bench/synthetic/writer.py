"""Streaming output: one CSV per entity (header + rows, UTF-8) and a manifest.json saying what is there.

Columns carry a PostgreSQL type so a loader (and the raw COPY baseline) can create matching tables.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any

FORMAT_VERSION = 1
_PERSON = [("id", "uuid"), ("register_number", "text"), ("family_name", "text"), ("given_name", "text"),
           ("birth_date", "date"), ("sex", "text")]
SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "admin_units": [("id", "uuid"), ("kind", "text"), ("code", "text"), ("name_mn", "text"), ("name_en", "text"),
                    ("parent_id", "uuid"), ("aimag_code", "text"), ("register_letter", "text"), ("centre", "boolean")],
    "institutions": [("id", "uuid"), ("kind", "text"), ("ownership", "text"), ("name_mn", "text"),
                     ("name_en", "text"), ("unit_id", "uuid"), ("aimag_code", "text"), ("area_code", "text"),
                     ("place", "text")],
    "subjects": [("code", "text"), ("name_mn", "text"), ("name_en", "text"), ("specialty", "text"),
                 ("weekly_hours_by_grade", "text")],
    "classes": [("id", "uuid"), ("institution_id", "uuid"), ("school_year", "integer"), ("level", "text"),
                ("letter", "text"), ("name", "text"), ("shift", "integer"), ("room", "text"), ("capacity", "integer"),
                ("size", "integer"), ("class_teacher_id", "uuid")],
    "learners": [*_PERSON, ("institution_id", "uuid"), ("class_id", "uuid"), ("level", "text"),
                 ("aimag_code", "text"), ("area_code", "text"), ("special_needs", "boolean"),
                 ("household_id", "uuid"), ("synthetic", "boolean")],
    "guardians": [*_PERSON, ("phone", "text"), ("household_id", "uuid"), ("institution_id", "uuid"),
                  ("aimag_code", "text"),
                  ("synthetic", "boolean")],
    "guardian_links": [("learner_id", "uuid"), ("guardian_id", "uuid"), ("relationship", "text")],
    "staff": [*_PERSON, ("institution_id", "uuid"), ("role", "text"), ("subjects", "text"), ("aimag_code", "text"),
              ("synthetic", "boolean")],
    "assignments": [("teacher_id", "uuid"), ("class_id", "uuid"), ("subject_code", "text"),
                    ("weekly_hours", "integer")],
    "timetable": [("class_id", "uuid"), ("shift", "integer"), ("day", "integer"), ("period", "integer"),
                  ("subject_code", "text"), ("teacher_id", "uuid"), ("room", "text")],
}


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


class DatasetWriter:
    """Open CSV writers for every entity; ``close`` writes the manifest with row counts."""

    def __init__(self, out: Path) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.counts = dict.fromkeys(SCHEMAS, 0)
        self._files: dict[str, IO[str]] = {}
        self._writers = {name: self._open(name) for name in SCHEMAS}

    def _open(self, name: str) -> Any:
        handle = (self.out / f"{name}.csv").open("w", encoding="utf-8", newline="")
        self._files[name] = handle
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([column for column, _ in SCHEMAS[name]])
        return writer

    def write(self, entity: str, row: dict[str, Any]) -> None:
        self._writers[entity].writerow([_cell(row.get(column)) for column, _ in SCHEMAS[entity]])
        self.counts[entity] += 1

    def close(self, manifest: dict[str, Any]) -> dict[str, Any]:
        for handle in self._files.values():
            handle.close()
        files = {name: {"file": f"{name}.csv", "rows": self.counts[name], "columns": dict(SCHEMAS[name])}
                 for name in SCHEMAS}
        full = {"synthetic": True, "format_version": FORMAT_VERSION, **manifest, "files": files}
        (self.out / "manifest.json").write_text(json.dumps(full, ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
        return full


def read_manifest(data_dir: Path) -> dict[str, Any]:
    return json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))


def read_rows(data_dir: Path, entity: str) -> Any:
    """Stream the rows of one entity as dicts."""
    with (data_dir / f"{entity}.csv").open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)
