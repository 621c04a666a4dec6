"""Where customers' shops are (WGS-84): set by the manager at a visit, imported by
admins from a file of coordinates. Every change is a row of the customer's
location history. Visits check in against it (``visits.check_in``)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, geo
from crm.access import is_current_manager, sees_all
from crm.models import Customer, LocationChange
from crm.sales_import import LISTED_ERRORS, SalesFile, SalesImportError

SIX_PLACES = Decimal("0.000001")
# Rows of one location file; larger files are split (a province has tens of thousands of shops).
MAX_ROWS = 60_000


class Datum(models.TextChoices):
    """The coordinate system of an imported file."""

    WGS84 = "wgs84", gettext_lazy("WGS-84: GPS, phones, Tianditu (天地图)")
    GCJ02 = "gcj02", gettext_lazy("GCJ-02: Amap (高德), Tencent (腾讯) maps")


def position(latitude, longitude):
    """The position as two decimals of six places, or a ValidationError naming the field."""
    errors = {}
    values = {}
    for name, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            errors[name] = _("Enter a number of degrees.")
            continue
        if not number.is_finite() or not -limit <= number <= limit:
            errors[name] = _("Enter degrees between -%(limit)s and %(limit)s.") % {"limit": limit}
            continue
        values[name] = number.quantize(SIX_PLACES)
    if errors:
        raise ValidationError(errors)
    return values["latitude"], values["longitude"]


def _change(customer, *, actor, latitude, longitude, source, note):
    LocationChange.objects.create(
        customer=customer,
        latitude=latitude,
        longitude=longitude,
        old_latitude=customer.latitude,
        old_longitude=customer.longitude,
        source=source,
        note=note[:300],
        changed_by=actor,
    )
    customer.latitude, customer.longitude = latitude, longitude
    customer.save(update_fields=["latitude", "longitude", "updated_at"])


def customer_locate(*, customer, actor, latitude, longitude, note=""):
    """The customer's manager, in the shop: "this shop is here"."""
    latitude, longitude = position(latitude, longitude)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if not is_current_manager(actor, customer):
            raise PermissionDenied
        _change(
            customer,
            actor=actor,
            latitude=latitude,
            longitude=longitude,
            source=LocationChange.Source.VISIT,
            note=note,
        )
    return customer


class LocationFile(SalesFile):
    columns = {
        "customer_code": ("customer_code", "code", "客户编码", "客户代码", "客户编号"),
        "longitude": ("longitude", "lng", "lon", "经度"),
        "latitude": ("latitude", "lat", "纬度"),
    }
    required = ("customer_code", "longitude", "latitude")


def locations_import(*, actor, upload, datum):
    """Set the locations of the listed customers: all rows or none.

    GCJ-02 coordinates are converted to WGS-84 first. Raises ``SalesImportError``
    listing every bad row; nothing is stored then. Returns the number of customers.
    """
    if not sees_all(actor):
        raise PermissionDenied
    if datum not in Datum.values:
        raise ValidationError({"datum": _("Choose the coordinate system of the file.")})
    with LocationFile(upload) as location_file:
        rows = []
        errors = []
        for number, values in location_file.rows():
            if number > MAX_ROWS + 1:
                raise SalesImportError(
                    [(0, _("The file has more than %(limit)s rows.") % {"limit": f"{MAX_ROWS:,}"})]
                )
            code = str(values["customer_code"] or "").strip()
            try:
                latitude, longitude = position(values["latitude"], values["longitude"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    label = Customer._meta.get_field(field).verbose_name
                    errors.append((number, f"{label}: {' '.join(messages)}"))
                continue
            if not code:
                errors.append((number, _("The customer code is empty.")))
                continue
            if datum == Datum.GCJ02:
                if not geo.in_china(float(latitude), float(longitude)):
                    errors.append((number, _("GCJ-02 coordinates lie in China; these do not.")))
                    continue
                wgs = geo.gcj02_to_wgs84(float(latitude), float(longitude))
                latitude, longitude = (Decimal(repr(v)).quantize(SIX_PLACES) for v in wgs)
            rows.append((number, code, latitude, longitude))
    if not rows and not errors:
        raise SalesImportError([(0, _("The file has no data rows."))])
    first_row = {}
    for number, code, _lat, _lng in rows:
        if code in first_row:
            errors.append(
                (
                    number,
                    _("Customer %(code)s is listed twice (row %(row)s).")
                    % {"code": code, "row": first_row[code]},
                )
            )
        first_row.setdefault(code, number)
    note = _("File %(name)s (%(datum)s)") % {"name": upload.name, "datum": Datum(datum).label}
    now = timezone.now()
    with transaction.atomic():
        customers = Customer.objects.select_for_update().in_bulk(list(first_row), field_name="code")
        for number, code, _lat, _lng in rows:
            if code not in customers:
                errors.append((number, _("No customer has the code %(code)s.") % {"code": code}))
        if errors:
            errors.sort()
            raise SalesImportError(errors[:LISTED_ERRORS], count=len(errors))
        changes = []
        for _number, code, latitude, longitude in rows:
            customer = customers[code]
            changes.append(
                LocationChange(
                    customer=customer,
                    latitude=latitude,
                    longitude=longitude,
                    old_latitude=customer.latitude,
                    old_longitude=customer.longitude,
                    source=LocationChange.Source.IMPORT,
                    note=note[:300],
                    changed_by=actor,
                )
            )
            customer.latitude, customer.longitude = latitude, longitude
            customer.updated_at = now
        LocationChange.objects.bulk_create(changes, batch_size=2000)
        Customer.objects.bulk_update(
            list(customers.values()), ["latitude", "longitude", "updated_at"], batch_size=1000
        )
        audit.record(
            "import",
            actor=actor,
            summary=_("Locations of %(count)s customers from %(name)s")
            % {"count": len(rows), "name": upload.name},
        )
    return len(rows)


def latest_changes(user, customer):
    """The customer page's location panel: the last changes (the page checked visibility)."""
    return list(customer.location_changes.select_related("changed_by")[:5])
