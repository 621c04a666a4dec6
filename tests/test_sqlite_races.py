"""Two identical writes at the same instant: one wins, the other gets a clean 409.

On the embedded SQLite default a deferred transaction cannot wait for the
write lock, so half of such double taps answered 500 "database is locked";
with immediate transactions and a busy timeout SQLite behaves as PostgreSQL
does. These tests fire the race for real, several times over, on both.
"""

import pytest

from complaints.models import Complaint
from tests import factories
from tests.browser_support import seeded  # noqa: F401 - the fixture
from tests.complaints.conftest import make_complaint
from tests.races import one_wins

# Not serialized_rollback: after another transactional test it fails on
# duplicate content types; ``seeded`` puts back the grades a flush removed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]

ROUNDS = 8


def test_double_tap_on_approve_answers_200_and_409(manager, region, regional_manager):
    deputy = factories.RegionalManagerFactory(username="deputy", region=region)
    for _round in range(ROUNDS):
        customer = factories.CustomerFactory(manager=manager, region=region)
        complaint = make_complaint(manager, customer, regional_manager, stage="submitted")
        url = f"/api/complaints/{complaint.pk}/approve/"

        lost = one_wins([regional_manager, deputy], url)
        assert "already approved" in lost.json()["detail"]
        complaint.refresh_from_db()
        assert complaint.status == Complaint.Status.APPROVED
        assert complaint.events.filter(action="approved").count() == 1


def test_double_tap_on_submit_answers_200_and_409(manager, region, regional_manager):
    for _round in range(ROUNDS):
        customer = factories.CustomerFactory(manager=manager, region=region)
        complaint = make_complaint(manager, customer, regional_manager, stage="inspected")
        url = f"/api/complaints/{complaint.pk}/submit/"

        one_wins([manager, manager], url)
        assert complaint.events.filter(action="submitted").count() == 1
