"""API tokens: one per device and login, with an expiry, stored as a hash (django-rest-knox).

knox keeps only the token's SHA-512 digest and its first 15 characters (to
find the row); the key itself is shown once, in the login answer. This model
swaps knox's own (``KNOX_TOKEN_MODEL``) to add what the user's account page
shows: the device named at login and when the token was last used.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    # Pages and forms name a token by this, never by its digest or key prefix.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    device = models.CharField(_("device"), max_length=100, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        # Never the digest: it is what a stolen database would be searched by.
        return f"{self.user} · {self.device or '-'} · {self.created:%Y-%m-%d %H:%M}"
