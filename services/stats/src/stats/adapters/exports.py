"""Report files from one table: CSV (UTF-8 with BOM, opens in Excel), XLSX (openpyxl), PDF (ReportLab).

The PDF embeds a TrueType font with Cyrillic glyphs (``STATS_PDF_FONT_FILE``, DejaVu Sans on Debian); the
built-in PDF fonts have no Cyrillic.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
FONT_NAME = "EsisSans"


@dataclass(frozen=True)
class ReportTable:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    notes: Sequence[str] = ()


def _cell(value: Any) -> Any:
    return "" if value is None else value


def to_csv(report: ReportTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(report.columns)
    writer.writerows([[_cell(v) for v in row] for row in report.rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: ReportTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "report"
    sheet.append(list(report.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append([_cell(v) for v in row])
    for note in report.notes:
        sheet.append([note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _font(font_file: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    if not Path(font_file).is_file():
        log.warning("PDF font %s not found: Cyrillic text will not render (install fonts-dejavu-core)", font_file)
        return "Helvetica"
    pdfmetrics.registerFont(TTFont(FONT_NAME, font_file))
    return FONT_NAME


def to_pdf(report: ReportTable, font_file: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font(font_file)
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=report.title)
    table = Table([list(report.columns), *[[str(_cell(v)) for v in row] for row in report.rows]], repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 8), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7f0fa"))]))
    story = [Paragraph(report.title, styles["Title"]), table, Spacer(1, 8)]
    story += [Paragraph(note, styles["Normal"]) for note in report.notes]
    document.build(story)
    return buffer.getvalue()


MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "pdf": "application/pdf"}


def render(report: ReportTable, fmt: str, font_file: str) -> bytes:
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    return to_pdf(report, font_file)
