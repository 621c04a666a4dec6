"""Reading and checking a sales file (CSV or XLSX) before anything is stored.

The file is read as a stream, row after row, and never held as a table: a
sheet may declare any size (``<dimension ref="A1:XFD1048576"/>`` made openpyxl
pad every row to 16,384 cells) and only the columns the import uses are read.
Every row is checked; the caller gets either all rows clean or the list of bad
rows with their numbers and reasons, and then nothing is imported.

Who may see an import (``sales_import_scope``, ``sales_import_for_user``) lives
here too, next to the rules of the import itself.
"""

import codecs
import csv
import datetime
import functools
import io
import re
import zipfile
from array import array
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _

from crm import access
from crm.models import SalesImport

# Column names users may use, in English or as on the ordering system's export.
COLUMNS = {
    "customer_code": ("customer_code", "code", "customer", "客户编码", "客户代码", "客户编号"),
    "month": ("month", "月份", "年月"),
    "quantity": ("quantity", "purchase_quantity", "购进数量", "进货数量", "数量"),
    "amount": ("amount", "purchase_amount", "购进金额", "进货金额", "金额"),
    "sales_quantity": ("sales_quantity", "销售数量"),
    "sales_amount": ("sales_amount", "销售金额"),
}
REQUIRED = ("customer_code", "month", "quantity", "amount")
AMOUNT_FIELDS = ("quantity", "amount", "sales_quantity", "sales_amount")
MAX_VALUE = Decimal("999999999999.99")
MONTH_PATTERN = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(?:[-/.]\s*(\d{1,2})\s*日?)?\s*$"
)
# The header is looked for in this many columns; the ordering system's export
# has about a dozen. Data rows are read only as wide as the last column used.
HEADER_MAX_COLUMNS = 30
# A CSV line longer than this is no sales row (and a line of a million commas
# would become a list of a million fields).
MAX_LINE_CHARS = 10_000
# Everything in an .xlsx except its worksheets (shared strings, styles) is
# loaded whole by openpyxl, so its unpacked size is bounded.
MAX_XLSX_PARTS_BYTES = 32 * 1024 * 1024
# Rows are checked this many at a time: one customer query per batch, and the
# progress the import page shows moves by this much.
BATCH_ROWS = 1000
# A failed import lists this many bad rows, and says how many more there are.
LISTED_ERRORS = 200
NONE = -1  # an empty optional amount, in the compact arrays of clean rows
_XLSX_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")


class SalesImportError(Exception):
    """The file cannot be imported; ``errors`` lists (row number, message).

    ``count`` is the number of bad rows, which may be more than are listed.
    """

    def __init__(self, errors, count=None):
        self.errors = list(errors)
        self.count = len(self.errors) if count is None else count
        super().__init__(f"{self.count} bad rows")


def _file_error(message):
    return SalesImportError([(0, message)])


def too_many_rows_error():
    return _file_error(
        _("The file has more than %(limit)s rows; split it into smaller files.")
        % {"limit": f"{settings.SALES_IMPORT_MAX_ROWS:,}"}
    )


def _normalise_header(value):
    return str(value or "").strip().lower().replace(" ", "_")


def _map_headers(header, columns=COLUMNS, required=REQUIRED):
    aliases = {}
    for field, names in columns.items():
        for name in names:
            aliases[name.lower()] = field
    mapping = {}
    for index, cell in enumerate(header[:HEADER_MAX_COLUMNS]):
        field = aliases.get(_normalise_header(cell))
        if field and field not in mapping:
            mapping[field] = index
    missing = [field for field in required if field not in mapping]
    if missing:
        raise SalesImportError(
            [
                (
                    1,
                    _("Missing columns: %(columns)s. Expected: %(expected)s.")
                    % {"columns": ", ".join(missing), "expected": ", ".join(required)},
                )
            ]
        )
    return mapping


