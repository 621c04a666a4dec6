"""Exporting a list to XLSX or CSV: one declaration per list, two streaming writers.

A list's export is one ``Export`` declared in its app's ``exports.py`` and
registered (``register``) when the app is ready: its columns (a header in the
user's language, how a row gives the value, the value's type) and
``filtered(user, params, request)``, which returns the SAME FilterSet over the
SAME visibility scope as the list page (usually the page's selector). So an
export holds what the page shows with its filters, never more.

The writers never hold the rows in memory: CSV is a generator of lines (UTF-8
with a BOM so that Excel reads Chinese); XLSX is ``core.xlsx``'s sheet, written
row by row into a temporary file (openpyxl's write-only mode took most of a
minute for 100,000 visits; ``bench/exports.py``). Dates and times are Excel dates, amounts numbers
with a number format. A text cell beginning with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return would be run by Excel as a formula: CSV writes it
behind an apostrophe, XLSX as an inline string cell (never a formula).

Small exports are answered at once; one over ``settings.EXPORT_SYNC_ROWS`` rows
runs as a Celery job (``core.tasks.run_export``, model ``core.ExportJob``).
"""

import csv
import datetime
import decimal
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

TEXT = "text"
BOOL = "bool"
INT = "int"
DECIMAL = "decimal"
AMOUNT = "amount"
DATE = "date"
DATETIME = "datetime"

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# What Excel (and LibreOffice) read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 2000


def _path_getter(path):
    parts = path.split(".")

    def get(row):
        value = row
        for part in parts:
            if value is None:
                return None
            value = getattr(value, part)
        return value() if callable(value) else value

    return get


@dataclass(frozen=True)
class Column:
    """One column: its header (lazy gettext), the value of a row, the value's type.

    ``value`` is a dotted path (``"customer.name"``; a method at its end is
    called) or a function of the row. ``choices`` (a field's choices) shows
    the label of the stored value; ``BOOL`` shows yes or no. Both are
    translated once per file, not once per row.
    """

    header: Any
    value: Any
    kind: str = TEXT
    choices: Any = None

    def getter(self):
        get = self.value if callable(self.value) else _path_getter(self.value)
        if self.choices is not None:
            labels = {key: str(label) for key, label in self.choices}
            return lambda row: labels.get(get(row), get(row))
        if self.kind == BOOL:
            yes, no = str(_("yes")), str(_("no"))
            return lambda row: yes if get(row) else no
        return get

    def get(self, row):
        return self.getter()(row)


@dataclass
class Export:
    """What one list exports. ``filtered(user, params, request)`` is the page's FilterSet
    over the user's scope; ``allowed(user)`` who may export at all (everybody logged in
    unless said: the scope decides the rows)."""

    name: str
    title: Any
    columns: list
    filtered: Callable
    page: str  # the list page's URL name (bad filters are shown there)
    allowed: Callable = field(default=lambda user: True)
    # The fields the columns read (``QuerySet.only``), when the rows are wide.
    only: tuple = ()

    def may(self, user):
        """Whether ``user`` may export this list: its own rule and every guard
        (``add_guard``: the customer archive's rule that a list is exported by
        those who may open its page)."""
        return self.allowed(user) and all(guard(user, self) for guard in _GUARDS)

    def headers(self):
        return [str(column.header) for column in self.columns]

    def getters(self):
        """(value of a row, type) per column, for one file in the current language."""
        return [(column.getter(), column.kind) for column in self.columns]

    def filename(self, file_format, today=None):
        today = today or timezone.localdate()
        return f"{self.name}-{today:%Y%m%d}.{file_format}"


class FilterErrors(Exception):
    """The query's filters are bad: ``errors`` maps each parameter to its messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


_REGISTRY = {}
_GUARDS = []


def add_guard(guard):
    """``guard(user, export)`` must also say yes for any export (added once, at ready)."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def register(export):
    _REGISTRY[export.name] = export
    return export


def get(name):
    """The registered export ``name``, or None."""
    return _REGISTRY.get(name)


def registered():
    return dict(_REGISTRY)


IGNORED_PARAMS = ("page", "file_format", "format", "page_size")


def filter_params(query):
    """The query without what is not a filter (page, the file's format)."""
    params = query.copy()
    for name in IGNORED_PARAMS:
        params.pop(name, None)
    return params


