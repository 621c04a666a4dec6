"""Demo activity on top of the demo archive: a few weeks of signed visits,
this week's and next week's schedules, open suggestions and revisits, quality
complaints at every step, and last month's reports in every state.

Everything goes through the services, as a user's clicks would. Deterministic
for a given day; skipped when the demo managers already have visits.
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from core.workdays import is_working_day


def signature_png(name, seed):
    """A scribble that looks like a hand-drawn signature, as a PNG data URL."""
    import base64

    rng = random.Random(seed)
    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    x, y = 20, 70
    points = [(x, y)]
    for _step in range(14):
        x += rng.randint(12, 26)
        y = max(20, min(100, y + rng.randint(-30, 30)))
        points.append((x, y))
    draw.line(points, fill=(20, 30, 90), width=3, joint="curve")
    draw.text((x + 8, 90), name[:2], fill=(20, 30, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _photo(seed):
    image = Image.new("RGB", (320, 240), (200 + seed % 50, 190, 170))
    ImageDraw.Draw(image).rectangle([60, 60, 260, 180], outline=(120, 60, 40), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile(f"photo-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _working_days_back(today, count):
    days, day = [], today - datetime.timedelta(days=1)
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day -= datetime.timedelta(days=1)
    return sorted(days)


def seed(users, today=None, stdout=None):
    from visits.models import Visit

    today = today or timezone.localdate()
    managers = [user for user in users.values() if user.is_manager]
    if Visit.objects.filter(manager__in=managers).exists():
        return "demo activity already present"
    counts = {
        "visits": _visits(managers, today),
        "complaints": _complaints(managers, users, today),
        "reports": _reports(users, today),
        "satisfaction answers": _satisfaction(users, today),
    }
    return ", ".join(f"{count} {name}" for name, count in counts.items())


# The demo questionnaire: four score questions (service attitude counts double), a
# single choice and a free text.
SATISFACTION_QUESTIONS = [
    {"kind": "score", "text": "客户经理的服务态度", "weight": 2},
    {"kind": "score", "text": "送货及时准确", "weight": 1},
    {"kind": "score", "text": "商品质量", "weight": 1},
    {"kind": "score", "text": "信息传递及时（新品、价格、政策）", "weight": 1},
    {
        "kind": "choice",
        "text": "您最常用的订货方式",
        "options": "电话订货\n网上订货\n客户经理上门",
        "weight": 0,
    },
    {"kind": "text", "text": "您的其他意见和建议", "weight": 0, "required": False},
]


def _satisfaction(users, today):
    """A closed round of each region two months ago and last month (the service centre
    surveys a sample of ten customers per grade), answers from seeded scores, each
    manager's measures written for the latest round and commented on in the east."""
    import random

    from core import months
    from satisfaction import services
    from satisfaction.models import Answer, Measure, Questionnaire

    if Questionnaire.objects.exists():
        return 0
    desk, admin = users["service_desk"], users["admin"]
    questionnaire = services.questionnaire_create(
        actor=admin, name="客户满意度测评问卷", questions=SATISFACTION_QUESTIONS
    )
    rng = random.Random(2026)
    last = months.month_shift(months.month_start(today), -1)
    made = 0
    for month, lift in ((months.month_shift(last, -1), 0), (last, 1)):
        for lead in (users["rm_east"], users["rm_west"]):
            round = services.round_launch(
                actor=lead,
                month=month,
                questionnaire=questionnaire,
                region=lead.region,
                sample="by_grade",
                per_grade=10,
            )
            questions = list(round.version.questions.all())
            for row in round.sample_rows.select_related("customer").order_by("customer_id"):
                values = {}
                for question in questions:
                    if question.kind == "score":
                        values[question.pk] = min(5, max(1, rng.choice([3, 4, 4, 5, 5, 2]) + lift))
                    elif question.kind == "choice":
                        values[question.pk] = rng.choice(question.option_list)
                # Every fifth customer answers on the manager's phone.
                actor = row.manager if made % 5 == 0 and row.manager else desk
                services.answer_record(
                    round=round, customer=row.customer, actor=actor, values=values
                )
                made += 1
            services.round_close(round=round, actor=lead)
    for measure in Measure.objects.filter(round__month=last).select_related("manager"):
        services.measure_write(
            measure=measure,
            actor=measure.manager,
            analysis="送货及时率和新品信息传递得分偏低，部分客户反映到货时间不固定。",
            measures="固定每周送货时间并提前一天电话确认；每次走访带新品和价格信息单。",
        )
        if measure.region.code == "R01":
            services.measure_comment(
                measure=measure,
                actor=users["rm_east"],
                comment="措施可行，下月测评时重点看送货及时的得分。",
            )
    return Answer.objects.count() and made


