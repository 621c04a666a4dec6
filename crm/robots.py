"""Group robots (企业微信 / 钉钉): a region's notifications posted to its group's webhook.

1. ``core.notifications`` calls ``deliver(notification_ids)`` after the commit that
   created them (registered in ``CrmConfig.ready()``).
2. ``deliver`` keeps one ``RobotMessage`` per notification whose user's region has an
   active robot (the one-to-one column makes a second call a no-op) and queues
   ``crm.tasks.send_robot_message`` for each new row.
3. ``send`` claims the row (queued or retrying → sending), posts the text once and
   writes what came of it; a failure is raised for the task to retry with backoff,
   and the last failure stays on the row (``failed``) for admins to see.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import one_line

# A DNS name: labels of letters, digits and hyphens, not starting or ending with one.
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_INTERNAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa")
TIMEOUT_SECONDS = 10
CONTENT_MAX_CHARS = 2000


def webhook_problem(url):
    """Why ``url`` may not be a robot's webhook, or "" when it may.

    Checked: the scheme is http or https; there is a host and no user name or
    password; the host is a DNS name or an IP address; a port, if any, is a
    number. Internal addresses (loopback, private, link-local and reserved IPs,
    ``localhost`` and names under ``.local``/``.internal``/``.lan``) are refused
    unless ``ROBOT_WEBHOOK_ALLOW_INTERNAL`` is set. Names are not resolved, so a
    public name that points inside is not caught: the worker should reach the
    internet through a proxy that refuses internal ranges.
    """
    try:
        parts = urllib.parse.urlsplit(url or "")
        port = parts.port
    except ValueError:
        return _("Enter a valid web address.")
    if parts.scheme not in ("http", "https"):
        return _("The webhook must be an http or https address.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return _("The webhook address may not contain a user name or password.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return _("The webhook address needs a host.")
    if port == 0:
        return _("Enter a valid web address.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
        if not all(_LABEL.match(label) for label in host.split(".")) or host[-1].isdigit():
            return _("The webhook's host is not a valid host name.")
    if getattr(settings, "ROBOT_WEBHOOK_ALLOW_INTERNAL", False):
        return ""
    if address is not None:
        if not address.is_global or address.is_multicast:
            return _("The webhook may not point to an internal address.")
    elif host.lower() == "localhost" or host.lower().endswith(_INTERNAL_NAMES):
        return _("The webhook may not point to an internal address.")
    return ""


def content(notification):
    """The message's text: who it is for, the title, the body and the link."""
    lines = [f"【{notification.user}】{one_line(notification.title)}"]
    if notification.body:
        lines.append(notification.body)
    if notification.url:
        lines.append(f"{settings.SITE_URL.rstrip('/')}{notification.url}")
    return "\n".join(lines)[:CONTENT_MAX_CHARS]


def signed_url(url, secret, *, timestamp_ms=None):
    """DingTalk's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, in
    base64, URL-encoded, added to the URL with the timestamp (in milliseconds)."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else round(time.time() * 1000))
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


def payload(robot, notification):
    """Both robots take the same text message."""
    return {"msgtype": "text", "text": {"content": content(notification)}}


def deliver(notification_ids):
    """Queue one robot message for each new notification of a region with a robot."""
    from core.models import Notification
    from crm.models import RegionRobot, RobotMessage
    from crm.tasks import send_robot_message

    robots = {robot.region_id: robot for robot in RegionRobot.objects.filter(active=True)}
    if not robots or not notification_ids:
        return 0
    rows = Notification.objects.filter(
        pk__in=list(notification_ids), user__region_id__in=list(robots)
    ).values_list("pk", "user__region_id")
    new = [RobotMessage(notification_id=pk, robot=robots[region_id]) for pk, region_id in rows]
    if not new:
        return 0
    RobotMessage.objects.bulk_create(new, ignore_conflicts=True)
    queued = list(
        RobotMessage.objects.filter(
            notification_id__in=[m.notification_id for m in new],
            status=RobotMessage.Status.QUEUED,
            attempts=0,
        ).values_list("pk", flat=True)
    )
    for pk in queued:
        send_robot_message.delay(pk)
    return len(queued)


class RobotError(Exception):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: it would lead the post to an address nobody checked."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise RobotError(f"HTTP {code}: the webhook redirects")


_OPENER = urllib.request.build_opener(_NoRedirect)


def send(*, message_id, final=True):
    """Post one robot message, once: the row is claimed before sending.

    Returns True when sent, False when another worker has it or it was sent.
    A refused or failed post is written on the row and raised for a retry; when
    ``final`` the row stays "failed".
    """
    from crm.models import RobotMessage

    S = RobotMessage.Status
    claimed = RobotMessage.objects.filter(
        pk=message_id, status__in=[S.QUEUED, S.RETRYING, S.FAILED]
    ).update(status=S.SENDING, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    message = RobotMessage.objects.select_related("robot", "notification__user").get(pk=message_id)
    robot = message.robot
    try:
        problem = webhook_problem(robot.webhook_url)
        if problem:
            raise RobotError(problem)
        url = robot.webhook_url
        if robot.secret:
            url = signed_url(url, robot.secret)
        _post(url, payload(robot, message.notification))
    except Exception as exc:
        error = one_line(f"{type(exc).__name__}: {exc}")[:500]
        RobotMessage.objects.filter(pk=message_id).update(
            status=S.FAILED if final else S.RETRYING, error=error
        )
        raise
    RobotMessage.objects.filter(pk=message_id).update(
        status=S.SENT, error="", sent_at=timezone.now()
    )
    return True


def _post(url, body):
    """POST JSON; an HTTP error or an answer with a non-zero ``errcode`` is a failure."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
        raw = response.read(65536)
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    if isinstance(answer, dict) and answer.get("errcode", 0) not in (0, "0"):
        raise RobotError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