def rows(export, *, user, params, request=None):
    """The queryset of the export for ``user`` with the filters ``params``; bad filters
    raise ``FilterErrors``."""
    filterset = export.filtered(user, params or None, request)
    if filterset.is_bound and not filterset.is_valid():
        raise FilterErrors({name: list(messages) for name, messages in filterset.errors.items()})
    queryset = filterset.qs
    return queryset.only(*export.only) if export.only else queryset


def iterate(queryset):
    """The rows in chunks from the database (prefetches included), never all at once."""
    return queryset.iterator(chunk_size=CHUNK_ROWS)


# Values ---------------------------------------------------------------------------------


def is_formula(text):
    return text.startswith(FORMULA_STARTS)


def _local(value, tz=None):
    """A naive local time (Excel has no time zones)."""
    if value.tzinfo is not None:
        value = value.astimezone(tz or timezone.get_current_timezone())
    return value.replace(tzinfo=None)


def csv_value(value, kind, tz=None):
    if value is None or value == "":
        return ""
    if kind == DATETIME and isinstance(value, datetime.datetime):
        return _local(value, tz).strftime("%Y-%m-%d %H:%M")
    if kind == DATE and isinstance(value, datetime.date):
        return value.isoformat()
    if kind in (AMOUNT, DECIMAL, INT) and isinstance(value, (int, float, decimal.Decimal)):
        if isinstance(value, bool):
            return str(int(value))
        return str(value)
    text = str(value)
    return "'" + text if is_formula(text) else text


# Writers ------------------------------------------------------------------------------


class _Line:
    """A file-like that hands back what csv.writer wrote."""

    def write(self, text):
        return text


def csv_chunks(export, queryset, *, progress=None):
    """The CSV file as byte chunks: a BOM, the headers, one line per row."""
    writer = csv.writer(_Line())
    yield ("\ufeff" + writer.writerow(export.headers())).encode()
    getters = export.getters()
    tz = timezone.get_current_timezone()
    buffer = []
    done = 0
    for row in iterate(queryset):
        buffer.append(writer.writerow([csv_value(get(row), kind, tz) for get, kind in getters]))
        done += 1
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
            if progress is not None:
                progress(done)
    if buffer:
        yield "".join(buffer).encode()
    if progress is not None:
        progress(done)


def write_xlsx(export, queryset, target, *, progress=None):
    """Write the XLSX file into ``target`` (a path or a seekable binary file); returns
    the number of rows. Typed cells (``core.xlsx``): text never a formula."""
    from core import xlsx

    styles = {DATE: xlsx.DATE, DATETIME: xlsx.DATETIME, AMOUNT: xlsx.AMOUNT, DECIMAL: xlsx.DECIMAL}
    tz = timezone.get_current_timezone()

    def typed(value, kind):
        if value is None:
            return None, 0
        if kind in (DATE, DATETIME) and isinstance(value, datetime.date):
            if isinstance(value, datetime.datetime):
                value = _local(value, tz)
            return value, styles[kind]
        if kind in (AMOUNT, DECIMAL, INT) and isinstance(value, (int, decimal.Decimal, float)):
            if isinstance(value, bool):
                return str(value), 0
            return value, styles.get(kind, 0)
        return str(value), 0

    getters = [(get, kind) for get, kind in export.getters()]
    done = 0
    with xlsx.SheetWriter(target, title=str(export.title) or export.name) as sheet:
        sheet.header(export.headers())
        for row in iterate(queryset):
            sheet.row([typed(get(row), kind) for get, kind in getters])
            done += 1
            if progress is not None and done % CHUNK_ROWS == 0:
                progress(done)
    if progress is not None:
        progress(done)
    return done


def xlsx_file(export, queryset):
    """The XLSX file in a temporary file, rewound (deleted when closed)."""
    handle = tempfile.TemporaryFile(dir=getattr(settings, "EXPORT_TEMP_DIR", None))  # noqa: SIM115 - closed by the response
    write_xlsx(export, queryset, handle)
    handle.seek(0)
    return handle


def write_file(export, queryset, file_format, target, *, progress=None):
    """Write the whole file into ``target`` (a binary file) in ``file_format``."""
    if file_format == "csv":
        for chunk in csv_chunks(export, queryset, progress=progress):
            target.write(chunk)
    else:
        write_xlsx(export, queryset, target, progress=progress)


def read_back_csv(content):
    """Rows of a CSV export (for tests and the benchmark): the BOM removed."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
