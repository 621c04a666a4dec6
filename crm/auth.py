"""Authentication backend: Django's, with the user's region loaded in the same query.

Every page shows the user's region (navigation, headings, scopes), so the
session's user is read with it: one query fewer on each request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class RegionModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("region")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
