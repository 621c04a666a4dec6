"""In English every page is English (issue 16, language).

Every browser page of the access walk (``tests/test_access_walk``: every route
of the resolver, filled with the world's objects) is requested with
``Accept-Language: en`` as the manager, the regional manager and an admin. What
the page shows, less what users wrote (every text stored in the database: names,
addresses, grades, holidays, notes…), may not hold a Chinese character, except
the few Chinese words the English product means to show (``MEANT``).

A heading computed once at import (``gettext`` instead of ``gettext_lazy``) or a
Chinese word written in a template fails here.
"""

import html
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tests.test_access_walk import OBJECT_OF_PREFIX, OTHER_PARAMETERS, _is_api, _text, iter_routes
from tests.world import module_world

pytestmark = pytest.mark.django_db

world = module_world

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")

# Chinese the English pages mean to show, with the reason.
MEANT = [
    # The language switch names each language in its own words.
    "简体中文",
    # The paper forms' own titles, shown beside the English heading.
    "商品及服务质量信息反馈单",
    "客户月度销售情况分析报告",
    "客户确认",
    # Names of things the user meets in Chinese: the chat apps, the maps, the
    # words of the regulation the English explains.
    "企业微信",
    "群机器人",
    "钉钉",
    "自定义机器人",
    "关怀时刻",
    "调休",
    "高德",
    "腾讯",
    "天地图",
    "加签",
    "特殊访问",
    # Column headings of the import files, which are Chinese.
    "客户编码",
    "月份",
    "购进数量",
    "购进金额",
    "销售数量",
    "销售金额",
    "经度",
    "纬度",
]

# Not pages: files, images and machine answers.
NOT_PAGES = ("pdf", "photo", "signature", "export", "download", "template", "image", "file")


def _pages(world):
    """(route, name, url) of every browser route the access walk fills
    (``tests/test_access_walk``); a route it cannot fill yet is its to report."""
    for route, name, params in iter_routes():
        if _is_api(route) or any(word in name for word in NOT_PAGES):
            continue
        kwargs = {}
        for param in params:
            if param == "pk":
                head = re.split(r"<int:pk>|\(\?P<pk>", route)[0]
                key = OBJECT_OF_PREFIX.get(head)
                if key is None or world.get(key) is None:
                    break
                kwargs["pk"] = world[key].pk
            elif param in OTHER_PARAMETERS and param != "format":
                kwargs[param] = OTHER_PARAMETERS[param]
            else:
                break
        else:
            yield route, name, reverse(name, kwargs=kwargs)


def _user_texts():
    """Every text stored in the database, longest first."""
    texts = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value and CJK.search(str(value)):
                    texts.add(str(value))
                    # Stored text shown a line at a time, or one part of a
                    # "a · b" line.
                    texts.update(part.strip() for part in re.split(r"[\n·]", str(value)))
    return sorted((t for t in texts if t), key=len, reverse=True)


def _visible_text(page):
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(page)


def _chinese_left(text, user_texts):
    for value in user_texts:
        text = text.replace(value, " ")
    for word in MEANT:
        text = text.replace(word, " ")
    return CJK.findall(text)


@pytest.mark.parametrize("persona", ["manager", "regional_manager", "admin_user"])
def test_every_page_is_english(request, client, world, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    user_texts = _user_texts()
    failures = []
    walked = 0
    for _route, name, url in _pages(world):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        walked += 1
        left = _chinese_left(_visible_text(_text(response)), user_texts)
        if left:
            failures.append(f"{url} ({name}): {' '.join(sorted(set(left)))}")
    assert walked > 40, walked
    assert not failures, f"{persona}: Chinese on English pages:\n" + "\n".join(failures)
