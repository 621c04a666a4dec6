"""Seed the grading scheme of SPEC.md and China's official calendar from 2020 on.

Both are data that admins edit afterwards; the seed only fills what is empty.
"""

from decimal import Decimal

from django.db import migrations

GRADES = [
    # code, name, rank, min, max, interval days, promotions allowed, description
    ("A1", "A1 级", 1, "500000", None, 7, True, "年购进额 ≥ 50 万元且回款记录良好"),
    ("A2", "A2 级", 2, "200000", "500000", 7, True, "年购进额 20–50 万元"),
    ("B1", "B1 级", 3, "50000", "200000", 14, True, "年购进额 5–20 万元，有增长潜力"),
    ("B2", "B2 级", 4, "20000", "50000", 30, False, "年购进额 2–5 万元"),
    ("C", "C 级", 5, "10000", "20000", 30, False, "量大利薄"),
    ("D", "D 级", 6, "0", "10000", 90, False, "其余客户"),
]


def seed(apps, schema_editor):
    from core.official_calendar import exceptions_for_year

    Grade = apps.get_model("crm", "Grade")
    CalendarDay = apps.get_model("crm", "CalendarDay")
    if not Grade.objects.exists():
        Grade.objects.bulk_create(
            Grade(
                code=code,
                name=name,
                rank=rank,
                min_annual_amount=Decimal(low),
                max_annual_amount=Decimal(high) if high else None,
                visit_interval_days=interval,
                promotion_allowed=promotion,
                description=description,
            )
            for code, name, rank, low, high, interval, promotion, description in GRADES
        )
    days = []
    for year in range(2020, 2031):
        days.extend(
            CalendarDay(date=day, kind=kind, name=name)
            for day, kind, name in exceptions_for_year(year)
        )
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
