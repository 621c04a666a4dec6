"""The daily reminders job: revisits, suggestions near their limit, lapsed intervals."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from core import workdays
from core.notifications import Joined, Message, notify_many
from crm import care
from crm.models import User
from visits import selectors
from visits.services.common import _url


class _Described(Message):
    """A care moment's line, written when the notification is (its reader's language)."""

    def __init__(self, moment, day):
        super().__init__("")
        self.moment, self.day = moment, day

    def __str__(self):
        return care.describe(self.moment, self.day)


def reminders_send(*, day=None):
    """The 07:30 reminders of one day, for every manager.

    1. Load everything due in a handful of queries: open revisits up to today,
       suggestions whose answer limit is near or past, customers whose grade
       interval lapsed, and the reminders already sent today.
    2. Notify each manager once per item and day (the key holds both), so a
       second run, or a run after a crash half-way, sends only what is missing.
    Customers whose interval lapsed come as one list per manager and day: a
    manager with many lapsed customers gets one message, not dozens; so do the
    care moments (birthdays, company anniversaries) of the days ahead
    (``crm.care``: the admin's number of days, over the days off to come).
    Nothing is sent on a day off; what fell due shows as overdue the next
    working day. Returns the number of notifications sent.
    """
    from core.models import Notification

    day = day or timezone.localdate()
    if not workdays.is_working_day(day):
        return 0
    stamp = f"{day:%Y-%m-%d}"
    managers = {
        user.pk: user for user in User.objects.filter(role=User.Role.MANAGER, is_active=True)
    }
    already = set(
        Notification.objects.filter(
            user_id__in=list(managers), key__endswith=f":{stamp}"
        ).values_list("user_id", "key")
    )
    items = []  # (manager_id, key, title, body, url)
    for visit in selectors.open_revisits(until=day, manager_ids=list(managers)):
        manager_id = visit.customer.manager_id
        if not visit.is_revisit_overdue_on(day):
            key, title = (
                f"revisit-due:{visit.pk}:{stamp}",
                Message(gettext_lazy("Revisit %(customer)s today"), customer=str(visit.customer)),
            )
        else:
            key, title = (
                f"revisit-overdue:{visit.pk}:{stamp}",
                Message(
                    gettext_lazy("Revisit of %(customer)s overdue since %(date)s"),
                    customer=str(visit.customer),
                    date=f"{visit.revisit_on:%Y-%m-%d}",
                ),
            )
        items.append((manager_id, key, title, "", _url("visits:visit_detail", visit.pk)))
    for suggestion in selectors.open_suggestions(day=day, manager_ids=list(managers)):
        if suggestion.is_overdue_on(day):
            title = gettext_lazy("Answer overdue: suggestion of %(customer)s (due %(date)s)")
        else:
            title = gettext_lazy("Answer by %(date)s: suggestion of %(customer)s")
        items.append(
            (
                suggestion.customer.manager_id,
                f"suggestion:{suggestion.pk}:{stamp}",
                Message(
                    title,
                    customer=str(suggestion.customer),
                    date=f"{suggestion.due_on:%Y-%m-%d}",
                ),
                suggestion.text,
                _url("visits:visit_detail", suggestion.visit_id),
            )
        )
    lapsed = {}
    yesterday = day - datetime.timedelta(days=1)
    for customer, due in selectors.customers_due(manager_ids=list(managers), until=yesterday):
        lapsed.setdefault(customer.manager_id, []).append((customer, due))
    for manager_id, rows in lapsed.items():
        lines = [
            Message(
                gettext_lazy("%(customer)s (grade %(grade)s), due %(date)s"),
                customer=str(c),
                grade=c.grade.code,
                date=f"{due:%Y-%m-%d}",
            )
            for c, due in rows
        ]
        items.append(
            (
                manager_id,
                f"lapsed:{manager_id}:{stamp}",
                Message(
                    gettext_lazy("%(count)s customers are past their visit interval"),
                    count=len(rows),
                ),
                Joined(*lines, sep="\n"),
                _url("home"),
            )
        )
    for manager_id, found in care.upcoming(manager_ids=list(managers), day=day).items():
        items.append(
            (
                manager_id,
                f"care:{manager_id}:{stamp}",
                Message(
                    ngettext_lazy(
                        "%(count)s care moment (birthday, anniversary) coming",
                        "%(count)s care moments (birthdays, anniversaries) coming",
                        "count",
                    ),
                    count=len(found),
                ),
                Joined(*(_Described(moment, day) for moment in found), sep="\n"),
                _url("visits:today"),
            )
        )
    return notify_many(
        (managers[manager_id], key, title, body, url)
        for manager_id, key, title, body, url in items
        if (manager_id, key) not in already and manager_id in managers
    )
