"""One meaning of a revisit and a suggestion being due or overdue, everywhere.

On Friday 9 October 2026: a revisit is due today, another was due yesterday;
one suggestion was due yesterday (overdue), one on the make-up Saturday 10-10
(one working day away: near its limit), one next week. The "today" page and
API, the suggestions page, the visit page and the 07:30 reminders must name
the rows ``Visit.objects.revisits_due/overdue`` and
``Suggestion.objects.overdue/near_limit`` name.
"""

import datetime
import re

import pytest
from django.urls import reverse

from core.models import Notification
from tests import factories
from tests.visits.conftest import make_visit
from visits.models import Suggestion, Visit
from visits.services import reminders, schedules

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2026, 10, 9)


@pytest.fixture
def due(manager, customer, outsider):
    due_today = make_visit(
        manager, customer, stage="locked", arrived="2026-09-28 10:00", revisit_on=DAY
    )
    other = factories.CustomerFactory(manager=manager, code="OTHER", name="迟到店")
    late = make_visit(
        manager, other, stage="locked", arrived="2026-09-29 10:00", revisit_on=D(2026, 10, 8)
    )
    overdue = Suggestion.objects.create(
        visit=late, customer=other, text="过期的建议", due_on=D(2026, 10, 8)
    )
    near = Suggestion.objects.create(
        visit=due_today, customer=customer, text="加送货频次", due_on=D(2026, 10, 10)
    )
    later = Suggestion.objects.create(
        visit=due_today, customer=customer, text="以后再说", due_on=D(2026, 10, 14)
    )
    answered = Suggestion.objects.create(
        visit=late,
        customer=other,
        text="已答复",
        due_on=D(2026, 10, 7),
        answer="已处理",
        answered_at=datetime.datetime(2026, 10, 7, 9, tzinfo=datetime.UTC),
    )
    return {
        "due_today": due_today,
        "late": late,
        "overdue": overdue,
        "near": near,
        "later": later,
        "answered": answered,
    }


def test_the_rules(due):
    assert list(Visit.objects.revisits_due(DAY)) == [due["due_today"]]
    assert list(Visit.objects.revisits_overdue(DAY)) == [due["late"]]
    assert due["late"].is_revisit_overdue_on(DAY)
    assert not due["due_today"].is_revisit_overdue_on(DAY)
    assert list(Suggestion.objects.overdue(DAY)) == [due["overdue"]]
    assert list(Suggestion.objects.near_limit(DAY)) == [due["overdue"], due["near"]]
    assert due["overdue"].is_overdue_on(DAY)
    assert not due["answered"].is_overdue_on(DAY)
    assert not due["near"].is_overdue_on(DAY)


def test_the_today_page_and_api(login, api_login, travel, manager, due):
    travel("2026-10-09 10:00")
    page = login(manager).get(reverse("visits:today")).content.decode()
    body = api_login(manager).get("/api/visits/today/").json()
    assert [row["id"] for row in body["revisits_due"]] == [due["due_today"].pk]
    assert [row["id"] for row in body["revisits_overdue"]] == [due["late"].pk]
    assert [row["id"] for row in body["suggestions"]] == [due["overdue"].pk, due["near"].pk]
    # The overdue revisit and the overdue suggestion are marked; the near one is not.
    marked = re.findall(r'<li class="[^"]*\boverdue\b[^"]*">(.*?)</li>', page)
    assert sum("迟到店" in item for item in marked) == 2
    assert not any("和平便利店" in item for item in marked)


def test_the_suggestions_page_and_visit_page_badges(login, travel, manager, due):
    travel("2026-10-09 10:00")
    client = login(manager)
    listing = client.get(reverse("visits:suggestion_list") + "?show=all").content.decode()
    # One overdue revisit, one overdue suggestion: the rows the querysets name.
    assert listing.count("data-overdue") == (
        Visit.objects.revisits_overdue(DAY).count() + Suggestion.objects.overdue(DAY).count()
    )
    card = re.search(rf'id="suggestion-{due["overdue"].pk}".*?</div>\s*</div>', listing, re.S)
    assert "data-overdue" in card.group(0)
    late_page = client.get(due["late"].get_absolute_url()).content.decode()
    assert late_page.count("data-overdue") == 1  # the answered one is not overdue
    on_time = client.get(due["due_today"].get_absolute_url()).content.decode()
    assert "data-overdue" not in on_time


def test_the_reminders_name_the_same_rows(travel, manager, due):
    travel("2026-10-09 07:30")
    reminders.reminders_send()
    keys = set(Notification.objects.filter(user=manager).values_list("key", flat=True))
    stamp = "2026-10-09"
    assert {f"revisit-due:{v.pk}:{stamp}" for v in Visit.objects.revisits_due(DAY)} <= keys
    assert {f"revisit-overdue:{v.pk}:{stamp}" for v in Visit.objects.revisits_overdue(DAY)} <= keys
    reminded = {int(key.split(":")[1]) for key in keys if key.startswith("suggestion:")}
    assert reminded == set(Suggestion.objects.near_limit(DAY).values_list("pk", flat=True))
    overdue_title = Notification.objects.get(key=f"suggestion:{due['overdue'].pk}:{stamp}").title
    near_title = Notification.objects.get(key=f"suggestion:{due['near'].pk}:{stamp}").title
    assert "overdue" in overdue_title.lower() or "逾期" in overdue_title or "超期" in overdue_title
    assert overdue_title != near_title


def test_a_planned_entry_is_overdue_on_the_page_as_in_the_api(login, api_login, travel, manager):
    """A customer whose grade interval lapsed before the week began is marked
    overdue on the schedule page and in the API alike."""
    from tests.visits.conftest import completed_visit

    late = factories.CustomerFactory(manager=manager, code="LATE", grade=factories.grade("A1"))
    completed_visit(manager, late, D(2026, 9, 1))
    travel("2026-10-02 16:00")
    schedule, _created = schedules.schedule_propose(manager=manager, week_start=D(2026, 10, 5))
    page = login(manager).get(reverse("visits:schedule") + "?week=2026-10-05").content.decode()
    body = api_login(manager).get(f"/api/visits/schedules/{schedule.pk}/").json()
    flagged = {row["customer_code"] for row in body["entries"] if row["is_overdue"]}
    assert flagged == {"LATE"}
    assert page.count("data-overdue") == len(flagged)
