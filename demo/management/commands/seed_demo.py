"""Demo data: 2 regions, 1 admin, 2 regional managers, 6 managers, 300 customers,
13 months of sales. Deterministic, and safe to run twice."""

import datetime
import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.months import months_back
from crm import services
from crm.models import Customer, Grade, Region, SalesRecord, User
from demo import activity as demo_activity

DEMO_PASSWORD = "demo-pass-2026"
REGIONS = [("R01", "城东区域"), ("R02", "城西区域")]
STAFF = [
    # username, role, region code, family name, given name
    ("admin", User.Role.ADMIN, None, "系统", "管理员"),
    ("rm_east", User.Role.REGIONAL_MANAGER, "R01", "王", "建国"),
    ("rm_west", User.Role.REGIONAL_MANAGER, "R02", "李", "海燕"),
    ("mgr_zhang", User.Role.MANAGER, "R01", "张", "伟"),
    ("mgr_liu", User.Role.MANAGER, "R01", "刘", "芳"),
    ("mgr_chen", User.Role.MANAGER, "R01", "陈", "磊"),
    ("mgr_yang", User.Role.MANAGER, "R02", "杨", "静"),
    ("mgr_zhao", User.Role.MANAGER, "R02", "赵", "强"),
    ("mgr_huang", User.Role.MANAGER, "R02", "黄", "敏"),
    # 客户服务中心: surveys customers' satisfaction in every region.
    ("service_desk", User.Role.SERVICE_CENTRE, None, "客服", "中心"),
]
CUSTOMERS_PER_MANAGER = 50
# Share of customers per grade, skewed as in a real archive: few A, many C/D.
GRADE_WEIGHTS = {"A1": 4, "A2": 8, "B1": 18, "B2": 25, "C": 20, "D": 25}
SHOP_WORDS = ["便利店", "烟酒店", "超市", "商行", "百货", "食杂店", "副食店", "批发部"]
PLACE_WORDS = ["和平", "幸福", "光明", "长安", "建设", "人民", "解放", "新华", "中山", "朝阳"]
OWNER_FAMILY = ["孙", "周", "吴", "郑", "冯", "朱", "胡", "林", "何", "高", "罗", "梁"]
OWNER_GIVEN = ["志强", "秀英", "国华", "丽娟", "海涛", "玉兰", "建军", "红梅", "德明", "春生"]
STREETS = ["解放路", "人民路", "建设大街", "中山路", "和平街", "长江路", "黄河路", "新华街"]
# Purchases are higher before Spring Festival and National Day.
SEASON = {
    1: 1.35,
    2: 1.2,
    3: 0.85,
    4: 0.9,
    5: 1.0,
    6: 0.95,
    7: 0.9,
    8: 0.95,
    9: 1.1,
    10: 1.15,
    11: 0.95,
    12: 1.1,
}


