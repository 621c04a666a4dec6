"""What the user may do, asked in templates of ``crm.access`` (never of the role)."""

from django import template

from crm import access

register = template.Library()


@register.filter
def manages(user, customer):
    """``{% if user|manages:customer %}``: the customer's current manager, who writes about it."""
    return access.is_current_manager(user, customer)
