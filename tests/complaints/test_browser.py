"""One complaint in real Chromium, from the customer's report to closed: a photo,
the customer's signature on inspection and on receipt drawn with the mouse,
the regional manager's approval, the PDF."""

import io
import pathlib
import subprocess

import pytest
from PIL import Image

from complaints.models import Complaint
from tests import factories
from tests.browser_support import browser_page, draw, image_loaded, login_as, seeded  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
OUTPUT = pathlib.Path("/tmp/complaint-pdf")


def test_complaint_from_report_to_closed(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    regional_manager,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    customer = factories.CustomerFactory(manager=manager, name="和平便利店", code="C00001")
    photo = tmp_path / "defect.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (180, 40, 40)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    # 1. The manager opens the form for the customer.
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("#id_customer", str(customer.pk))
    page.fill("#id_product", "中华(硬)")
    page.fill("#id_quantity", "2")
    page.fill("#id_unit", "条")
    page.fill("#id_problem", "烟支受潮发霉")
    page.click("#complaint-form button[type=submit]")
    page.wait_for_selector("#timeline")
    complaint = Complaint.objects.get(customer=customer)
    detail = f"{live_server.url}/complaints/{complaint.pk}/"

    # 2. On site: a photo, the cause, the customer's signature.
    page.set_input_files("#action-photo input[type=file]", str(photo))
    page.click("#action-photo button[type=submit]")
    page.wait_for_selector("img.complaint-photo")
    page.fill("#action-inspect [name=cause]", "仓储受潮")
    page.fill("#action-inspect [name=signer_name]", "王店主")
    draw(page, "#action-inspect canvas")
    page.click("#action-inspect button[type=submit]")
    page.wait_for_selector("[data-signature-image=inspection]")
    page.click("#action-submit button[type=submit]")
    page.wait_for_selector("[data-status=submitted]")

    # 3. The regional manager approves.
    login_as(page, live_server, regional_manager)
    page.goto(detail)
    page.fill("#action-approve [name=comment]", "同意调换")
    page.click("#action-approve button[type=submit]")
    page.wait_for_selector("[data-status=approved]")

    # 4. The manager exchanges the goods; the customer confirms on receipt.
    login_as(page, live_server, manager)
    page.goto(detail)
    page.fill("#action-exchange [name=signer_name]", "王店主")
    draw(page, "#action-exchange canvas")
    page.click("#action-exchange button[type=submit]")
    page.wait_for_selector("[data-signature-image=receipt]")

    # 5. The result is fed back; the form is closed and read-only.
    page.fill("#action-close [name=result]", "已调换合格卷烟，客户满意")
    page.click("#action-close button[type=submit]")
    page.wait_for_selector("[data-status=closed]")
    assert page.locator("form[data-action]").count() == 0
    for role in ("inspection", "receipt"):
        assert image_loaded(page, f"[data-signature-image={role}]"), role
    assert page.locator("#timeline li").count() == 7

    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert complaint.inspection_signature.signer_name == "王店主"
    assert complaint.receipt_signature is not None
    assert complaint.decided_by == regional_manager
    assert complaint.photos.count() == 1

    pdf = page.request.get(f"{detail}pdf/")
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")
    # Kept for people to look at: the printed form with both drawn signatures.
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "complaint.pdf").write_bytes(pdf.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(OUTPUT / "complaint.pdf"), str(OUTPUT / "page")],
        check=True,
    )