class Command(BaseCommand):
    help = "Load deterministic demo data (users, customers, 13 months of sales). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-activity",
            dest="activity",
            action="store_false",
            help="Only the archive and sales: no visits, complaints or reports.",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            regions = {
                code: Region.objects.get_or_create(code=code, defaults={"name": name})[0]
                for code, name in REGIONS
            }
            users = {}
            for username, role, region_code, family, given in STAFF:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "role": role,
                        "region": regions.get(region_code),
                        "last_name": family,
                        "first_name": given,
                        "email": f"{username}@example.com",
                        "is_staff": role == User.Role.ADMIN,
                        "is_superuser": role == User.Role.ADMIN,
                    },
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                users[username] = user
            created_customers = self._customers(users)
            sales_rows = self._sales()
        activity = "skipped"
        if options["activity"]:
            with transaction.atomic():
                activity = demo_activity.seed(users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Customer.objects.count()} customers "
                f"({created_customers} new), {sales_rows} sales rows written; "
                f"activity: {activity}."
            )
        )

    def _customers(self, users):
        admin = users["admin"]
        grades = {grade.code: grade for grade in Grade.objects.all()}
        codes = [code for code in GRADE_WEIGHTS if code in grades]
        weights = [GRADE_WEIGHTS[code] for code in codes]
        managers = [user for user in users.values() if user.role == User.Role.MANAGER]
        existing = set(Customer.objects.values_list("code", flat=True))
        created = 0
        number = 0
        for manager in managers:
            for _ in range(CUSTOMERS_PER_MANAGER):
                number += 1
                code = f"C{number:05d}"
                if code in existing:
                    continue
                # One generator per customer keeps every customer the same on each run.
                rng = random.Random(f"customer-{number}")
                grade = grades[rng.choices(codes, weights)[0]] if codes else None
                customer_type = rng.choices(
                    [Customer.Type.RETAILER, Customer.Type.DEALER, Customer.Type.KEY_ACCOUNT],
                    [80, 12, 8],
                )[0]
                owner = rng.choice(OWNER_FAMILY) + rng.choice(OWNER_GIVEN)
                data = {
                    "code": code,
                    "name": f"{rng.choice(PLACE_WORDS)}{owner[0]}记{rng.choice(SHOP_WORDS)}",
                    "licence_number": f"{manager.region.code}{number:08d}",
                    "customer_type": customer_type,
                    "key_account_class": (
                        rng.choice(list(Customer.KeyAccountClass.values))
                        if customer_type == Customer.Type.KEY_ACCOUNT
                        else ""
                    ),
                    "address": f"{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                    "region": manager.region,
                    "manager": manager,
                    "grade": grade,
                    "economic_nature": rng.choice(
                        ["个体工商户", "私营企业", "国有企业", "集体企业"]
                    ),
                    "business_scale": rng.choice(["小型", "中型", "大型"]),
                    "network_scope": rng.choice(["社区", "商圈", "城乡结合部", "农村"]),
                    "credit_standing": rng.choice(["优", "良", "中"]),
                    "operator_background": f"经营者{owner}，从业{rng.randint(2, 25)}年。",
                    "operator_birthday": datetime.date(
                        rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    "joined_on": datetime.date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
                }
                contacts = [
                    {
                        "name": owner,
                        "role": "店主",
                        "phone": f"139{rng.randint(10000000, 99999999)}",
                    }
                ]
                if rng.random() < 0.4:
                    contacts.append(
                        {
                            "name": rng.choice(OWNER_FAMILY) + rng.choice(OWNER_GIVEN),
                            "role": "店员",
                            "phone": f"138{rng.randint(10000000, 99999999)}",
                        }
                    )
                services.customer_create(actor=admin, data=data, contacts=contacts)
                created += 1
        return created

    def _sales(self):
        """13 months up to last month, sized to each customer's grade."""
        months = months_back(timezone.localdate(), 13)
        rows = []
        customers = Customer.objects.select_related("grade").order_by("code")
        for customer in customers:
            grade = customer.grade
            if grade is None:
                continue
            rng = random.Random(f"sales-{customer.code}")
            low = float(grade.min_annual_amount)
            high = float(grade.max_annual_amount or grade.min_annual_amount * 2 or 20000)
            annual = rng.uniform(low, high) if high > low else low
            trend = rng.uniform(-0.15, 0.2)
            for index, month in enumerate(months):
                growth = 1 + trend * (index - 12) / 12
                amount = annual / 12 * SEASON[month.month] * growth * rng.uniform(0.85, 1.15)
                amount = max(amount, 0)
                price = rng.uniform(180, 260)
                rows.append(
                    SalesRecord(
                        customer=customer,
                        month=month,
                        amount=Decimal(f"{amount:.2f}"),
                        quantity=Decimal(f"{amount / price:.2f}"),
                        sales_amount=Decimal(f"{amount * rng.uniform(0.9, 1.1):.2f}"),
                        sales_quantity=Decimal(f"{amount / price * rng.uniform(0.9, 1.05):.2f}"),
                    )
                )
        SalesRecord.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["customer", "month"],
            update_fields=["amount", "quantity", "sales_amount", "sales_quantity"],
        )
        return len(rows)
