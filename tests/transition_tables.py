"""One check for a workflow's transition table: it, the page and the API agree."""

from core.transitions import allowed


def table_check(transitions, paths, buttons, accepted):
    """The check for one workflow: ``check(user, obj, expected, client, api_client)``.

    ``paths`` are the page's and the API's detail paths with ``{pk}``; ``buttons(html, obj)``
    reads the steps the page offers; ``accepted(api_client, obj, step)`` tries
    a step through the API (and undoes it).
    """

    def check(user, obj, expected, client, api_client):
        """The steps ``user`` may take on ``obj`` are ``expected`` wherever they are asked.

        The table (``allowed``), the page's buttons, the API's ``steps`` and the
        steps the API accepts all say the same; where the page is 404 (not
        theirs), the API is 404 too and nothing is allowed.
        """
        page_url, api_url = (path.format(pk=obj.pk) for path in paths)
        assert set(allowed(transitions, user, obj)) == expected

        client.force_login(user)
        response = client.get(page_url)
        api_client.force_authenticate(user)
        if response.status_code == 404:
            # Not theirs: nothing to show, and the API says the same 404.
            assert expected == set()
            assert api_client.get(api_url).status_code == 404
        else:
            assert buttons(response.content.decode(), obj) == expected
            assert set(api_client.get(api_url).json()["steps"]) == expected
        assert {step for step in transitions if accepted(api_client, obj, step)} == expected

    return check
