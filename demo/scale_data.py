"""Province-scale generated data for the benchmark (``manage.py generate_scale_data``).

Everything generated carries a prefix so it can be told apart from real and
demo data and deleted again: regions ``SR001``, users ``s_rm_001`` /
``s_mgr_0001``, customers ``S0000001`` with licences ``SL0000000001``.

The big tables are written in bulk, never through the per-row services: on
PostgreSQL with ``COPY`` (psycopg2 ``copy_expert``), elsewhere with
``bulk_create`` in batches. The data is deterministic for a seed and a
reference day:

1. regions, one regional manager per region, managers spread over the regions;
2. customers spread evenly over the managers, each in its manager's region,
   graded with the skew of SPEC.md (few A, many B2/C/D), with an initial
   grade change and assignment each;
3. monthly sales for the last ``months`` months, sized to the grade's annual
   band and seasonal (Spring Festival and National Day peaks);
4. visits over the last year, per customer in proportion to its grade's visit
   frequency and spaced by its interval, on working days;
5. complaints spread over the year, older ones closed;
6. monthly reports for every manager for the months before last month,
   their figures computed in bulk by ``reports.figures.compute``. Last
   month is left for the benchmark's preparation job.
"""

import datetime
import io
import json
import math
import random
import time
import uuid
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.models import AuditEvent, Notification
from core.months import months_back
from crm.models import (
    Assignment,
    Customer,
    Grade,
    GradeChange,
    NetworkStatusChange,
    Region,
    SalesRecord,
    User,
)

PASSWORD = "scale-pass-2026"
REGION_PREFIX = "SR"
USER_PREFIX = "s_"
CUSTOMER_PREFIX = "S"
LICENCE_PREFIX = "SL"
USER_PATTERN = r"^s_(mgr|rm|adm)_[0-9]+$"
GENERATED_CUSTOMERS = Q(code__startswith=CUSTOMER_PREFIX) & Q(licence_number__startswith="SL")

