"""Reading and checking a sales file (CSV or XLSX) before anything is stored.

Every row is checked; the caller gets either all rows clean or the list of
bad rows with their numbers and reasons, and then nothing is imported.
"""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from crm import access

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
MAX_VALUE = Decimal("999999999999.99")
MONTH_PATTERN = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(?:[-/.]\s*\d{1,2}\s*日?)?\s*$"
)


class SalesImportError(Exception):
    """The file cannot be imported; ``errors`` lists (row number, message)."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


def _normalise_header(value):
    return str(value or "").strip().lower().replace(" ", "_")


def _map_headers(header):
    aliases = {}
    for field, names in COLUMNS.items():
        for name in names:
            aliases[name.lower()] = field
    mapping = {}
    for index, cell in enumerate(header):
        field = aliases.get(_normalise_header(cell))
        if field and field not in mapping:
            mapping[field] = index
    missing = [field for field in REQUIRED if field not in mapping]
    if missing:
        raise SalesImportError(
            [
                (
                    1,
                    _("Missing columns: %(columns)s. Expected: %(expected)s.")
                    % {"columns": ", ".join(missing), "expected": ", ".join(REQUIRED)},
                )
            ]
        )
    return mapping


def _read_csv(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SalesImportError([(0, _("The file is not a readable CSV (UTF-8 or GBK)."))])
    if "\x00" in text:
        raise SalesImportError([(0, _("The file is not a readable CSV (UTF-8 or GBK)."))])
    return list(csv.reader(io.StringIO(text)))


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise SalesImportError(
            [(0, _("The file is not a readable Excel workbook (.xlsx)."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(upload):
    """The file's data rows as (row number, {field: raw value}), header mapped."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > settings.SALES_IMPORT_MAX_BYTES:
        raise SalesImportError(
            [
                (
                    0,
                    _("The file is too large (at most %(size)s MB).")
                    % {"size": settings.SALES_IMPORT_MAX_BYTES // (1024 * 1024)},
                )
            ]
        )
    data = upload.read()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = _read_csv(data)
    else:
        raise SalesImportError([(0, _("Upload a .csv or .xlsx file."))])
    if not table:
        raise SalesImportError([(0, _("The file is empty."))])
    mapping = _map_headers(table[0])
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        raw = {
            field: (values[index] if index < len(values) else None)
            for field, index in mapping.items()
        }
        rows.append((number, raw))
    if not rows:
        raise SalesImportError([(0, _("The file has no data rows."))])
    return rows


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


def validate_rows(*, actor, rows):
    """Check every row; return the clean rows or raise with every bad row listed."""
    codes = {str(raw.get("customer_code") or "").strip() for _number, raw in rows}
    customers = dict(access.customer_scope(actor).filter(code__in=codes).values_list("code", "pk"))
    clean = []
    errors = []
    seen = {}
    for number, raw in rows:
        problems = []
        code = str(raw.get("customer_code") or "").strip()
        customer_id = customers.get(code)
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
        for field, label, required in (
            ("quantity", _("quantity"), True),
            ("amount", _("amount"), True),
            ("sales_quantity", _("sales quantity"), False),
            ("sales_amount", _("sales amount"), False),
        ):
            try:
                values[field] = _parse_amount(raw.get(field), label, required=required)
            except ValueError as exc:
                problems.append(str(exc))
        if customer_id and month:
            key = (customer_id, month)
            if key in seen:
                problems.append(
                    _("customer %(code)s and month %(month)s already appear on row %(row)s")
                    % {"code": code, "month": f"{month:%Y-%m}", "row": seen[key]}
                )
            else:
                seen[key] = number
        if problems:
            errors.append((number, "; ".join(problems)))
        else:
            clean.append({"customer_id": customer_id, "month": month, **values})
    if errors:
        raise SalesImportError(errors)
    return clean
