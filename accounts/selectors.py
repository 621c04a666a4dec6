from django.db.models import Q
from django.utils import timezone

from accounts.models import ApiToken


def token_list(*, user):
    """The user's API tokens that still work, newest first."""
    return ApiToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user)
