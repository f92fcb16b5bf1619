"""The one CSV writer: formula-like cells neutralised (OWASP), everything else written as it is, line by line."""

import csv
import io

import pytest

from participation.core.csv_files import cell_neutralised, csv_lines, csv_response


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+32 2 000 00 00", "'+32 2 000 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Une place = un lieu", "Une place = un lieu"),
        ("", ""),
        (-3, -3),
        (50.8467, 50.8467),
        (None, None),
        (True, True),
    ],
)
def test_only_text_that_a_spreadsheet_would_run_is_neutralised(value, written):
    assert cell_neutralised(value) == written


def test_lines_are_valid_csv_with_every_cell_neutralised():
    lines = list(csv_lines(header=["name", "note"], rows=[['=HYPERLINK("x";"y")', "a, b"], ["ok", None]]))
    assert len(lines) == 3, "one line a row, written as they come"
    rows = list(csv.reader(io.StringIO("".join(lines))))
    assert rows == [["name", "note"], ['\'=HYPERLINK("x";"y")', "a, b"], ["ok", ""]]


def test_response_streams_a_download():
    response = csv_response(filename="x.csv", header=["a"], rows=iter([["@b"]]), byte_order_mark=True)
    assert response.streaming and response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.getvalue().decode("utf-8") == "\ufeffa\n'@b\n"
