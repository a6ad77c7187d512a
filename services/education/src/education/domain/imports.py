"""Bulk import of class lists: a job per uploaded file, its progress, and the report of every bad row.

A job checks every row (dry run) or checks and imports them; the import is all-or-nothing per file. Row numbers
are the ones a person sees in the spreadsheet (the header is row 1); row 0 means the file as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from education.domain.base import Aggregate
from education.domain.errors import Conflict, DomainError

# A job that reported no progress for this long was cut off (its process stopped); nothing of it was saved.
STALLED_AFTER = timedelta(minutes=10)


class ImportState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"          # imported, or (dry run) every row is fine
    REJECTED = "rejected"  # some rows are wrong: nothing was imported
    FAILED = "failed"      # stopped by something other than the rows: nothing was imported


FINISHED = frozenset({ImportState.DONE, ImportState.REJECTED, ImportState.FAILED})


@dataclass(frozen=True)
class ImportRow:
    row: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    code: str
    message_mn: str
    message_en: str

    @classmethod
    def of(cls, row: int, field_name: str, exc: DomainError) -> RowError:
        return cls(row, field_name, exc.code, exc.message_mn, exc.message_en)

    def message(self, lang: str = "mn") -> str:
        return self.message_en if lang == "en" else self.message_mn


@dataclass
class ImportSummary:
    """What the import created (or, in a dry run, would create)."""

    learners_created: int = 0
    learners_existing: int = 0
    enrolments_created: int = 0
    guardians_created: int = 0
    rows_unchanged: int = 0


@dataclass(eq=False)
class ImportJob(Aggregate):
    id: str
    school_id: str
    year_id: str
    filename: str
    dry_run: bool
    enrol_on: date
    created_by: str
    created_at: datetime
    updated_at: datetime
    total_rows: int
    state: ImportState = ImportState.QUEUED
    processed_rows: int = 0
    headers: dict[str, str] = field(default_factory=dict)  # field -> the column header as written in the file
    rows: list[ImportRow] = field(default_factory=list)    # kept until imported (or for a dry run to confirm)
    errors: list[RowError] = field(default_factory=list)
    summary: ImportSummary | None = None
    finished_at: datetime | None = None
    confirmed_by_job_id: str | None = None

    @classmethod
    def create(cls, *, id: str, school_id: str, year_id: str, filename: str, dry_run: bool, enrol_on: date,
               rows: list[ImportRow], headers: dict[str, str], by: str, at: datetime) -> ImportJob:
        job = cls(id=id, school_id=school_id, year_id=year_id, filename=filename[:200], dry_run=dry_run,
                  enrol_on=enrol_on, created_by=by, created_at=at, updated_at=at, total_rows=len(rows),
                  headers=dict(headers), rows=list(rows))
        job.touch()
        return job

    def start(self, at: datetime) -> None:
        if self.state is not ImportState.QUEUED:
            raise Conflict("Энэ импорт аль хэдийн эхэлсэн.", "This import has already started.",
                           code="import_already_started", details={"state": self.state.value})
        self.state, self.updated_at = ImportState.RUNNING, at
        self.touch()

    def progress(self, processed: int, at: datetime) -> None:
        self.processed_rows, self.updated_at = min(processed, self.total_rows), at
        self.touch()

    def finish(self, summary: ImportSummary, errors: list[RowError], at: datetime) -> None:
        self.summary, self.errors = summary, sorted(errors, key=lambda e: e.row)
        self.state = ImportState.REJECTED if errors else ImportState.DONE
        self.processed_rows = self.total_rows
        if not self.dry_run or errors:
            self.rows = []
        self._end(at)

    def fail(self, error: RowError, at: datetime) -> None:
        self.errors, self.state, self.rows = [error], ImportState.FAILED, []
        self._end(at)

    def confirm(self, new_job_id: str, at: datetime) -> list[ImportRow]:
        """Hand a clean dry run's rows to a real import (once)."""
        if not self.dry_run or self.state is not ImportState.DONE or not self.rows:
            raise Conflict("Зөвхөн алдаагүй туршилтын шалгалтыг импортлох боломжтой (нэг удаа).",
                           "Only a dry run without errors can be imported, and only once.",
                           code="import_not_confirmable", details={"state": self.state.value})
        rows, self.rows, self.confirmed_by_job_id, self.updated_at = self.rows, [], new_job_id, at
        self.touch()
        return rows

    def state_on(self, now: datetime) -> ImportState:
        """The state as a person should see it: a job whose process stopped shows as failed."""
        if self.state not in FINISHED and now - self.updated_at > STALLED_AFTER:
            return ImportState.FAILED
        return self.state

    def _end(self, at: datetime) -> None:
        self.updated_at = self.finished_at = at
        self.touch()


def whole_file_error(code: str, message_mn: str, message_en: str) -> RowError:
    return RowError(0, "", code, message_mn, message_en)
