"""factory_boy factories for the whole test suite."""

import datetime
from decimal import Decimal

import factory

from crm.models import Contact, Customer, Grade, Region, SalesRecord, User

PASSWORD = "correct-horse-battery"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"区域{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "测试"
    last_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    role = User.Role.MANAGER
    region = factory.SubFactory(RegionFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ManagerFactory(UserFactory):
    role = User.Role.MANAGER


class RegionalManagerFactory(UserFactory):
    role = User.Role.REGIONAL_MANAGER


class AdminFactory(UserFactory):
    role = User.Role.ADMIN
    region = None
    is_staff = True
    is_superuser = True


def grade(code):
    """A grade of the seeded scheme (A1, A2, B1, B2, C, D)."""
    return Grade.objects.get(code=code)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"测试便利店{n}")
    licence_number = factory.Sequence(lambda n: f"LIC{n:08d}")
    customer_type = Customer.Type.RETAILER
    address = "人民路 1 号"
    manager = factory.SubFactory(ManagerFactory)
    region = factory.LazyAttribute(lambda o: o.manager.region if o.manager else RegionFactory())
    grade = factory.LazyFunction(lambda: Grade.objects.get(code="B2"))
    joined_on = datetime.date(2024, 1, 1)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = "店主"
    role = "owner"
    phone = "13900000000"


class SalesRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesRecord

    customer = factory.SubFactory(CustomerFactory)
    month = datetime.date(2026, 9, 1)
    quantity = Decimal("100.00")
    amount = Decimal("20000.00")


def _regional_manager_of(user):
    """The regional manager of ``user``'s region: the one there is, or a new one."""
    existing = User.objects.filter(role=User.Role.REGIONAL_MANAGER, region_id=user.region_id)
    return existing.order_by("pk").first() or RegionalManagerFactory(region=user.region)


class _ThroughServices(factory.django.DjangoModelFactory):
    """A workflow object built by the services, as users build it, never by a bare insert.

    ``build()`` is refused: the objects only exist through their workflow.
    """

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError(f"{cls.__name__} makes rows through the services: use create()")


class VisitFactory(_ThroughServices):
    """A special visit of ``customer`` at ``stage``, with both signatures drawn when signed.

    ``VisitFactory(signed=True)`` is a locked visit (manager and customer
    signed); ``stage`` is one of in_progress, ended, manager_signed, locked.
    Other keywords are the visit's content (``price_checked=True``, ...).
    See tests/visits/conftest.py ``make_visit``, which it calls.
    """

    class Meta:
        model = "visits.Visit"

    class Params:
        signed = factory.Trait(stage="locked")

    customer = factory.SubFactory(CustomerFactory)
    manager = factory.LazyAttribute(lambda o: o.customer.manager)
    stage = "ended"
    arrived = "2026-10-09 10:00"

    @classmethod
    def _create(cls, model_class, *, customer, manager, stage, arrived, **content):
        from tests.visits.conftest import make_visit

        return make_visit(manager, customer, stage=stage, arrived=arrived, **content)


class ComplaintFactory(_ThroughServices):
    """A goods complaint of ``customer`` at ``stage``, its signatures drawn on the way.

    ``stage`` is one of open, inspected, submitted, approved, exchanged,
    closed; the approval is the region's regional manager's (``approver``).
    See tests/complaints/conftest.py ``make_complaint``, which it calls.
    """

    class Meta:
        model = "complaints.Complaint"

    customer = factory.SubFactory(CustomerFactory)
    manager = factory.LazyAttribute(lambda o: o.customer.manager)
    approver = factory.LazyAttribute(lambda o: _regional_manager_of(o.manager))
    stage = "open"
    reported_on = None

    @classmethod
    def _create(cls, model_class, *, customer, manager, approver, stage, reported_on):
        from tests.complaints.conftest import make_complaint

        return make_complaint(manager, customer, approver, stage=stage, reported_on=reported_on)


class ReportFactory(_ThroughServices):
    """``manager``'s monthly report on ``month`` at ``status``, made by the monthly job.

    ``status`` is one of draft, submitted, approved, returned: the job
    prepares the draft (figures from the sales there are), the manager writes
    the problems section and submits, the region's regional manager
    (``reviewer``) approves or returns it with a comment.
    """

    class Meta:
        model = "reports.MonthlyReport"

    manager = factory.SubFactory(ManagerFactory)
    reviewer = factory.LazyAttribute(lambda o: _regional_manager_of(o.manager))
    month = datetime.date(2026, 9, 1)
    status = "draft"
    problems = "库存偏高，已调整订货。"

    @classmethod
    def _create(cls, model_class, *, manager, reviewer, month, status, problems):
        from reports import services

        services.prepare_month(month=month, manager_ids=[manager.pk])
        report = model_class.objects.get(manager=manager, month=month.replace(day=1))
        return take_report(report, status, reviewer=reviewer, problems=problems)


def take_report(report, status, *, reviewer, problems="库存偏高，已调整订货。"):
    """Take the draft ``report`` to ``status`` as its manager and ``reviewer`` do (see above)."""
    from reports import services

    if status == "draft":
        return report
    manager = report.manager
    services.report_update_sections(report=report, actor=manager, data={"problems": problems})
    report = services.report_submit(report=report, actor=manager)
    if status == "submitted":
        return report
    if status == "approved":
        return services.report_approve(report=report, actor=reviewer)
    if status == "returned":
        return services.report_return(
            report=report, actor=reviewer, comments={}, comment="请补充问题分析。"
        )
    raise ValueError(f"ReportFactory: no status {status!r}")
