"""CSV exports that are safe to open in a spreadsheet.

The one writer behind every CSV an organiser downloads. Organisers open exports in Excel
or LibreOffice. A cell that a participant typed and that starts with ``=``, ``+``, ``-`` or
``@`` (also after spaces, tabs or line breaks, which some programs skip before looking)
would be run as a formula there, so such cells get a leading quote (OWASP's advice on CSV
injection). Semicolons and a byte-order mark because that is what Excel with Dutch settings
expects.
"""

import csv

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@")
DELIMITER = ";"
BOM = "\ufeff"


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        # Numbers we produce ourselves are data, not formulas; keep them numeric.
        return value
    text = str(value)
    if text.lstrip().startswith(FORMULA_STARTS) or text.startswith(("\t", "\r", "\n")):
        return "'" + text
    return text


def write_csv(response_or_file, header, rows):
    """Write ``header`` and ``rows`` to an HttpResponse or a text file, every cell made safe."""
    response_or_file.write(BOM)
    writer = csv.writer(response_or_file, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response_or_file


def csv_response(filename, header, rows):
    """An attachment download of ``rows``; the filename is ours, never user input."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return write_csv(response, header, rows)