# Share of customers per grade (percent): few A, many B2/C/D.
GRADE_SHARES = {"A1": 4, "A2": 8, "B1": 18, "B2": 25, "C": 20, "D": 25}
# Purchases peak before Spring Festival and National Day.
SEASON = {1: 1.35, 2: 1.2, 3: 0.85, 4: 0.9, 5: 1.0, 6: 0.95}
SEASON.update({7: 0.9, 8: 0.95, 9: 1.1, 10: 1.15, 11: 0.95, 12: 1.1})
PRICE_PER_UNIT = 150  # yuan per carton, to turn amounts into quantities
SHOP_WORDS = ["便利店", "烟酒店", "超市", "商行", "百货", "食杂店", "副食店", "批发部"]
PLACE_WORDS = ["和平", "幸福", "光明", "长安", "建设", "人民", "解放", "新华", "中山", "朝阳"]
PLACE_WORDS += ["东风", "红旗", "胜利", "团结", "繁荣", "兴隆", "永安", "富民", "金桥", "望江"]
FAMILY = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱"]
FAMILY += ["高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于"]
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰"]
GIVEN += ["娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "志强", "海燕", "建国"]
STREETS = ["解放路", "人民路", "建设大街", "中山路", "和平街", "长江路", "黄河路", "新华街"]
FINDINGS = [
    "陈列整齐，价签齐全。",
    "库存偏低，已建议补货。",
    "新品动销一般，已讲解卖点。",
    "店面整洁，经营规范。",
    "周边新开一家竞争店，客流略降。",
]
OPINIONS = ["希望增加畅销品规货源。", "送货时间希望提前。", "对服务满意。", "建议多搞促销活动。"]
PROBLEMS = ["包装破损", "受潮霉变", "条码无法识别", "送货延误", "数量短缺"]
PRODUCTS = ["红塔山（经典）", "云烟（软珍品）", "黄鹤楼（软蓝）", "中华（硬）", "利群（新版）"]


class AlreadyGenerated(Exception):
    """The database already holds generated data and ``reset`` was not asked for."""


def generated_exists():
    return (
        Customer.objects.filter(GENERATED_CUSTOMERS).exists()
        or User.objects.filter(
            username__startswith=USER_PREFIX, username__regex=USER_PATTERN
        ).exists()
    )


def generate(
    *,
    customers=50000,
    managers=500,
    regions=40,
    months=13,
    visits=1000000,
    complaints=5000,
    reports=6000,
    seed=1,
    today=None,
    reset=False,
    progress=print,
):
    """Generate the data set; returns ``{table: rows}``. See the module docstring."""
    if generated_exists():
        if not reset:
            raise AlreadyGenerated(
                "Generated data is already in the database; use --reset to replace it."
            )
        _timed(progress, "reset", delete_generated)
    today = today or timezone.localdate()
    writer = _Writer(progress)
    rng = random.Random(seed)
    counts = {}
    state = {}

    def step(name, function):
        counts[name] = _timed(progress, name, function)

    step("regions", lambda: _regions(regions, state))
    step("users", lambda: _users(managers, state))
    step("customers", lambda: _customers(rng, writer, customers, today, state))
    step("grade changes + assignments", lambda: _histories(writer, state))
    step("sales", lambda: _sales(rng, writer, months, today, state))
    step("visits", lambda: _visits(rng, writer, visits, today, state))
    step("complaints", lambda: _complaints(rng, writer, complaints, today, state))
    step("reports", lambda: _reports(writer, reports, today, state))
    if connection.vendor == "postgresql":
        _timed(progress, "vacuum analyze", _analyze)
    return counts


def delete_generated():
    """Delete generated rows, children first; users pinned by the audit trail stay."""
    from complaints.models import Complaint, ComplaintEvent, ComplaintPhoto, ComplaintSignature
    from reports.models import MonthlyReport
    from visits import models as visit_models

    customers = Customer.objects.filter(GENERATED_CUSTOMERS)
    users = User.objects.filter(username__regex=USER_PATTERN)
    with transaction.atomic():
        MonthlyReport.objects.filter(manager__in=users).delete()
        Notification.objects.filter(user__in=users).delete()
        complaint_ids = Complaint.objects.filter(customer__in=customers).values("pk")
        Complaint.objects.filter(pk__in=complaint_ids).update(
            inspection_signature=None, receipt_signature=None
        )
        for model in (ComplaintEvent, ComplaintPhoto, ComplaintSignature):
            model.objects.filter(complaint__in=complaint_ids).delete()
        Complaint.objects.filter(customer__in=customers).delete()
        visit_ids = visit_models.Visit.objects.filter(customer__in=customers).values("pk")
        for model in (visit_models.Signature, visit_models.VisitEvent, visit_models.Suggestion):
            model.objects.filter(visit__in=visit_ids).delete()
        for name in ("PromotionReceipt", "UnlicensedReport", "PriceViolation", "WorkLog"):
            model = getattr(visit_models, name, None)
            if model is not None:
                _delete_related(model, customers, users)
        visit_models.Visit.objects.filter(customer__in=customers).update(
            revisited_by=None, corrects=None
        )
        # The big tables go in one DELETE each: the ORM's collector would load
        # a million primary keys first. Their children were deleted above.
        for queryset in (
            visit_models.Visit.objects.filter(customer__in=customers),
            SalesRecord.objects.filter(customer__in=customers),
            GradeChange.objects.filter(customer__in=customers),
            Assignment.objects.filter(customer__in=customers),
            NetworkStatusChange.objects.filter(customer__in=customers),
        ):
            queryset._raw_delete(queryset.db)
        visit_models.PlannedVisit.objects.filter(customer__in=customers).delete()
        visit_models.WeeklySchedule.objects.filter(manager__in=users).delete()
        customers.delete()
        pinned = AuditEvent.objects.filter(actor__isnull=False).values("actor_id")
        users.exclude(pk__in=pinned).delete()
        Region.objects.filter(code__startswith=REGION_PREFIX, users__isnull=True).delete()


def _delete_related(model, customers, users):
    fields = {field.name for field in model._meta.get_fields()}
    if "customer" in fields:
        model.objects.filter(customer__in=customers).delete()
    elif "manager" in fields:
        model.objects.filter(manager__in=users).delete()


def _timed(progress, name, function):
    started = time.monotonic()
    result = function()
    rows = f"{result:>9,} rows " if isinstance(result, int) else ""
    progress(f"{name:<30} {rows}{time.monotonic() - started:8.1f} s")
    return result


# Steps ----------------------------------------------------------------------------------


def _regions(count, state):
    existing = {r.code: r for r in Region.objects.filter(code__startswith=REGION_PREFIX)}
    new = [
        Region(code=f"{REGION_PREFIX}{i:03d}", name=f"规模区域{i:03d}")
        for i in range(1, count + 1)
        if f"{REGION_PREFIX}{i:03d}" not in existing
    ]
    Region.objects.bulk_create(new)
    by_code = {r.code: r for r in Region.objects.filter(code__startswith=REGION_PREFIX)}
    state["regions"] = [by_code[f"{REGION_PREFIX}{i:03d}"] for i in range(1, count + 1)]
    return count


def _users(count, state):
    """One regional manager per region and ``count`` managers round-robin over the regions.

    The password is hashed once and shared: hashing it for each of 540 users
    would take minutes and proves nothing.
    """
    regions = state["regions"]
    password = make_password(PASSWORD)
    wanted = [(f"{USER_PREFIX}adm_001", User.Role.ADMIN, None, 0)]
    for index, region in enumerate(regions, start=1):
        wanted.append((f"{USER_PREFIX}rm_{index:03d}", User.Role.REGIONAL_MANAGER, region, index))
    for index in range(1, count + 1):
        region = regions[(index - 1) % len(regions)]
        wanted.append((f"{USER_PREFIX}mgr_{index:04d}", User.Role.MANAGER, region, index))
    existing = {u.username: u for u in User.objects.filter(username__startswith=USER_PREFIX)}
    new, changed = [], []
    for username, role, region, index in wanted:
        user = existing.get(username)
        if user is None:
            new.append(
                User(
                    username=username,
                    password=password,
                    role=role,
                    region=region,
                    last_name=FAMILY[index % len(FAMILY)],
                    first_name=GIVEN[(index * 7) % len(GIVEN)],
                    email=f"{username}@scale.invalid",
                )
            )
        else:
            user.role, user.region, user.password, user.is_active = role, region, password, True
            changed.append(user)
    User.objects.bulk_create(new, batch_size=500)
    User.objects.bulk_update(changed, ["role", "region", "password", "is_active"], batch_size=500)
    by_name = {u.username: u for u in User.objects.filter(username__startswith=USER_PREFIX)}
    state["managers"] = [by_name[w[0]] for w in wanted if w[1] == User.Role.MANAGER]
    state["regional_managers"] = [
        by_name[w[0]] for w in wanted if w[1] == User.Role.REGIONAL_MANAGER
    ]
    return len(wanted)


def _customers(rng, writer, count, today, state):
    grades = {g.code: g for g in Grade.objects.all()}
    codes = [code for code in GRADE_SHARES if code in grades]
    weights = [GRADE_SHARES[code] for code in codes]
    managers = state["managers"]
    now = timezone.now()
    rows = []
    grade_of = []
    for index in range(1, count + 1):
        manager = managers[(index - 1) % len(managers)]
        grade = grades[rng.choices(codes, weights)[0]] if codes else None
        grade_of.append(grade)
        kind = rng.choices(["retailer", "dealer", "key_account"], [85, 12, 3])[0]
        joined = today - datetime.timedelta(days=rng.randint(30, 3650))
        exited = rng.random() < 0.03
        place = PLACE_WORDS[rng.randrange(len(PLACE_WORDS))]
        owner = FAMILY[rng.randrange(len(FAMILY))] + GIVEN[rng.randrange(len(GIVEN))]
        shop = SHOP_WORDS[rng.randrange(len(SHOP_WORDS))]
        rows.append(
            {
                "code": f"{CUSTOMER_PREFIX}{index:07d}",
                "name": f"{place}{owner}{shop}（{index % 97 + 1}号）",
                "licence_number": f"{LICENCE_PREFIX}{rng.randrange(10**9):09d}{index:07d}",
                "customer_type": kind,
                "key_account_class": rng.choice(["industry", "region", "potential"])
                if kind == "key_account"
                else "",
                "address": f"{STREETS[index % len(STREETS)]}{rng.randint(1, 999)}号",
                "region_id": manager.region_id,
                "manager_id": manager.pk,
                "assigned_at": now - datetime.timedelta(days=rng.randint(30, 900)),
                "grade_id": grade.pk if grade else None,
                "economic_nature": rng.choice(["个体", "私营", "国有", "集体"]),
                "business_scale": rng.choice(["小", "中", "大"]),
                "credit_standing": rng.choice(["良好", "一般", "优秀"]),
                "network_status": "exited" if exited else "active",
                "joined_on": joined,
                "exited_on": (today - datetime.timedelta(days=rng.randint(1, 25)))
                if exited
                else None,
                "exit_reason": "停业" if exited else "",
                "created_at": now,
                "updated_at": now,
            }
        )
    writer.insert(Customer, rows)
    ids = dict(
        Customer.objects.filter(GENERATED_CUSTOMERS).values_list("code", "pk").iterator(10000)
    )
    state["customers"] = [
        (ids[row["code"]], row["manager_id"], grade, row["network_status"])
        for row, grade in zip(rows, grade_of, strict=True)
    ]
    state["customer_names"] = {ids[row["code"]]: row["name"] for row in rows}
    # An exited customer's history holds its exit, as the service would have written it.
    state["exits"] = [
        (ids[row["code"]], row["exited_on"], row["exit_reason"])
        for row in rows
        if row["network_status"] == "exited"
    ]
    return count


def _histories(writer, state):
    now = timezone.now()
    changes, assignments = [], []
    for customer_id, manager_id, grade, _status in state["customers"]:
        if grade is not None:
            changes.append(
                {
                    "customer_id": customer_id,
                    "new_grade_id": grade.pk,
                    "source": "initial",
                    "reason": "初始分级",
                    "changed_at": now,
                }
            )
        assignments.append(
            {
                "customer_id": customer_id,
                "to_manager_id": manager_id,
                "reason": "初始分配",
                "changed_at": now,
            }
        )
    exits = [
        {
            "customer_id": customer_id,
            "action": "exited",
            "from_status": "active",
            "to_status": "exited",
            "date": exited_on,
            "reason": reason,
            "at": now,
        }
        for customer_id, exited_on, reason in state.get("exits", [])
    ]
    writer.insert(GradeChange, changes)
    writer.insert(Assignment, assignments)
    writer.insert(NetworkStatusChange, exits)
    return len(changes) + len(assignments) + len(exits)


def _annual_amount(rng, grade):
    """An annual purchase amount inside the grade's band, log-uniform."""
    if grade is None:
        return rng.uniform(1000, 10000)
    low = max(float(grade.min_annual_amount), 2000.0)
    high = float(grade.max_annual_amount) if grade.max_annual_amount else low * 3
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _sales(rng, writer, months, today, state):
    month_list = months_back(today, months)
    now = timezone.now()
    total = 0
    batch = []
    for customer_id, _manager_id, grade, status in state["customers"]:
        base = _annual_amount(rng, grade) / 12
        for month in month_list:
            if status == "exited" and rng.random() < 0.5:
                continue
            amount = base * SEASON[month.month] * rng.uniform(0.85, 1.15)
            amount = Decimal(f"{amount:.2f}")
            quantity = Decimal(f"{float(amount) / PRICE_PER_UNIT:.2f}")
            batch.append(
                {
                    "customer_id": customer_id,
                    "month": month,
                    "quantity": quantity,
                    "amount": amount,
                    "sales_quantity": Decimal(f"{float(quantity) * 0.96:.2f}"),
                    "sales_amount": Decimal(f"{float(amount) * 1.08:.2f}"),
                    "updated_at": now,
                }
            )
        if len(batch) >= 50000:
            total += writer.insert(SalesRecord, batch)
            batch = []
    total += writer.insert(SalesRecord, batch)
    return total


def _working_day(day, holidays):
    """``day`` moved to the nearest earlier working day (Monday–Friday, no holiday)."""
    while day.weekday() >= 5 or day in holidays:
        day -= datetime.timedelta(days=1)
    return day


def _visits(rng, writer, total, today, state):
    """``total`` visits over the year up to yesterday, spread by grade frequency.

    A customer's share is proportional to 365 / its grade's interval; its
    visits are spaced evenly with some jitter, from a random phase, so the
    last visit of some customers is older than their interval (lapsed).
    """
    from core.models import CalendarDay
    from visits.models import Visit

    holidays = set(
        CalendarDay.objects.filter(kind=CalendarDay.Kind.HOLIDAY).values_list("date", flat=True)
    )
    customers = list(state["customers"])
    frequency = [365 / (c[2].visit_interval_days if c[2] else 90) for c in customers]
    factor = total / sum(frequency) if frequency else 0
    tz = timezone.get_current_timezone()
    start = today - datetime.timedelta(days=365)
    now = timezone.now()
    checklist = (
        "info_passed",
        "info_collected",
        "stock_checked",
        "display_improved",
        "sales_observed",
        "price_checked",
    )
    written = 0
    remaining = total
    batch = []
    for position, (customer, weight) in enumerate(zip(customers, frequency, strict=True)):
        customer_id, manager_id, _grade, _status = customer
        if position == len(customers) - 1:
            count = remaining
        else:
            expected = weight * factor
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            count = min(count, remaining)
        remaining -= count
        if count <= 0:
            continue
        spacing = 364 / count
        phase = rng.uniform(0, spacing)
        for number in range(count):
            offset = phase + number * spacing + rng.uniform(-0.2, 0.2) * spacing
            day = start + datetime.timedelta(days=min(max(int(offset), 0), 364))
            day = _working_day(day, holidays)
            arrived = datetime.datetime.combine(
                day, datetime.time(rng.randint(8, 17), rng.randrange(60)), tzinfo=tz
            )
            recent = (today - day).days <= 2
            special = rng.random() < 0.05
            row = {
                "customer_id": customer_id,
                "manager_id": manager_id,
                "kind": "special" if special else "planned",
                "special_reason": "客户临时要货" if special else "",
                "status": rng.choice(["ended", "manager_signed", "locked"]) if recent else "locked",
                "arrived_at": arrived,
                "departed_at": arrived + datetime.timedelta(minutes=rng.randint(10, 60)),
                "order_suggestion": "建议补货 5 条" if rng.random() < 0.3 else "",
                "price_violation": rng.random() < 0.003,
                "findings": FINDINGS[rng.randrange(len(FINDINGS))],
                "customer_opinions": OPINIONS[rng.randrange(len(OPINIONS))]
                if rng.random() < 0.1
                else "",
                # Revisits are only left open on the last three weeks' visits.
                "revisit_on": day + datetime.timedelta(days=7)
                if (today - day).days <= 21 and rng.random() < 0.05
                else None,
                "created_at": arrived,
                "updated_at": now,
            }
            for item in checklist:
                row[item] = rng.random() < 0.85
            batch.append(row)
        if len(batch) >= 50000:
            written += writer.insert(Visit, batch)
            batch = []
    written += writer.insert(Visit, batch)
    return written


def _complaints(rng, writer, count, today, state):
    from complaints.models import Complaint

    customers = state["customers"]
    tz = timezone.get_current_timezone()
    now = timezone.now()
    rows = []
    for index in range(count):
        customer_id, manager_id, _grade, _status = customers[rng.randrange(len(customers))]
        age = int(365 * (index + 0.5) / count) if count else 0  # oldest first
        reported = today - datetime.timedelta(days=365 - age)
        created = datetime.datetime.combine(reported, datetime.time(10, 0), tzinfo=tz)
        days_old = (today - reported).days
        if days_old > 20:
            status = "closed"
        else:
            status = rng.choice(["open", "inspected", "submitted", "approved", "exchanged"])
        kind = rng.choice(["goods", "goods", "service"])
        row = {
            "customer_id": customer_id,
            "kind": kind,
            "product": PRODUCTS[rng.randrange(len(PRODUCTS))] if kind == "goods" else "",
            "quantity": Decimal(rng.randint(1, 10)) if kind == "goods" else None,
            "unit": "条" if kind == "goods" else "",
            "problem": PROBLEMS[rng.randrange(len(PROBLEMS))],
            "reported_on": reported,
            "status": status,
            "due_on": None if status == "closed" else reported + datetime.timedelta(days=3),
            "cause": "" if status == "open" else "运输途中受潮",
            "created_by_id": manager_id,
            "created_at": created,
            "updated_at": now,
        }
        if status in ("approved", "exchanged", "closed"):
            row["decided_by_id"] = None
            row["decided_at"] = created + datetime.timedelta(days=2)
        if status == "closed":
            row["result"] = "已调换，客户满意"
            row["closed_at"] = created + datetime.timedelta(days=5)
        rows.append(row)
    return writer.insert(Complaint, rows)


def _reports(writer, count, today, state):
    """Reports of the months before last month, newest first, ``count`` in all."""
    from reports import figures
    from reports.models import MonthlyReport
    from reports.services import due_date_for

    managers = state["managers"]
    if not managers or count <= 0:
        return 0
    month_count = math.ceil(count / len(managers))
    months = months_back(today, month_count + 1)[:-1]  # leave last month
    now = timezone.now()
    written = 0
    for month in reversed(months):
        chosen = managers[: min(len(managers), count - written)]
        if not chosen:
            break
        computed = figures.compute(month, [m.pk for m in chosen])
        due = due_date_for(month)
        rows = []
        for manager in chosen:
            figures_a, forecast = computed[manager.pk]
            submitted = datetime.datetime.combine(
                due - datetime.timedelta(days=1),
                datetime.time(17, 0),
                tzinfo=timezone.get_current_timezone(),
            )
            rows.append(
                {
                    "manager_id": manager.pk,
                    "region_id": manager.region_id,
                    "month": month,
                    "status": "approved",
                    "due_date": due,
                    "figures": figures_a,
                    "figures_computed_at": now,
                    "problems": "部分客户库存偏高，已建议控量。",
                    "opinions": "",
                    "opinion_sources": [],
                    "forecast": forecast,
                    "forecast_text": "预计与上月持平。",
                    "submitted_at": submitted,
                    "approved_at": submitted + datetime.timedelta(days=1),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        written += writer.insert(MonthlyReport, rows)
    return written


def _analyze():
    """Statistics for the planner, and the visibility map for index-only scans."""
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (a test's, for one); ANALYZE can.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


# Bulk writer ----------------------------------------------------------------------------


class _Writer:
    """Insert dicts of column values: COPY on PostgreSQL, bulk_create elsewhere.

    Columns a row leaves out take the field's default (COPY does not know
    Django's defaults) or NULL. Every ``PROGRESS_ROWS`` rows of a table it
    reports how far it got, so a run of millions of rows shows it is moving.
    """

    PROGRESS_ROWS = 1_000_000

    def __init__(self, progress=None):
        self.progress = progress
        self.written = {}
        self.started = {}

    def insert(self, model, rows):
        if not rows:
            return 0
        name = model._meta.db_table
        before = self.written.get(name, 0)
        self.started.setdefault(name, time.monotonic())
        if connection.vendor == "postgresql":
            self._copy(model, rows)
        else:
            # auto_now fields take the current time here; only small test sizes come here.
            model.objects.bulk_create((model(**row) for row in rows), batch_size=500)
        after = self.written[name] = before + len(rows)
        if self.progress and after // self.PROGRESS_ROWS > before // self.PROGRESS_ROWS:
            seconds = time.monotonic() - self.started[name]
            self.progress(f"  … {name}: {after:,} rows in {seconds:.0f} s")
        return len(rows)

    @staticmethod
    def _copy(model, rows):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        defaults = {}
        for field in fields:
            if field.attname in rows[0] or field.has_default() is False:
                continue
            defaults[field.attname] = field.get_default()
        columns = [f.column for f in fields]
        buffer = io.StringIO()
        for row in rows:
            values = []
            for field in fields:
                name = field.attname
                value = row[name] if name in row else defaults.get(name, _blank(field))
                values.append(_copy_text(value))
            buffer.write("\t".join(values))
            buffer.write("\n")
        buffer.seek(0)
        table = connection.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({column_list}) FROM STDIN", buffer)


def _blank(field):
    if field.null:
        return None
    if field.get_internal_type() in ("CharField", "TextField"):
        return ""
    if field.get_internal_type() == "BooleanField":
        return False
    return None


def _copy_text(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, uuid.UUID | Decimal | int | float):
        return str(value)
    value = str(value)
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )
