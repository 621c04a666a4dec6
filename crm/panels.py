"""Panels other apps show on the customer page.

An app registers its panel from ``AppConfig.ready()``::

    from crm.panels import Panel, register

    register(Panel("visits", "visits/_customer_visits.html", rows=latest_visits, order=10))

``rows(user, customer)`` returns what the panel lists (already limited to what
``user`` may see); the template gets it as ``rows``, with ``customer`` and
``user`` from the page. The customer app knows nothing of the apps that add panels.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    rows: Callable
    order: int = 100


_panels = {}


def register(panel):
    """Add a panel; registering the same name again replaces it."""
    _panels[panel.name] = panel


def for_customer(user, customer):
    """[{name, template, rows}] of every registered panel, in order."""
    return [
        {"name": panel.name, "template": panel.template, "rows": panel.rows(user, customer)}
        for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))
    ]
