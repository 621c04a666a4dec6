# ruff: noqa: E501 - the package's fixed XML parts are kept as they are read
"""A streaming XLSX writer for exports: one sheet, rows written as they come.

openpyxl's write-only mode builds a cell object and an XML element per value;
for 100,000 visits of 13 columns that is most of a minute on this machine.
Exports need only typed cells, so the sheet's XML is written here directly
into the zip, row by row, in bounded memory:

- text as inline strings (``t="inlineStr"``): never a formula, whatever it
  begins with (``=``, ``+``, ``-``, ``@``), so Excel shows it and runs nothing;
- numbers as numbers, with a number format for amounts and decimals;
- dates and times as Excel date serials with a date format (naive local time:
  Excel has no time zones);
- the header row bold.

Any reader of the format reads it (tests read it back with openpyxl).
"""

import datetime
import decimal
import re
import zipfile
from xml.sax.saxutils import escape

# Styles (cellXfs): 0 plain, 1 header (bold), 2 date, 3 date and time, 4 amount, 5 decimal.
HEADER, DATE, DATETIME, AMOUNT, DECIMAL = 1, 2, 3, 4, 5

_EPOCH = datetime.datetime(1899, 12, 30)
_EPOCH_DATE = _EPOCH.date()
# Characters XML 1.0 does not allow (a control character typed into a note).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""

_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""

_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""

_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="4">
<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>
<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/>
<numFmt numFmtId="166" formatCode="#,##0.00"/>
<numFmt numFmtId="167" formatCode="0.###"/>
</numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>{title}</dc:title>
<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>
</cp:coreProperties>"""

_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def _text(value):
    return escape(_ILLEGAL.sub("", value))


def text_cell(value, style=0):
    style_attr = f' s="{style}"' if style else ""
    return f'<c t="inlineStr"{style_attr}><is><t xml:space="preserve">{_text(value)}</t></is></c>'


def number_cell(value, style=0):
    style_attr = f' s="{style}"' if style else ""
    return f"<c{style_attr}><v>{value}</v></c>"


def date_serial(value):
    """Excel's serial of a date or a naive datetime (days since 1899-12-30)."""
    if isinstance(value, datetime.datetime):
        delta = value - _EPOCH
        return round(delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6, 10)
    return (value - _EPOCH_DATE).days


def cell(value, style):
    """One cell: ``value`` already of its Python type (str, int, Decimal, date, datetime)."""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return text_cell(str(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return number_cell(date_serial(value), style)
    if isinstance(value, (int, float, decimal.Decimal)):
        return number_cell(value, style)
    return text_cell(str(value))


class SheetWriter:
    """``with SheetWriter(target, title) as sheet: sheet.header([...]); sheet.row([...])``.

    ``row`` takes (value, style) pairs; ``target`` is a path or a seekable
    binary file.
    """

    def __init__(self, target, title="Sheet1"):
        self.target = target
        self.title = (_ILLEGAL.sub("", str(title)) or "Sheet1")[:31]
        for char in "[]:*?/\\":
            self.title = self.title.replace(char, " ")
        self._buffer = []

    def __enter__(self):
        self._zip = zipfile.ZipFile(self.target, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._sheet.write(_SHEET_START.encode())
        return self

    def header(self, texts):
        self._sheet.write(
            ("<row>" + "".join(text_cell(text, HEADER) for text in texts) + "</row>").encode()
        )

    def row(self, cells):
        self._buffer.append(
            "<row>" + "".join(cell(value, style) for value, style in cells) + "</row>"
        )
        if len(self._buffer) >= 500:
            self._flush()

    def _flush(self):
        if self._buffer:
            self._sheet.write("".join(self._buffer).encode())
            self._buffer = []

    def __exit__(self, *exc_info):
        self._flush()
        self._sheet.write(_SHEET_END.encode())
        self._sheet.close()
        created = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _RELS)
        self._zip.writestr(
            "docProps/core.xml", _CORE.format(title=_text(self.title), created=created)
        )
        self._zip.writestr(
            "xl/workbook.xml", _WORKBOOK.format(name=escape(self.title, {'"': "&quot;"}))
        )
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.close()
        return False
