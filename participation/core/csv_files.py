"""Every CSV file the platform writes (the open exports and the admin's downloads) goes through this module, so that
none can attack the spreadsheet that opens it (docs/decisions/0021-open-data-exports-and-catalogue.md).

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return) is read as a formula by Excel,
LibreOffice and Google Sheets: it is written after an apostrophe, which they show as text (OWASP, "CSV Injection").
Numbers, dates and booleans are written as they are. Files are written row by row (a generator), for a
`StreamingHttpResponse`: memory stays flat whatever their length.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


def cell_neutralised(value: Any) -> Any:
    """The value of a cell as a spreadsheet may read it safely: text starting like a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """A file-like object whose `write` hands back what is written (csv.writer then returns each line)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(*, header: Iterable[Any], rows: Iterable[Iterable[Any]], byte_order_mark: bool = False) -> Iterator[str]:
    """The lines of a CSV file (RFC 4180 quoting, "\\n" line ends), every cell neutralised."""
    writer = csv.writer(_Line(), lineterminator="\n")
    if byte_order_mark:
        yield BYTE_ORDER_MARK
    yield writer.writerow([cell_neutralised(cell) for cell in header])
    for row in rows:
        yield writer.writerow([cell_neutralised(cell) for cell in row])


def csv_response(
    *, filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]], byte_order_mark: bool = False
) -> StreamingHttpResponse:
    """A CSV file as a download, streamed line by line."""
    lines = (line.encode() for line in csv_lines(header=header, rows=rows, byte_order_mark=byte_order_mark))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class NeutralisedCsvExportMixin:
    """For Wagtail's listings with `list_export` (SpreadsheetExportMixin): the CSV download's cells neutralised too
    (its XLSX download already stores such text as text, not as a formula)."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        processed = super().preprocess_field_value(field, value, export_format)  # type: ignore[misc]
        return cell_neutralised(processed) if export_format == "csv" else processed
