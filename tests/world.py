"""Objects of ``manager`` and their region at every step worth a page, for walks over routes.

A test module makes its fixture with ``build_world(...)``.
"""

import datetime
import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.services import token_create
from complaints import services as complaint_services
from complaints.models import ComplaintSignature
from crm.models import CalendarDay, Notification, Region, SalesImport, SalesRecord
from crm.services import regrading_propose
from reports import services as report_services
from tests import factories
from tests.complaints.conftest import make_complaint
from tests.visits.conftest import at, data_url, make_visit
from visits import services as visit_services
from visits.models import PriceViolation, WorkLog

FOREIGN_NAME = "和平便利店"
FOREIGN_CODE = "C00001"
SEPTEMBER = datetime.date(2026, 9, 1)


def _image(fmt="JPEG"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def build_world(*, manager, teammate, outsider, regional_manager):
    """Objects of ``manager`` (and their region) at every step worth a page.

    Set ``MEDIA_ROOT`` to a temporary directory first: photos and signatures are saved.
    """
    customer = factories.CustomerFactory(
        manager=manager, name=FOREIGN_NAME, code=FOREIGN_CODE, grade=factories.grade("A1")
    )
    SalesRecord.objects.create(customer=customer, month=SEPTEMBER, quantity=10, amount=1000)
    # Teammates and the other region have customers of their own, so their lists are not empty.
    factories.CustomerFactory(manager=teammate, name="邻居超市")
    factories.CustomerFactory(manager=outsider, name="城西烟酒")

    visit = make_visit(
        manager,
        customer,
        stage="locked",
        price_checked=True,
        price_checked_note="低于指导价",
        price_violation=True,
    )
    open_visit = make_visit(manager, customer, stage="ended", arrived="2026-10-08 10:00")
    with time_machine.travel(at("2026-10-09 12:00"), tick=False):
        suggestion = visit_services.suggestion_add(
            visit=open_visit, actor=manager, text="希望多送货"
        )
        schedule, _ = visit_services.schedule_propose(
            manager=manager, week_start=datetime.date(2026, 10, 12)
        )
        # The proposal plans the customer (an A1 is due weekly).
        planned = schedule.entries.get(customer=customer)
        promotion = visit_services.promotion_record(
            customer=customer,
            actor=manager,
            item="宣传海报",
            quantity=2,
            signer_name="王店主",
            signature=data_url(),
        )
        unlicensed = visit_services.unlicensed_report(
            actor=manager,
            address="人民路 9 号",
            description="无证售烟",
            photo=SimpleUploadedFile("x.jpg", _image(), content_type="image/jpeg"),
        )
        work_log = visit_services.work_log_write(
            actor=manager, kind=WorkLog.Kind.DAILY, day=datetime.date(2026, 10, 9), content="走访"
        )
    complaint = make_complaint(manager, customer, regional_manager, stage="open")
    photo = complaint_services.complaint_add_photo(
        complaint=complaint,
        actor=manager,
        upload=SimpleUploadedFile("defect.jpg", _image(), content_type="image/jpeg"),
    )
    complaint = make_complaint(manager, customer, regional_manager, stage="approved")
    report_services.prepare_month(month=SEPTEMBER)
    admin = factories.AdminFactory(username="walkadmin")
    calendar_day = CalendarDay.objects.order_by("date").first()
    return {
        "customer": customer,
        "grade": customer.grade,
        "region": Region.objects.get(pk=manager.region_id),
        "user": manager,
        "sales_record": SalesRecord.objects.get(customer=customer),
        "sales_import": SalesImport.objects.create(
            file_name="september.csv", imported_by=manager, row_count=1, months="2026-09"
        ),
        "calendar_day": calendar_day,
        "regrading_run": regrading_propose(actor=admin),
        "visit": visit,
        "suggestion": suggestion,
        "violation": PriceViolation.objects.get(visit=visit),
        "schedule": schedule,
        "planned_visit": planned,
        "promotion": promotion,
        "unlicensed": unlicensed,
        "work_log": work_log,
        "complaint": complaint,
        "complaint_photo": photo,
        "complaint_signature": ComplaintSignature.objects.filter(complaint=complaint).first(),
        "report": manager.monthly_reports.get(month=SEPTEMBER),
        "notification": Notification.objects.filter(user=manager).first(),
        "api_token": token_create(user=manager, device="walk")[0],
    }
