"""Group robots (企业微信 / 钉钉): a region's notifications posted to its webhook, once each,
retried after a failure and shown to admins when they never left. A local HTTP
receiver (a thread with ``http.server``) plays the robot."""

import base64
import hashlib
import hmac
import http.server
import json
import threading
import urllib.parse

import pytest
from django.urls import reverse

from core import notifications
from crm import robots, services
from crm.models import RegionRobot, RobotMessage
from crm.tasks import ROBOT_RETRIES

pytestmark = pytest.mark.django_db


class Receiver(http.server.ThreadingHTTPServer):
    """Answers each POST with the next status of ``statuses`` (then 200) and keeps
    every request: path and JSON body."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests = []
        self.statuses = []
        self.answer = {"errcode": 0, "errmsg": "ok"}

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/cgi-bin/webhook/send?key=abc"

    def delivered(self):
        return [body for _path, body, status in self.requests if status == 200]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.server.requests.append((self.path, body, status))
        answer = json.dumps(self.server.answer if status == 200 else {"errcode": -1}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.ROBOT_WEBHOOK_ALLOW_INTERNAL = True
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def wecom(receiver, region, admin_user):
    return services.region_robot_set(
        region=region,
        actor=admin_user,
        data={"kind": RegionRobot.Kind.WECOM, "webhook_url": receiver.url, "active": True},
    )


def _notify(user, key="k1", title="逾期回访: 和平便利店"):
    return notifications.notify(user=user, key=key, title=title, body="请尽快回访", url="/x/")


def test_one_message_per_notification_in_the_wecom_format(
    wecom, receiver, manager, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(manager)
        _notify(manager)  # the same key: no second notification, no second message
        _notify(manager, key="k2", title="second")
        _notify(outsider)  # another region, no robot there
    delivered = receiver.delivered()
    assert len(delivered) == 2
    assert delivered[0]["msgtype"] == "text"
    text = delivered[0]["text"]["content"]
    assert "逾期回访: 和平便利店" in text and "请尽快回访" in text and text.endswith("/x/")
    assert str(manager) in text
    assert set(RobotMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_500_is_retried_and_the_message_arrives_once(
    wecom, receiver, manager, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        _notify(manager)
    assert [status for _p, _b, status in receiver.requests] == [500, 200]
    assert len(receiver.delivered()) == 1
    message = RobotMessage.objects.get()
    assert (message.status, message.attempts, message.error) == ("sent", 2, "")


def test_a_robot_that_keeps_failing_is_shown_to_admins(
    wecom, receiver, manager, admin_user, login, english, django_capture_on_commit_callbacks
):
    receiver.statuses = [500] * (ROBOT_RETRIES + 1)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(manager, title="失败的消息")
    message = RobotMessage.objects.get()
    assert message.status == "failed"
    assert message.attempts == ROBOT_RETRIES + 1
    assert "500" in message.error
    assert receiver.delivered() == []
    page = login(admin_user).get(reverse("robot_list")).content.decode()
    assert "失败的消息" in page and "500" in page
    # Sent again by the admin once the robot is back.
    with django_capture_on_commit_callbacks(execute=True):
        login(admin_user).post(reverse("robot_message_retry", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == "sent" and len(receiver.delivered()) == 1


def test_an_errcode_in_a_200_answer_is_a_failure(
    wecom, receiver, manager, django_capture_on_commit_callbacks
):
    receiver.answer = {"errcode": 310000, "errmsg": "keywords not in content"}
    with django_capture_on_commit_callbacks(execute=True):
        _notify(manager)
    message = RobotMessage.objects.get()
    assert message.status == "failed" and "310000" in message.error


def test_dingtalk_with_a_signing_secret(
    receiver, region, admin_user, manager, django_capture_on_commit_callbacks
):
    secret = "SEC0123456789abcdef"
    services.region_robot_set(
        region=region,
        actor=admin_user,
        data={
            "kind": RegionRobot.Kind.DINGTALK,
            "webhook_url": receiver.url.replace("key=abc", "access_token=t0k"),
            "secret": secret,
            "active": True,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        _notify(manager)
    path, body, _status = receiver.requests[0]
    assert body == {"msgtype": "text", "text": {"content": body["text"]["content"]}}
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["access_token"] == ["t0k"]
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]


def test_the_documented_signature():
    # DingTalk's documented recipe, computed by hand for a fixed timestamp.
    base = "https://oapi.dingtalk.com/robot/send?access_token=x"
    url = robots.signed_url(base, "s", timestamp_ms=1)
    digest = hmac.new(b"s", b"1\ns", hashlib.sha256).digest()
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1&sign="
        + urllib.parse.quote_plus(base64.b64encode(digest))
    )


def test_a_paused_robot_sends_nothing(
    wecom, receiver, manager, admin_user, django_capture_on_commit_callbacks
):
    services.region_robot_set(region=wecom.region, actor=admin_user, data={"active": False})
    with django_capture_on_commit_callbacks(execute=True):
        _notify(manager)
    assert receiver.requests == [] and not RobotMessage.objects.exists()


def test_the_daily_jobs_many_notifications_each_go_once(
    wecom, receiver, manager, teammate, django_capture_on_commit_callbacks
):
    items = [(user, f"job:{n}", f"t{n}", "", "") for n in range(3) for user in (manager, teammate)]
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notify_many(items) == 6
        assert notifications.notify_many(items) == 0
    assert len(receiver.delivered()) == 6
    assert RobotMessage.objects.count() == 6


@pytest.mark.parametrize(
    "url",
    [
        "ftp://qyapi.weixin.qq.com/x",
        "javascript:alert(1)",
        "https://user:pw@qyapi.weixin.qq.com/x",
        "https:///nohost",
        "https://bad_host!.com/x",
        "http://127.0.0.1:8000/admin/",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://localhost/x",
        "http://printer.local/x",
        "https://qyapi.weixin.qq.com:99999/x",
    ],
)
def test_bad_or_internal_webhooks_are_refused(url, region, admin_user, login, english):
    answer = login(admin_user).post(
        reverse("robot_edit", args=[region.pk]), {"kind": "wecom", "webhook_url": url}
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["webhook_url"]
    assert not RegionRobot.objects.exists()


def test_an_admin_sets_a_robot_on_the_page_and_the_secret_is_not_shown(
    region, admin_user, login, english
):
    url = "https://oapi.dingtalk.com/robot/send?access_token=SECRET-TOKEN"
    client = login(admin_user)
    answer = client.post(
        reverse("robot_edit", args=[region.pk]),
        {"kind": "dingtalk", "webhook_url": url, "secret": "SECabc", "active": "on"},
    )
    assert answer.status_code == 302
    robot = RegionRobot.objects.get(region=region)
    assert (robot.kind, robot.webhook_url, robot.secret, robot.active) == (
        "dingtalk",
        url,
        "SECabc",
        True,
    )
    listing = client.get(reverse("robot_list")).content.decode()
    assert "oapi.dingtalk.com/robot/send?…" in listing and "SECRET-TOKEN" not in listing
    edit = client.get(reverse("robot_edit", args=[region.pk])).content.decode()
    assert "SECabc" not in edit
    # Saved again without a secret: it stays; a WeCom robot may not keep one.
    client.post(
        reverse("robot_edit", args=[region.pk]),
        {"kind": "dingtalk", "webhook_url": url, "active": "on"},
    )
    assert RegionRobot.objects.get().secret == "SECabc"
    refused = client.post(
        reverse("robot_edit", args=[region.pk]),
        {"kind": "wecom", "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
    )
    assert refused.status_code == 200 and RegionRobot.objects.get().kind == "dingtalk"


def test_only_admins_set_robots(region, manager, regional_manager, login, admin_user):
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    for user in (manager, regional_manager):
        client = login(user)
        assert client.get(reverse("robot_list")).status_code == 403
        assert (
            client.post(
                reverse("robot_edit", args=[region.pk]), {"kind": "wecom", "webhook_url": url}
            ).status_code
            == 403
        )
        with pytest.raises(services.PermissionDenied):
            services.region_robot_set(
                region=region, actor=user, data={"kind": "wecom", "webhook_url": url}
            )
    assert not RegionRobot.objects.exists()
    answer = login(admin_user).post(
        reverse("robot_edit", args=[region.pk]), {"kind": "wecom", "webhook_url": url}
    )
    assert answer.status_code == 302 and RegionRobot.objects.filter(region=region).exists()
