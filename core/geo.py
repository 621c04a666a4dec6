"""Positions on the earth: the distance between two, and map coordinates made WGS-84.

Phones report WGS-84 (GPS). Maps of Chinese providers (Amap/高德, Tencent,
and Baidu before its own extra shift) give GCJ-02, a published obfuscation of
WGS-84 that moves points by a few hundred metres inside mainland China; a
location taken from them must be converted before it is compared with a phone's.
"""

import math

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)

# The constants of GCJ-02: the Krasovsky 1940 ellipsoid.
_A = 6_378_245.0
_EE = 0.006_693_421_622_965_943_23


def distance_m(lat1, lng1, lat2, lng2):
    """Great-circle distance in metres (haversine; within 0.5 % of the ellipsoid's)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlmb = math.radians(float(lng2) - float(lng1))
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def valid(lat, lng):
    return -90 <= lat <= 90 and -180 <= lng <= 180


def in_china(lat, lng):
    """The rectangle GCJ-02 shifts; outside it the two systems agree."""
    return 72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271


def _shift_lat(x, y):
    shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    shift += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    shift += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    shift += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2 / 3
    return shift


def _shift_lng(x, y):
    shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    shift += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    shift += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    shift += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    return shift


def _offset(lat, lng):
    """How far GCJ-02 moves the WGS-84 point (lat, lng), in degrees."""
    if not in_china(lat, lng):
        return 0.0, 0.0
    dlat = _shift_lat(lng - 105.0, lat - 35.0)
    dlng = _shift_lng(lng - 105.0, lat - 35.0)
    rad = math.radians(lat)
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat, lng):
    dlat, dlng = _offset(lat, lng)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat, lng):
    """The WGS-84 point that GCJ-02 moves to (lat, lng): found by iteration, to 1e-9°
    (well under a millimetre), since the published transform has no closed inverse."""
    lat, lng = float(lat), float(lng)
    wgs_lat, wgs_lng = lat, lng
    for _ in range(30):
        dlat, dlng = _offset(wgs_lat, wgs_lng)
        next_lat, next_lng = lat - dlat, lng - dlng
        if abs(next_lat - wgs_lat) < 1e-9 and abs(next_lng - wgs_lng) < 1e-9:
            return next_lat, next_lng
        wgs_lat, wgs_lng = next_lat, next_lng
    return wgs_lat, wgs_lng