class SalesFile:
    """A sales file opened for reading: its header mapped, its rows streamed.

    ``upload`` is any seekable binary file (an upload, or the stored file of a
    queued import). Opening checks the size, the kind and the header and raises
    ``SalesImportError`` for a file that cannot be read at all. Another kind of
    import reads its files with a subclass naming its own columns.
    """

    columns = COLUMNS
    required = REQUIRED

    def __init__(self, upload):
        self.upload = upload
        self.workbook = None
        if upload.size > settings.SALES_IMPORT_MAX_BYTES:
            raise _file_error(
                _("The file is too large (at most %(size)s MB).")
                % {"size": settings.SALES_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        name = (getattr(upload, "name", "") or "").lower()
        upload.seek(0)
        magic = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx") or magic == b"PK\x03\x04":
            self.kind = "xlsx"
            self._open_xlsx()
        elif name.endswith(".csv") or name.endswith(".txt"):
            self.kind = "csv"
            self.encoding = self._csv_encoding()
            self.data_bytes = upload.size
        else:
            raise _file_error(_("Upload a .csv or .xlsx file."))
        table = self._table()
        try:
            header = next(table, None)
        finally:
            table.close()
        if header is None:
            self.close()
            raise _file_error(_("The file is empty."))
        try:
            self.mapping = _map_headers(header, self.columns, self.required)
        except SalesImportError:
            self.close()
            raise
        self.width = max(self.mapping.values()) + 1

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self.workbook is not None:
            self.workbook.close()
            self.workbook = None

    # XLSX ----------------------------------------------------------------------

    def _open_xlsx(self):
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        unreadable = _("The file is not a readable Excel workbook (.xlsx).")
        try:
            with zipfile.ZipFile(self.upload) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _file_error(unreadable) from None
        parts = sum(m.file_size for m in members if not m.filename.startswith("xl/worksheets/"))
        if parts > MAX_XLSX_PARTS_BYTES:
            raise _file_error(unreadable)
        self.upload.seek(0)
        try:
            # openpyxl's load_workbook() without its read_worksheets(): that
            # opens every sheet and, for one that declares no size, parses it
            # whole to find one. Only the first sheet is read, and as a stream.
            reader = ExcelReader(self.upload, read_only=True, data_only=True)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            self.workbook = reader.wb
            apply_stylesheet(reader.archive, reader.wb)
            sheet, rel = next(
                (sheet, rel)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            )
            self.sheet = _streamed_sheet_class()(
                reader.wb, sheet.name, rel.target, reader.shared_strings
            )
            path = rel.target
            self.data_bytes = reader.archive.getinfo(path).file_size
        except Exception:  # openpyxl raises many kinds on a damaged file
            self.close()
            raise _file_error(unreadable) from None
        self._sheet_path = path

    def _xlsx_table(self, width):
        try:
            yield from self.sheet.iter_rows(max_col=width, values_only=True)
        except Exception:  # a worksheet that breaks off half-way
            raise _file_error(_("The file is not a readable Excel workbook (.xlsx).")) from None

    def _xlsx_count(self):
        """The sheet's rows, counted in its XML without reading a cell."""
        count = 0
        tail = b""
        with self.workbook._archive.open(self._sheet_path) as source:
            while chunk := source.read(1024 * 1024):
                data = tail + chunk
                count += len(_XLSX_ROW.findall(data))
                # Keep the bytes a tag cut by the chunk boundary needs; what
                # they hold is counted with the next chunk, not twice.
                tail = data[-32:]
                count -= len(_XLSX_ROW.findall(tail))
        count += len(_XLSX_ROW.findall(tail))
        return max(count - 1, 0)

    # CSV -----------------------------------------------------------------------

    def _csv_encoding(self):
        """UTF-8 (with or without BOM) or GBK, checked over the whole file in chunks."""
        for encoding in ("utf-8-sig", "gb18030"):
            self.upload.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                for chunk in iter(lambda: self.upload.read(256 * 1024), b""):
                    if "\x00" in decoder.decode(chunk):
                        raise _file_error(_("The file is not a readable CSV (UTF-8 or GBK)."))
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            self.upload.seek(0)
            return encoding
        raise _file_error(_("The file is not a readable CSV (UTF-8 or GBK)."))

    def _csv_lines(self):
        self.upload.seek(0)
        text = io.TextIOWrapper(
            io.BufferedReader(_Unclosable(self.upload)), encoding=self.encoding, newline=""
        )
        # readline() with a limit: a file that is one 20 MB line is never held whole.
        lines = iter(lambda: text.readline(MAX_LINE_CHARS + 1), "")
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE_CHARS:
                raise SalesImportError(
                    [
                        (
                            number,
                            _("the row is too long (at most %(count)s characters)")
                            % {"count": f"{MAX_LINE_CHARS:,}"},
                        )
                    ]
                )
            yield line

    def _csv_table(self, width):
        for values in csv.reader(self._csv_lines()):
            yield values[:width]

    # Both ------------------------------------------------------------------------

    def _table(self, width=HEADER_MAX_COLUMNS):
        if self.kind == "xlsx":
            return self._xlsx_table(width)
        return self._csv_table(width)

    def rows(self):
        """The data rows as (row number, {field: raw value}); blank rows skipped.

        Refuses a file past ``SALES_IMPORT_MAX_ROWS`` rows as soon as it gets there.
        """
        limit = settings.SALES_IMPORT_MAX_ROWS + 1
        table = self._table(self.width)
        next(table, None)  # the header
        for number, values in enumerate(table, start=2):
            if number > limit:
                raise too_many_rows_error()
            if all(value is None or str(value).strip() == "" for value in values):
                continue
            yield (
                number,
                {
                    field: (values[index] if index < len(values) else None)
                    for field, index in self.mapping.items()
                },
            )

    def count(self):
        """About how many data rows there are, for the progress shown; cheap.

        In a workbook this counts the row tags; blank rows count too.
        """
        if self.kind == "xlsx":
            return self._xlsx_count()
        return max(sum(1 for _row in self._csv_table(1)) - 1, 0)


@functools.cache
def _streamed_sheet_class():
    # openpyxl is imported when a workbook is first read, not with every process.
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class StreamedSheet(ReadOnlyWorksheet):
        """A worksheet read as a stream whose declared size is ignored.

        The size is not to be trusted: believed, openpyxl pads every row to the
        declared width and the sheet to its height (``A1:XFD1048576`` made 16,384
        cells of each row). Without it rows come as wide as ``max_col``.
        """

        def _get_size(self):
            pass

    return StreamedSheet


class _Unclosable(io.RawIOBase):
    """Lets a text reader stream a file without closing it when done."""

    def __init__(self, raw):
        self.raw = raw

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# Checking rows ---------------------------------------------------------------------


def _parse_month(value):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    match = MONTH_PATTERN.match(str(value or ""))
    if not match:
        raise ValueError(_("month must look like 2026-10"))
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(_("month must look like 2026-10"))
    if match.group(3):
        # A full date must exist: 2026-02-30 is a typo, not February.
        try:
            datetime.date(year, month, int(match.group(3)))
        except ValueError:
            raise ValueError(
                _("no such date: %(value)s") % {"value": str(value).strip()[:20]}
            ) from None
    return datetime.date(year, month, 1)


def _parse_amount(value, label, *, required):
    if value is None or str(value).strip() == "":
        if required:
            raise ValueError(_("%(field)s is missing") % {"field": label})
        return None
    text = str(value).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            _("%(field)s is not a number: %(value)s") % {"field": label, "value": text[:30]}
        ) from None
    if not number.is_finite():
        raise ValueError(
            _("%(field)s is not a number: %(value)s") % {"field": label, "value": text[:30]}
        )
    if number < 0:
        raise ValueError(_("%(field)s cannot be negative") % {"field": label})
    if number > MAX_VALUE:
        raise ValueError(_("%(field)s is too large") % {"field": label})
    return number.quantize(Decimal("0.01"))


class CleanRows:
    """Checked rows kept compactly (about 50 bytes a row, not a dict each):
    customer id, month and the amounts in cents, ``NONE`` for an empty one."""

    def __init__(self):
        self.customer_ids = array("q")
        self.months = array("i")
        self.amounts = {field: array("q") for field in AMOUNT_FIELDS}
        self.month_set = set()

    def __len__(self):
        return len(self.customer_ids)

    def add(self, row):
        self.customer_ids.append(row["customer_id"])
        self.months.append(row["month"].toordinal())
        self.month_set.add(row["month"])
        for field in AMOUNT_FIELDS:
            value = row.get(field)
            self.amounts[field].append(NONE if value is None else int(value * 100))

    def __iter__(self):
        """The rows again as dicts, one at a time."""
        cents = Decimal("0.01")
        for index, customer_id in enumerate(self.customer_ids):
            row = {
                "customer_id": customer_id,
                "month": datetime.date.fromordinal(self.months[index]),
            }
            for field in AMOUNT_FIELDS:
                value = self.amounts[field][index]
                row[field] = None if value == NONE else Decimal(value) * cents
            yield row


class RowChecker:
    """Checks rows batch by batch for one user, remembering what it has seen.

    ``errors`` keeps the first ``listed`` bad rows; ``error_count`` counts them all.
    """

    def __init__(self, *, actor, listed=None):
        self.scope = access.customer_scope(actor)
        self.customers = {}
        self.seen = {}
        self.errors = []
        self.error_count = 0
        self.listed = listed

    def _look_up(self, rows):
        codes = {str(raw.get("customer_code") or "").strip() for _number, raw in rows}
        codes -= self.customers.keys()
        codes.discard("")
        if codes:
            found = dict(self.scope.filter(code__in=codes).values_list("code", "pk"))
            for code in codes:
                self.customers[code] = found.get(code)

    def check(self, rows):
        """Check a batch of (row number, raw) and yield the clean rows as dicts."""
        self._look_up(rows)
        # The labels once a batch, not four gettext calls a row.
        amounts = (
            ("quantity", _("quantity"), True),
            ("amount", _("amount"), True),
            ("sales_quantity", _("sales quantity"), False),
            ("sales_amount", _("sales amount"), False),
        )
        for number, raw in rows:
            problems = []
            code = str(raw.get("customer_code") or "").strip()
            customer_id = self.customers.get(code)
            if not code:
                problems.append(_("customer code is missing"))
            elif customer_id is None:
                problems.append(_("unknown customer code %(code)s") % {"code": code[:40]})
            try:
                month = _parse_month(raw.get("month"))
            except ValueError as exc:
                problems.append(str(exc))
                month = None
            values = {}
            for field, label, required in amounts:
                try:
                    values[field] = _parse_amount(raw.get(field), label, required=required)
                except ValueError as exc:
                    problems.append(str(exc))
            if customer_id and month:
                # One int per (customer, month) keeps 200,000 rows' keys small.
                key = customer_id * 100_000 + month.year * 12 + month.month
                if key in self.seen:
                    problems.append(
                        _("customer %(code)s and month %(month)s already appear on row %(row)s")
                        % {"code": code, "month": f"{month:%Y-%m}", "row": self.seen[key]}
                    )
                else:
                    self.seen[key] = number
            if problems:
                self.error_count += 1
                if self.listed is None or len(self.errors) < self.listed:
                    self.errors.append((number, "; ".join(problems)))
            else:
                yield {"customer_id": customer_id, "month": month, **values}

    def raise_if_any(self):
        if self.error_count:
            raise SalesImportError(self.errors, count=self.error_count)


def validate_rows(*, actor, rows):
    """Check every row; return the clean rows or raise with every bad row listed."""
    checker = RowChecker(actor=actor)
    clean = []
    rows = iter(rows)
    while batch := list(islice(rows, BATCH_ROWS)):
        clean.extend(checker.check(batch))
    checker.raise_if_any()
    return clean


# Who sees an import ---------------------------------------------------------------


def sales_import_scope(user):
    """A manager sees their own imports, a regional manager also those of their
    region's managers, an admin all."""
    return access.IMPORTS.scope(user, SalesImport.objects.select_related("imported_by"))


def sales_import_for_user(user, pk):
    """The import if the user may see it; 404 otherwise ("not yours" looks like "no such")."""
    try:
        return sales_import_scope(user).get(pk=pk)
    except SalesImport.DoesNotExist:
        raise Http404 from None
