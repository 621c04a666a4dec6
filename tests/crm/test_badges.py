"""The badge template tags (crm/templatetags/badges.py), rendered as a page would."""

import pytest
from django.template import Context, Template
from django.utils import translation

from complaints.models import Complaint
from crm.models import Customer, Grade
from tests import factories
from visits.models import Visit


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def render(tag, **context):
    return Template("{% load badges %}{% " + tag + " %}").render(Context(context))


class TestGradeBadge:
    @pytest.mark.django_db
    def test_code_with_name_as_title_and_rank_colour(self):
        grade = factories.grade("A1")
        html = render("grade_badge g", g=grade)
        assert html == (
            f'<span class="badge grade-badge grade-rank-{grade.rank}" title="{grade.name}">'
            f"{grade.code}</span>"
        )
        assert 'title="A1 级"' in html
        assert "grade-rank-1" in html

    def test_no_grade_reads_none(self):
        html = render("grade_badge g", g=None)
        assert ">none</span>" in html
        assert "grade-rank" not in html

    def test_no_grade_in_chinese(self):
        with translation.override("zh-hans"):
            assert ">无</span>" in render("grade_badge g", g=None)

    def test_grade_name_is_escaped(self):
        grade = Grade(code="X<b>", name='<script>alert("x")</script>', rank=9)
        html = render("grade_badge g", g=grade)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert ">X&lt;b&gt;</span>" in html


class TestNetworkBadge:
    def test_active_customer_is_green(self):
        html = render("network_badge c", c=Customer(network_status="active"))
        assert 'class="badge text-bg-success"' in html
        assert "In network" in html

    def test_exited_customer_is_grey(self):
        html = render("network_badge c", c=Customer(network_status="exited"))
        assert 'class="badge text-bg-secondary"' in html
        assert "Exited" in html


class TestVisitStatusBadge:
    def test_locked_visit_shows_the_lock(self):
        html = render("visit_status_badge v", v=Visit(status=Visit.Status.LOCKED))
        assert "bi-lock-fill" in html
        assert "text-bg-success" in html
        assert "Confirmed by the customer (locked)" in html

    @pytest.mark.parametrize(
        ("status", "colour"),
        [
            (Visit.Status.IN_PROGRESS, "text-bg-primary"),
            (Visit.Status.ENDED, "text-bg-warning"),
            (Visit.Status.MANAGER_SIGNED, "text-bg-info"),
        ],
    )
    def test_open_visits_have_no_lock(self, status, colour):
        html = render("visit_status_badge v", v=Visit(status=status))
        assert "bi-lock-fill" not in html
        assert f'class="badge {colour}"' in html


class TestComplaintStatusBadge:
    def test_overdue_complaint_shows_the_overdue_badge(self):
        complaint = Complaint(status=Complaint.Status.SUBMITTED)
        complaint.overdue = True
        html = render("complaint_status_badge c", c=complaint)
        assert 'class="badge text-bg-primary"' in html
        assert "data-overdue" in html
        assert ">Overdue</span>" in html

    @pytest.mark.parametrize("overdue", [False, None])
    def test_on_time_complaint_has_no_overdue_badge(self, overdue):
        complaint = Complaint(status=Complaint.Status.OPEN)
        if overdue is not None:
            complaint.overdue = overdue
        html = render("complaint_status_badge c", c=complaint)
        assert "data-overdue" not in html
        assert html.count('class="badge') == 1
        assert 'class="badge text-bg-info"' in html

    def test_closed_complaint_is_grey(self):
        html = render("complaint_status_badge c", c=Complaint(status=Complaint.Status.CLOSED))
        assert 'class="badge text-bg-secondary"' in html
        assert "Closed" in html
