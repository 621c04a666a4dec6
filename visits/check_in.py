"""The one rule of a visit's check-in: where the manager arrived against where the shop is.

Decided on the server at arrival, against the shop's location as it is then: a
visit started without a position, or at a customer with no location yet, is
"no location"; within the admin's radius it is "on site", beyond it "off site".
"""

from core import geo
from visits.models import CheckInSettings, Visit


def check_in(customer, latitude, longitude, *, radius_m=None):
    """(check-in, distance in metres or None) of an arrival at ``customer``'s shop."""
    if latitude is None or longitude is None or customer.latitude is None:
        return Visit.CheckIn.NO_LOCATION, None
    distance = round(geo.distance_m(customer.latitude, customer.longitude, latitude, longitude))
    if radius_m is None:
        radius_m = CheckInSettings.load().radius_m
    status = Visit.CheckIn.ON_SITE if distance <= radius_m else Visit.CheckIn.OFF_SITE
    return status, distance
