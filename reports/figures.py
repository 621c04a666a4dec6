"""Section a) figures and section d) forecast, computed in bulk for many managers.

For a batch of managers the work is three queries whatever their number of
customers: the customers served, the per-customer rows of the month, the
month before and the same month a year before, and the sums per manager,
grade and month over the last 13 months (for the trend and the forecast).
Amounts are kept as strings of two-decimal ``Decimal`` values so the stored
JSON is exact; percentages are floats rounded to one decimal, or None when
the base is zero.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum

from core import business_dates, months
from crm.models import Customer, Grade, SalesRecord

TOP_COUNT = 10
NO_PURCHASES_LISTED = 100
FORECAST_WINDOW = 3
# Managers computed per round of queries: bounds memory and the SQL IN lists.
BATCH_SIZE = 200
ZERO = Decimal("0")
CENT = Decimal("0.01")
NO_GRADE = "—"


def parse_month(value):
    """'2026-09' → date(2026, 9, 1); ValueError otherwise.

    Strict, and limited to the business range: '2026-13', '2026-02-30' and
    '9999-12' are errors (``core.business_dates``).
    """
    try:
        return business_dates.parse_month(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None


def _money(value):
    return str((value or ZERO).quantize(CENT))


def pct(current, previous):
    current, previous = Decimal(current or 0), Decimal(previous or 0)
    if previous == 0:
        return None
    return round(float((current - previous) / previous * 100), 1)


def compute(month, manager_ids):
    """``{manager_id: (figures, forecast)}`` for the month, for every manager given."""
    manager_ids = list(manager_ids)
    grades = list(Grade.objects.order_by("rank").values("id", "code", "name"))
    result = {}
    for start in range(0, len(manager_ids), BATCH_SIZE):
        batch = manager_ids[start : start + BATCH_SIZE]
        result.update(_compute_batch(month, batch, grades))
    return result


def _compute_batch(month, manager_ids, grades):
    previous, last_year = months.month_shift(month, -1), months.month_shift(month, -12)
    grade_by_id = {row["id"]: row for row in grades}

    customers = defaultdict(list)
    served = (
        Customer.objects.filter(manager_id__in=manager_ids)
        .filter(
            Q(network_status=Customer.NetworkStatus.ACTIVE)
            | Q(exited_on__isnull=True)
            | Q(exited_on__gte=month)
        )
        .order_by("code")
        .values_list("id", "code", "name", "manager_id", "grade_id")
    )
    for pk, code, name, manager_id, grade_id in served:
        customers[manager_id].append((pk, code, name, grade_id))

    # Per customer: the month, the month before and the same month last year.
    sales = defaultdict(dict)
    rows = SalesRecord.objects.filter(
        customer__manager_id__in=manager_ids, month__in=[month, previous, last_year]
    ).values_list("customer_id", "month", "quantity", "amount")
    for customer_id, row_month, quantity, amount in rows:
        sales[customer_id][row_month] = (quantity, amount)

    # Per manager, grade and month over 13 months: the trend and the forecast.
    monthly = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [ZERO, ZERO])))
    sums = (
        SalesRecord.objects.filter(
            customer__manager_id__in=manager_ids, month__gte=last_year, month__lte=month
        )
        .values("customer__manager_id", "customer__grade_id", "month")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    )
    for row in sums:
        cell = monthly[row["customer__manager_id"]][row["customer__grade_id"]][row["month"]]
        cell[0] += row["quantity"] or ZERO
        cell[1] += row["amount"] or ZERO

    result = {}
    for manager_id in manager_ids:
        figures = _figures(month, customers[manager_id], sales, monthly[manager_id], grades)
        forecast = _forecast(month, monthly[manager_id], grades, grade_by_id)
        result[manager_id] = (figures, forecast)
    return result


def _grade_label(grade_by_id, grade_id):
    grade = grade_by_id.get(grade_id)
    return (grade["code"], grade["name"]) if grade else (NO_GRADE, "")


def _figures(month, customers, sales, monthly, grades):
    previous, last_year = months.month_shift(month, -1), months.month_shift(month, -12)
    grade_by_id = {row["id"]: row for row in grades}
    total = defaultdict(lambda: ZERO)
    per_grade = defaultdict(lambda: defaultdict(lambda: ZERO))
    rows = []
    for pk, code, name, grade_id in customers:
        own = sales.get(pk, {})
        quantity, amount = own.get(month, (ZERO, ZERO))
        prev_quantity, prev_amount = own.get(previous, (ZERO, ZERO))
        yoy_quantity, yoy_amount = own.get(last_year, (ZERO, ZERO))
        for key, value in (
            ("quantity", quantity),
            ("amount", amount),
            ("prev_quantity", prev_quantity),
            ("prev_amount", prev_amount),
            ("yoy_quantity", yoy_quantity),
            ("yoy_amount", yoy_amount),
        ):
            total[key] += value
            per_grade[grade_id][key] += value
        per_grade[grade_id]["customers"] += 1
        if amount > 0:
            per_grade[grade_id]["active"] += 1
        grade_code, _grade_name = _grade_label(grade_by_id, grade_id)
        rows.append(
            {
                "id": pk,
                "code": code,
                "name": name,
                "grade": grade_code,
                "quantity": quantity,
                "amount": amount,
                "prev_amount": prev_amount,
                "change": amount - prev_amount,
            }
        )

    def customer_row(row):
        return {
            "id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "grade": row["grade"],
            "quantity": _money(row["quantity"]),
            "amount": _money(row["amount"]),
            "prev_amount": _money(row["prev_amount"]),
            "change": _money(row["change"]),
            "change_pct": pct(row["amount"], row["prev_amount"]),
        }

    active = [row for row in rows if row["amount"] > 0]
    by_amount = sorted(active, key=lambda row: (-row["amount"], row["code"]))
    increases = sorted(
        (row for row in rows if row["change"] > 0), key=lambda row: (-row["change"], row["code"])
    )
    decreases = sorted(
        (row for row in rows if row["change"] < 0), key=lambda row: (row["change"], row["code"])
    )
    no_purchases = [row for row in rows if row["amount"] <= 0]

    by_grade = []
    grade_order = [row["id"] for row in grades] + [None]
    for grade_id in grade_order:
        values = per_grade.get(grade_id)
        if not values:
            continue
        code, name = _grade_label(grade_by_id, grade_id)
        by_grade.append(
            {
                "grade": code,
                "name": name,
                "customers": int(values["customers"]),
                "active": int(values["active"]),
                "quantity": _money(values["quantity"]),
                "amount": _money(values["amount"]),
                "prev_amount": _money(values["prev_amount"]),
                "yoy_amount": _money(values["yoy_amount"]),
                "mom_pct": pct(values["amount"], values["prev_amount"]),
                "yoy_pct": pct(values["amount"], values["yoy_amount"]),
                "share_pct": (
                    round(float(values["amount"] / total["amount"] * 100), 1)
                    if total["amount"]
                    else None
                ),
            }
        )

    trend = []
    for offset in range(-12, 1):
        trend_month = months.month_shift(month, offset)
        quantity = sum((cells[trend_month][0] for cells in monthly.values()), ZERO)
        amount = sum((cells[trend_month][1] for cells in monthly.values()), ZERO)
        trend.append(
            {
                "month": months.month_key(trend_month),
                "quantity": _money(quantity),
                "amount": _money(amount),
            }
        )

    return {
        "month": months.month_key(month),
        "customers": len(rows),
        "active_customers": len(active),
        "total": {
            "quantity": _money(total["quantity"]),
            "amount": _money(total["amount"]),
            "prev_quantity": _money(total["prev_quantity"]),
            "prev_amount": _money(total["prev_amount"]),
            "yoy_quantity": _money(total["yoy_quantity"]),
            "yoy_amount": _money(total["yoy_amount"]),
            "mom_quantity_pct": pct(total["quantity"], total["prev_quantity"]),
            "mom_amount_pct": pct(total["amount"], total["prev_amount"]),
            "yoy_quantity_pct": pct(total["quantity"], total["yoy_quantity"]),
            "yoy_amount_pct": pct(total["amount"], total["yoy_amount"]),
        },
        "by_grade": by_grade,
        "top_by_amount": [customer_row(row) for row in by_amount[:TOP_COUNT]],
        "bottom_by_amount": [
            customer_row(row) for row in sorted(active, key=lambda r: (r["amount"], r["code"]))
        ][:TOP_COUNT],
        "top_by_change": [customer_row(row) for row in increases[:TOP_COUNT]],
        "bottom_by_change": [customer_row(row) for row in decreases[:TOP_COUNT]],
        "no_purchases_count": len(no_purchases),
        "no_purchases": [customer_row(row) for row in no_purchases[:NO_PURCHASES_LISTED]],
        "trend": trend,
    }


def _forecast(month, monthly, grades, grade_by_id):
    """Next month per grade and in total: the mean of the last three months.

    The same month a year before is given beside it for reference.
    """
    target = months.month_shift(month, 1)
    window = [months.month_shift(month, -offset) for offset in range(FORECAST_WINDOW)]
    reference = months.month_shift(target, -12)
    rows = []
    total = defaultdict(lambda: ZERO)
    for grade_id in [row["id"] for row in grades] + [None]:
        cells = monthly.get(grade_id)
        if not cells:
            continue
        quantity = sum((cells[m][0] for m in window), ZERO) / FORECAST_WINDOW
        amount = sum((cells[m][1] for m in window), ZERO) / FORECAST_WINDOW
        last_year_amount = cells[reference][1]
        code, name = _grade_label(grade_by_id, grade_id)
        rows.append(
            {
                "grade": code,
                "name": name,
                "quantity": _money(quantity),
                "amount": _money(amount),
                "last_year_amount": _money(last_year_amount),
            }
        )
        total["quantity"] += quantity
        total["amount"] += amount
        total["last_year_amount"] += last_year_amount
    return {
        "method": "moving_average_3",
        "for_month": months.month_key(target),
        "basis_months": [months.month_key(m) for m in reversed(window)],
        "by_grade": rows,
        "total": {
            "quantity": _money(total["quantity"]),
            "amount": _money(total["amount"]),
            "last_year_amount": _money(total["last_year_amount"]),
        },
    }


def summarize(figure_list):
    """A region's (or any group's) totals from its managers' stored figures."""
    keys = ("quantity", "amount", "prev_quantity", "prev_amount", "yoy_quantity", "yoy_amount")
    total = dict.fromkeys(keys, ZERO)
    grades = {}
    customers = active = 0
    for figures in figure_list:
        if not figures:
            continue
        customers += figures.get("customers", 0)
        active += figures.get("active_customers", 0)
        for key in keys:
            total[key] += Decimal(figures["total"][key])
        for row in figures.get("by_grade", []):
            cell = grades.setdefault(
                row["grade"],
                {"grade": row["grade"], "name": row["name"], "customers": 0, "active": 0}
                | dict.fromkeys(("quantity", "amount", "prev_amount", "yoy_amount"), ZERO),
            )
            cell["customers"] += row["customers"]
            cell["active"] += row["active"]
            for key in ("quantity", "amount", "prev_amount", "yoy_amount"):
                cell[key] += Decimal(row[key])
    by_grade = []
    for cell in grades.values():
        by_grade.append(
            cell
            | {
                key: _money(cell[key])
                for key in ("quantity", "amount", "prev_amount", "yoy_amount")
            }
            | {
                "mom_pct": pct(cell["amount"], cell["prev_amount"]),
                "yoy_pct": pct(cell["amount"], cell["yoy_amount"]),
            }
        )
    by_grade.sort(key=lambda row: (row["grade"] == NO_GRADE, row["grade"]))
    return {
        "customers": customers,
        "active_customers": active,
        "total": {key: _money(value) for key, value in total.items()}
        | {
            "mom_amount_pct": pct(total["amount"], total["prev_amount"]),
            "yoy_amount_pct": pct(total["amount"], total["yoy_amount"]),
            "mom_quantity_pct": pct(total["quantity"], total["prev_quantity"]),
            "yoy_quantity_pct": pct(total["quantity"], total["yoy_quantity"]),
        },
        "by_grade": by_grade,
    }