def _visits(managers, today):
    from crm.models import Customer
    from visits.services import schedules
    from visits.services import visits as visit_services

    # The demo archive is long-standing: its customers joined two years ago,
    # so the grade intervals put them on the schedules.
    Customer.objects.filter(manager__in=managers).update(
        assigned_at=_at(today - datetime.timedelta(days=730), 9)
    )
    made = 0
    monday = today - datetime.timedelta(days=today.weekday())
    for manager_index, manager in enumerate(managers):
        rng = random.Random(f"visits-{manager.username}")
        # The last two weeks: schedules submitted and mostly carried out.
        for weeks_back in (2, 1):
            week_start = monday - datetime.timedelta(days=7 * weeks_back)
            schedule, _created = schedules.schedule_propose(manager=manager, week_start=week_start)
            if schedule.status == schedule.Status.DRAFT:
                # Keep the past plans to what a manager really gets through.
                extra = schedule.entries.order_by("planned_date", "id").values_list("pk", flat=True)
                schedule.entries.filter(pk__in=list(extra[10:])).delete()
                schedules.schedule_submit(schedule=schedule, actor=manager)
            entries = schedule.entries.select_related("customer").order_by("planned_date", "id")
            for number, entry in enumerate(entries[:10]):
                if entry.planned_date >= today:
                    continue
                arrived = _at(entry.planned_date, 9 + number % 8, rng.choice([0, 15, 30, 45]))
                visit = visit_services.visit_start(
                    actor=manager, planned_visit=entry, arrived_at=arrived
                )
                _carry_out(manager, visit, arrived, rng, number, today)
                made += 1
        # A special visit (特殊访问) yesterday-ish, left open for the manager to finish.
        customer = manager.customers.filter(network_status="active").order_by("-code").first()
        if customer is not None:
            day = _working_days_back(today, 1)[0]
            visit_services.visit_start(
                actor=manager,
                customer=customer,
                special_reason="客户反映断货，临时上门",
                arrived_at=_at(day, 16, 10),
            )
            made += 1
        # This week's plan (submitted by half of the team) and next week's draft.
        for week_start in (monday, monday + datetime.timedelta(days=7)):
            schedule, _created = schedules.schedule_propose(manager=manager, week_start=week_start)
            if week_start == monday and manager_index % 2 == 0 and schedule.status == "draft":
                schedules.schedule_submit(schedule=schedule, actor=manager)
    return made


def _carry_out(manager, visit, arrived, rng, number, today):
    from visits.services import suggestions
    from visits.services import visits as visit_services

    customer = visit.customer
    data = {name: rng.random() > 0.15 for name in _checklist_fields()}
    data.update(
        order_suggestion=f"建议订货 {rng.randint(2, 20)} 条",
        findings=rng.choice(["陈列整齐", "价签缺失，已补齐", "库存偏低", "店面整洁"]),
        customer_opinions=rng.choice(["", "希望增加畅销品规格", "配送时间希望提前"]),
    )
    if number % 4 == 0:
        data["revisit_on"] = today + datetime.timedelta(days=rng.randint(-2, 4))
    visit_services.visit_update(visit=visit, actor=manager, data=data)
    if number % 5 == 1:
        suggestions.suggestion_add(visit=visit, actor=manager, text="希望调整送货时间到上午")
    visit_services.visit_end(
        visit=visit, actor=manager, departed_at=arrived + datetime.timedelta(minutes=35)
    )
    if number % 7 == 6:
        return  # a few are left unsigned, as in real life
    visit_services.visit_sign(
        visit=visit,
        actor=manager,
        role="manager",
        image=signature_png(manager.last_name, f"m{manager.pk}"),
        signer_name=manager.get_full_name() or manager.username,
    )
    visit_services.visit_sign(
        visit=visit,
        actor=manager,
        role="customer",
        image=signature_png(customer.name, f"c{customer.pk}"),
        signer_name=customer.name,
    )


