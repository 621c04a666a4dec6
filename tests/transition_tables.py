"""One check for a workflow's transition table: it, the page and the API agree."""

from core.transitions import allowed


def assert_one_answer(
    *, transitions, user, obj, expected, client, api_client, urls, buttons, accepted
):
    """The steps ``user`` may take on ``obj`` are ``expected`` wherever they are asked.

    The table (``allowed``), the buttons on the page (``buttons(html)``), the
    API's ``steps`` and the steps the API accepts (``accepted(api_client,
    step)``, each undone) all say the same; where the page is 404 (not theirs),
    the API is 404 too and nothing is allowed. ``urls`` are (page, API detail).
    """
    page_url, api_url = urls
    assert set(allowed(transitions, user, obj)) == expected

    client.force_login(user)
    page = client.get(page_url)
    api_client.force_authenticate(user)
    if page.status_code == 404:
        # Not theirs: nothing to show, and the API says the same 404.
        assert expected == set()
        assert api_client.get(api_url).status_code == 404
    else:
        assert buttons(page.content.decode()) == expected
        assert set(api_client.get(api_url).json()["steps"]) == expected
    assert {step for step in transitions if accepted(api_client, step)} == expected
