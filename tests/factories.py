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