def _checklist_fields():
    from visits.models import CHECKLIST

    return [name for name, _label in CHECKLIST]


def _complaints(managers, users, today):
    from complaints import services
    from crm.models import Customer

    regional = {user.region_id: user for user in users.values() if user.is_regional_manager}
    problems = [
        ("卷烟条盒破损", "运输途中挤压"),
        ("批次受潮发霉", "仓储湿度过高"),
        ("送货延误两天", "配送线路调整"),
        ("包装封口不严", "生产封装缺陷"),
    ]
    made = 0
    for index, manager in enumerate(managers):
        customers = list(Customer.objects.filter(manager=manager).order_by("code")[:5])
        for step, customer in enumerate(customers[:5]):
            problem, cause = problems[(index + step) % len(problems)]
            reported = today - datetime.timedelta(days=2 + step * 3)
            complaint = services.complaint_open(
                actor=manager,
                customer=customer,
                problem=problem,
                reported_on=reported,
                product="中华(硬)" if step % 2 == 0 else "红塔山(经典)",
                quantity=2 + step,
                unit="条",
            )
            made += 1
            if step == 0:
                continue  # waiting for inspection
            services.complaint_add_photo(complaint=complaint, actor=manager, upload=_photo(made))
            services.complaint_inspect(
                complaint=complaint,
                actor=manager,
                cause=cause,
                signature=signature_png(customer.name, f"i{customer.pk}"),
                signer_name=customer.name,
            )
            services.complaint_submit(complaint=complaint, actor=manager)
            if step == 1:
                continue  # waiting for the regional manager
            reviewer = regional[manager.region_id]
            if step == 2:
                services.complaint_reject(
                    complaint=complaint, actor=reviewer, reason="请补充批次号和现场照片"
                )
                continue
            services.complaint_approve(complaint=complaint, actor=reviewer, comment="同意调换")
            services.complaint_record_exchange(
                complaint=complaint,
                actor=manager,
                exchanged_on=today,
                signature=signature_png(customer.name, f"e{customer.pk}"),
                signer_name=customer.name,
                exchange_product=complaint.product,
                exchange_quantity=complaint.quantity,
            )
            if step == 4:
                services.complaint_close(
                    complaint=complaint, actor=manager, result="已为客户调换合格商品，客户满意"
                )
    return made


def _reports(users, today):
    from reports import services

    month = services.last_month(today)
    services.prepare_month(month=month)
    from reports.models import MonthlyReport

    made = 0
    reports = (
        MonthlyReport.objects.filter(month=month)
        .select_related("manager")
        .order_by("manager__username")
    )
    regional = {user.region_id: user for user in users.values() if user.is_regional_manager}
    for index, report in enumerate(reports):
        made += 1
        manager = report.manager
        if index % 3 == 0:
            continue  # still a draft
        services.report_update_sections(
            report=report,
            actor=manager,
            data={
                "problems": "部分C类客户进货量下降，主要因周边新开便利店竞争；"
                "对策：加强陈列指导，重点走访。"
            },
        )
        services.report_submit(report=report, actor=manager)
        if index % 3 == 2:
            services.report_approve(
                report=report, actor=regional[manager.region_id], comment="分析到位，同意"
            )
    return made
