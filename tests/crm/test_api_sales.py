import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crm.models import SalesImport, SalesRecord
from tests import factories
from tests.crm.test_sales_import_hardening import csv_upload, xlsx_bytes

pytestmark = pytest.mark.django_db


csv_file = csv_upload


def xlsx_file(rows, name="sales.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows))


class TestImport:
    def test_csv_import_stores_every_row(self, api_login, manager):
        a = factories.CustomerFactory(manager=manager, code="A-1")
        b = factories.CustomerFactory(manager=manager, code="B-1")
        upload = csv_file(
            'customer_code,month,quantity,amount\nA-1,2026-10,10,2500.50\nB-1,2026-10,4,"1,000"\n'
        )
        response = api_login(manager).post(
            "/api/sales/import/", {"file": upload}, format="multipart"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["row_count"] == 2
        assert SalesRecord.objects.get(customer=a).amount == Decimal("2500.50")
        assert SalesRecord.objects.get(customer=b).amount == Decimal("1000.00")

    def test_one_bad_row_imports_nothing_and_names_the_row(self, api_login, manager, teammate):
        factories.CustomerFactory(manager=manager, code="A-1")
        factories.CustomerFactory(manager=teammate, code="T-1")
        upload = csv_file(
            "customer_code,month,quantity,amount\n"
            "A-1,2026-10,10,2500\n"
            "A-1,2026-13,10,-5\n"
            "T-1,2026-10,1,1\n"
            "NOPE,2026-10,abc,1\n"
        )
        response = api_login(manager).post(
            "/api/sales/import/", {"file": upload}, format="multipart"
        )
        assert response.status_code == 400
        errors = {row["row"]: row["message"] for row in response.json()["errors"]}
        assert set(errors) == {3, 4, 5}
        assert "month" in errors[3] and "negative" in errors[3]
        # A teammate's customer is as unknown to a manager as a made-up code.
        assert "unknown customer code T-1" in errors[4]
        assert "not a number" in errors[5]
        assert SalesRecord.objects.count() == 0
        assert SalesImport.objects.count() == 0

    def test_importing_a_month_again_replaces_it(self, api_login, admin_user, manager):
        customer = factories.CustomerFactory(manager=manager, code="A-1")
        client = api_login(admin_user)
        first = csv_file("客户编码,月份,数量,金额\nA-1,2026年10月,10,100\n")
        second = xlsx_file(
            [
                ["customer_code", "month", "quantity", "amount"],
                ["A-1", datetime.date(2026, 10, 1), 12, 300],
            ]
        )
        assert (
            client.post("/api/sales/import/", {"file": first}, format="multipart").status_code
            == 201
        )
        assert (
            client.post("/api/sales/import/", {"file": second}, format="multipart").status_code
            == 201
        )
        record = SalesRecord.objects.get(customer=customer)
        assert (record.quantity, record.amount) == (Decimal("12.00"), Decimal("300.00"))

    def test_the_same_row_twice_in_one_file_is_refused(self, api_login, manager):
        factories.CustomerFactory(manager=manager, code="A-1")
        upload = csv_file("customer_code,month,quantity,amount\nA-1,2026-10,1,1\nA-1,2026-10,2,2\n")
        response = api_login(manager).post(
            "/api/sales/import/", {"file": upload}, format="multipart"
        )
        assert response.status_code == 400
        assert "row 2" in response.json()["errors"][0]["message"]

    @pytest.mark.parametrize(
        "upload, message",
        [
            (SimpleUploadedFile("x.pdf", b"%PDF-1.4"), "Upload a .csv or .xlsx file"),
            (SimpleUploadedFile("x.xlsx", b"PK\x03\x04 broken"), "not a readable Excel"),
            (SimpleUploadedFile("x.csv", b"name,amount\nx,1\n"), "Missing columns"),
            (SimpleUploadedFile("x.csv", b"customer_code,month,quantity,amount\n"), "no data rows"),
        ],
    )
    def test_unreadable_files_get_a_clear_message(self, api_login, manager, upload, message):
        response = api_login(manager).post(
            "/api/sales/import/", {"file": upload}, format="multipart"
        )
        assert response.status_code == 400
        assert message in response.json()["errors"][0]["message"]

    def test_missing_file_is_a_field_error(self, api_login, manager):
        response = api_login(manager).post("/api/sales/import/", {}, format="multipart")
        assert response.status_code == 400
        assert "file" in response.json()


class TestSalesList:
    def test_lists_only_visible_customers_sales(self, api_login, manager, teammate):
        own = factories.SalesRecordFactory(customer=factories.CustomerFactory(manager=manager))
        factories.SalesRecordFactory(customer=factories.CustomerFactory(manager=teammate))
        rows = api_login(manager).get("/api/sales/").json()["results"]
        assert [row["id"] for row in rows] == [own.pk]
        assert rows[0]["month"] == "2026-09"

    def test_each_role_sees_its_own_share_newest_month_first(
        self,
        api_login,
        admin_user,
        manager,
        teammate,
        outsider,
        regional_manager,
        other_regional_manager,
    ):
        def rows_of(owner, months=(8, 9)):
            customer = factories.CustomerFactory(manager=owner)
            return [
                factories.SalesRecordFactory(customer=customer, month=datetime.date(2026, m, 1))
                for m in months
            ]

        mine, mates, far = rows_of(manager), rows_of(teammate), rows_of(outsider)

        def listed(user):
            rows = api_login(user).get("/api/sales/").json()["results"]
            return [(row["month"], row["customer"]) for row in rows]

        def expected(*groups):
            records = [r for group in groups for r in group]
            records.sort(key=lambda r: (-r.month.toordinal(), r.customer_id))
            return [(f"{r.month:%Y-%m}", r.customer_id) for r in records]

        assert listed(manager) == expected(mine)
        assert listed(teammate) == expected(mates)
        assert listed(regional_manager) == expected(mine, mates)
        assert listed(other_regional_manager) == expected(far)
        assert listed(admin_user) == expected(mine, mates, far)

    def test_filter_by_customer_code_and_months(self, api_login, manager):
        customer = factories.CustomerFactory(manager=manager, code="A-1")
        for month in (7, 8, 9):
            factories.SalesRecordFactory(customer=customer, month=datetime.date(2026, month, 1))
        response = api_login(manager).get(
            "/api/sales/", {"customer": "A-1", "month_from": "2026-08-01", "month_to": "2026-09-01"}
        )
        assert [row["month"] for row in response.json()["results"]] == ["2026-09", "2026-08"]

    # 1 count + 1 page of rows joined with their customer.
    @pytest.mark.parametrize("size", [1, 40])
    def test_query_budget(self, api_login, manager, size, django_assert_max_num_queries):
        customers = factories.CustomerFactory.create_batch(size, manager=manager)
        for customer in customers:
            factories.SalesRecordFactory(customer=customer)
        client = api_login(manager)
        with django_assert_max_num_queries(2):
            assert client.get("/api/sales/").json()["count"] == size
