"""Notifications are written in the recipient's language (issue 16, language).

A user's language (``User.language``, zh-hans unless they chose English on
/account/) is the language of what the product writes to them, whatever the
language of the page of the person whose action notified them, and the daily
jobs (no page at all) too.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import services as complaint_services
from core.models import Notification
from crm.models import User
from tests import factories
from tests.complaints.conftest import make_complaint
from visits.services import reminders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_new_user_reads_chinese():
    user = factories.ManagerFactory(username="new_one")
    assert User.objects.get(pk=user.pk).language == "zh-hans"


def test_the_language_is_chosen_on_the_account_page(login, english, manager):
    client = login(manager)
    page = client.get(reverse("account")).content.decode()
    assert "Language of notifications" in page
    response = client.post(reverse("account_language"), {"language": "en"})
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.language == "en"
    assert response.cookies["django_language"].value == "en"
    # Anything else is refused, nothing changed.
    client.post(reverse("account_language"), {"language": "fr"})
    manager.refresh_from_db()
    assert manager.language == "en"


def test_a_decision_notifies_in_the_recipients_language(manager, regional_manager):
    customer = factories.CustomerFactory(manager=manager)
    manager.language = "en"
    manager.save(update_fields=["language"])
    complaint = make_complaint(manager, customer, regional_manager, stage="submitted")

    # The regional manager's page is in Chinese; the manager reads English.
    with translation.override("zh-hans"):
        complaint_services.complaint_approve(complaint=complaint, actor=regional_manager)
    told = Notification.objects.get(user=manager, key__startswith=f"complaint:{complaint.pk}:")
    assert told.title == f"Quality complaint {complaint.number} approved: exchange the goods"


def test_an_english_page_notifies_a_chinese_reader_in_chinese(manager, regional_manager):
    customer = factories.CustomerFactory(manager=manager)
    complaint = make_complaint(manager, customer, regional_manager, stage="submitted")
    with translation.override("en"):
        complaint_services.complaint_approve(complaint=complaint, actor=regional_manager)
    told = Notification.objects.get(user=manager, key__startswith=f"complaint:{complaint.pk}:")
    assert told.title == f"质量投诉 {complaint.number} 已批准：请为客户调换商品"


def test_the_daily_reminders_in_each_managers_language(travel):
    travel("2026-10-09 07:30")
    chinese = factories.ManagerFactory(username="zh_manager")
    english = factories.ManagerFactory(username="en_manager", language="en")
    for manager in (chinese, english):
        factories.CustomerFactory(manager=manager)  # never visited: past its interval
        # The operator's birthday in two days: a care moment.
        factories.CustomerFactory(manager=manager, operator_birthday=datetime.date(1970, 10, 11))
    reminders.reminders_send()
    titles = dict(
        Notification.objects.filter(key__startswith="lapsed:").values_list(
            "user__username", "title"
        )
    )
    assert titles["en_manager"] == "2 customers are past their visit interval"
    assert titles["zh_manager"] == "2 个客户已超过拜访间隔"
    care = dict(
        Notification.objects.filter(key__startswith="care:").values_list("user__username", "body")
    )
    assert "in 2 days" in care["en_manager"]
    assert "in 2 days" not in care["zh_manager"]
