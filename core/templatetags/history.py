"""History lines as sentences (core/history.py): ``{{ event|event_sentence }}``."""

from django import template

from core import history

register = template.Library()


@register.filter
def event_sentence(event):
    """A workflow trail row in words: who did what, the move of state, the comment."""
    return history.event_sentence(event)
