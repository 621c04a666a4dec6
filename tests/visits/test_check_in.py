"""Check-in verified against the shop: customers' locations (set at a visit,
imported with GCJ-02 converted), the on-site radius, the visit's check-in and
distance on the record, the PDF, the list filter, the API and the KPI."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import geo
from core.errors import ConflictError
from crm.locations import locations_import
from crm.models import LocationChange
from crm.sales_import import SalesImportError
from tests import factories
from tests.browser_support import browser_page, chromium, login_as, seeded  # noqa: F401
from tests.visits.conftest import make_visit
from visits import kpis
from visits.models import CheckInSettings, Visit
from visits.services import visits as visit_services

# The shop, and points about 100 m and 2 km north of it (1° of latitude ≈ 111.2 km).
SHOP = (Decimal("31.230000"), Decimal("121.470000"))
NEAR = (Decimal("31.230900"), Decimal("121.470000"))
FAR = (Decimal("31.248000"), Decimal("121.470000"))

# Published pairs of the WGS-84 → GCJ-02 transform (Shanghai, Shenzhen, Beijing).
GCJ_PAIRS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
]


@pytest.fixture
def shop(manager):
    return factories.CustomerFactory(manager=manager, latitude=SHOP[0], longitude=SHOP[1])


def start(manager, customer, position=None):
    latitude, longitude = position or (None, None)
    return visit_services.visit_start(
        actor=manager,
        customer=customer,
        special_reason="电话约访",
        latitude=latitude,
        longitude=longitude,
    )


@pytest.mark.parametrize(("wgs", "gcj"), GCJ_PAIRS)
def test_gcj02_converts_both_ways(wgs, gcj):
    assert geo.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)
    assert geo.gcj02_to_wgs84(*gcj) == pytest.approx(wgs, abs=1e-8)
    # Left unconverted, a shop would sit hundreds of metres off.
    assert 400 < geo.distance_m(*wgs, *gcj) < 700


def test_outside_china_gcj02_is_wgs84():
    assert geo.gcj02_to_wgs84(48.8584, 2.2945) == (48.8584, 2.2945)


def test_distance_is_right_to_a_metre_or_so():
    assert geo.distance_m(*SHOP, *FAR) == pytest.approx(2002, abs=3)


@pytest.mark.django_db
def test_arrival_near_the_shop_is_on_site_and_far_is_off_site(manager, shop):
    near = start(manager, shop, NEAR)
    assert (near.check_in, near.distance_m) == (Visit.CheckIn.ON_SITE, 100)
    visit_services.visit_end(visit=near, actor=manager)
    far = start(manager, shop, FAR)
    assert far.check_in == Visit.CheckIn.OFF_SITE
    assert 1990 < far.distance_m < 2010


@pytest.mark.django_db
def test_no_position_or_no_shop_location_is_no_location(manager):
    unlocated = factories.CustomerFactory(manager=manager)
    visit = start(manager, unlocated, NEAR)
    assert (visit.check_in, visit.distance_m) == (Visit.CheckIn.NO_LOCATION, None)
    located = factories.CustomerFactory(manager=manager, latitude=SHOP[0], longitude=SHOP[1])
    visit = start(manager, located)
    assert (visit.check_in, visit.distance_m) == (Visit.CheckIn.NO_LOCATION, None)


@pytest.mark.django_db
def test_the_admins_radius_decides(manager, shop, admin_user):
    visit_services.check_in_settings_update(actor=admin_user, radius_m=50)
    assert start(manager, shop, NEAR).check_in == Visit.CheckIn.OFF_SITE
    with pytest.raises(ValidationError) as error:
        visit_services.check_in_settings_update(actor=admin_user, radius_m=5)
    assert "radius_m" in error.value.message_dict
    assert CheckInSettings.load().radius_m == 50


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "regional_manager"])
def test_only_admins_set_the_radius(request, persona):
    with pytest.raises(PermissionDenied):
        visit_services.check_in_settings_update(
            actor=request.getfixturevalue(persona), radius_m=500
        )


@pytest.mark.django_db
def test_this_shop_is_here_at_a_visit_keeps_the_history(manager):
    customer = factories.CustomerFactory(manager=manager)
    visit = start(manager, customer, NEAR)
    visit_services.visit_locate_shop(visit=visit, actor=manager)
    customer.refresh_from_db()
    assert (customer.latitude, customer.longitude) == NEAR
    visit_services.visit_locate_shop(
        visit=visit, actor=manager, latitude=SHOP[0], longitude=SHOP[1]
    )
    changes = list(customer.location_changes.order_by("id"))
    assert [c.source for c in changes] == ["visit", "visit"]
    assert (changes[1].old_latitude, changes[1].latitude) == (NEAR[0], SHOP[0])
    # The visit's own check-in was decided at arrival and stays.
    visit.refresh_from_db()
    assert visit.check_in == Visit.CheckIn.NO_LOCATION


@pytest.mark.django_db
def test_the_shop_is_located_only_during_ones_own_visit(manager, teammate):
    customer = factories.CustomerFactory(manager=manager)
    visit = start(manager, customer)
    with pytest.raises(ValidationError) as error:
        visit_services.visit_locate_shop(visit=visit, actor=manager)  # no position at all
    assert "latitude" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        visit_services.visit_locate_shop(
            visit=visit, actor=teammate, latitude=SHOP[0], longitude=SHOP[1]
        )
    ended = make_visit(manager, factories.CustomerFactory(manager=manager))
    with pytest.raises(ConflictError):
        visit_services.visit_locate_shop(
            visit=ended, actor=manager, latitude=SHOP[0], longitude=SHOP[1]
        )
    assert not LocationChange.objects.exists()


def csv_file(text, name="locations.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


@pytest.mark.django_db
def test_import_converts_gcj02_and_keeps_the_history(admin_user, manager):
    customer = factories.CustomerFactory(manager=manager, code="SH001")
    (wgs, gcj) = GCJ_PAIRS[0]
    count = locations_import(
        actor=admin_user,
        upload=csv_file(f"客户编码,经度,纬度\nSH001,{gcj[1]},{gcj[0]}\n"),
        datum="gcj02",
    )
    assert count == 1
    customer.refresh_from_db()
    assert float(customer.latitude) == pytest.approx(wgs[0], abs=1e-6)
    assert float(customer.longitude) == pytest.approx(wgs[1], abs=1e-6)
    assert customer.location_changes.get().source == LocationChange.Source.IMPORT


@pytest.mark.django_db
def test_an_import_with_a_bad_row_stores_nothing(admin_user, manager):
    factories.CustomerFactory(manager=manager, code="SH001")
    factories.CustomerFactory(manager=manager, code="SH002")
    text = (
        "customer_code,longitude,latitude\n"
        "SH001,121.47,31.23\n"
        "SH002,121.47,95\n"
        "NOPE,121.47,31.23\n"
        "SH001,121.48,31.24\n"
    )
    with pytest.raises(SalesImportError) as error:
        locations_import(actor=admin_user, upload=csv_file(text), datum="wgs84")
    rows = [row for row, _message in error.value.errors]
    assert rows == [3, 4, 5]
    assert not LocationChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "regional_manager"])
def test_only_admins_import_locations(request, persona):
    with pytest.raises(PermissionDenied):
        locations_import(
            actor=request.getfixturevalue(persona),
            upload=csv_file("客户编码,经度,纬度\nC1,121,31\n"),
            datum="wgs84",
        )


@pytest.mark.django_db
def test_the_locations_page_imports_and_lists_errors(client, admin_user, manager):
    factories.CustomerFactory(manager=manager, code="SH001")
    client.force_login(admin_user)
    url = reverse("visits:locations")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"datum": "wgs84", "file": csv_file("客户编码,经度,纬度\nSH001,121.47,abc\n")}
    )
    assert response.status_code == 400
    assert b"import-errors" in response.content
    response = client.post(
        url, {"datum": "wgs84", "file": csv_file("客户编码,经度,纬度\nSH001,121.47,31.23\n")}
    )
    assert response.status_code == 302
    response = client.post(url, {"radius_m": "abc"})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "regional_manager"])
def test_the_locations_page_is_the_admins(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("visits:locations")).status_code in (403, 404)


@pytest.mark.django_db
def test_the_record_and_the_pdf_show_the_check_in(client, manager, shop):
    visit = start(manager, shop, FAR)
    client.force_login(manager)
    page = client.get(visit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Off site" in page
    assert f"{visit.distance_m} m from the shop" in page
    assert f'href="geo:{SHOP[0]},{SHOP[1]}' in page
    assert 'data-testid="locate-shop"' in page


@pytest.mark.django_db
def test_locating_from_the_page(client, manager, teammate, outsider):
    customer = factories.CustomerFactory(manager=manager)
    visit = start(manager, customer, NEAR)
    url = reverse("visits:visit_locate", args=[visit.pk])
    client.force_login(outsider)
    assert client.post(url, {}).status_code == 404
    client.force_login(manager)
    assert client.post(url, {}).status_code == 302
    customer.refresh_from_db()
    assert (customer.latitude, customer.longitude) == NEAR
    page = client.get(customer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Set at a visit" in page


@pytest.mark.django_db
def test_the_regional_manager_filters_off_site_visits(
    client, api_client, manager, regional_manager, shop
):
    far = start(manager, shop, FAR)
    visit_services.visit_end(visit=far, actor=manager)
    near = start(manager, shop, NEAR)
    client.force_login(regional_manager)
    page = client.get(reverse("visits:visit_list"), {"check_in": "off_site"}).content.decode()
    assert far.get_absolute_url() in page
    assert near.get_absolute_url() not in page
    api_client.force_authenticate(regional_manager)
    rows = api_client.get("/api/visits/records/", {"check_in": "off_site"}).json()["results"]
    assert [(row["id"], row["check_in"]) for row in rows] == [(far.pk, "off_site")]
    assert api_client.get("/api/visits/records/", {"check_in": "nowhere"}).status_code == 400


@pytest.mark.django_db
def test_the_share_of_on_site_check_ins(manager, teammate, shop):
    today = datetime.date.today()
    visit = start(manager, shop, NEAR)
    visit_services.visit_end(visit=visit, actor=manager)
    start(manager, shop, FAR)
    figures = kpis.on_site("manager", [manager.pk, teammate.pk], today)
    assert (figures[manager.pk].done, figures[manager.pk].total) == (1, 2)
    assert teammate.pk not in figures


@pytest.mark.django_db
def test_the_api_locates_the_shop(api_client, manager, teammate):
    customer = factories.CustomerFactory(manager=manager)
    visit = start(manager, customer)
    url = f"/api/visits/records/{visit.pk}/locate/"
    api_client.force_authenticate(teammate)
    assert api_client.post(url, {"latitude": "31.23", "longitude": "121.47"}).status_code == 404
    api_client.force_authenticate(manager)
    response = api_client.post(url, {"latitude": "31.23", "longitude": "121.47"}, format="json")
    assert response.status_code == 200
    assert response.json()["check_in"] == "no_location"
    customer_json = api_client.get(f"/api/customers/{customer.pk}/").json()
    assert (customer_json["latitude"], customer_json["longitude"]) == ("31.230000", "121.470000")
    response = api_client.post(url, {"latitude": "91", "longitude": "121.47"}, format="json")
    assert response.status_code == 400


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_check_in_2_km_away_is_off_site_and_the_regional_manager_finds_it(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    regional_manager,
):
    shop = factories.CustomerFactory(
        manager=manager, name="远方便利店", latitude=SHOP[0], longitude=SHOP[1]
    )
    page = browser_page
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": float(FAR[0]), "longitude": float(FAR[1])})
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{reverse('visits:visit_special')}?customer={shop.pk}")
    # The position is in the form before it is sent.
    page.wait_for_function("document.querySelector('[data-latitude]').value !== ''")
    page.fill("[name=special_reason]", "临时补货")
    page.click("form[data-geolocation] button[type=submit]")
    page.wait_for_selector("[data-testid=check-in]")
    assert "Off site" in page.inner_text("[data-testid=check-in]")
    assert "m from the shop" in page.inner_text("[data-testid=check-in]")

    login_as(page, live_server, regional_manager)
    page.goto(f"{live_server.url}{reverse('visits:visit_list')}")
    page.select_option("[name=check_in]", "off_site")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(lambda url: "check_in=off_site" in url)
    assert page.is_visible("text=远方便利店")
    assert page.is_visible("[data-testid=off-site]")
