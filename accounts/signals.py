"""Revoke a user's API tokens when their password changes or they are deactivated.

A signal, not a service step: passwords change in Django's own views and forms
(the password-change page, the admin's "change password", ``manage.py
changepassword``) as well as in ``crm.services.user_update``, and users are
deactivated from the admin site too. Every one of them ends in ``user.save()``.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save


def _on_user_saved(sender, instance, created, raw=False, **kwargs):
    from accounts.services import Reason, tokens_revoke_all

    if created or raw:
        return
    # set_password() keeps the new raw password in _password until save() has
    # run (post_save comes first). A hash upgrade at login clears it before
    # saving, so that does not count as a change.
    if getattr(instance, "_password", None) is not None:
        tokens_revoke_all(user=instance, actor=None, reason=Reason.PASSWORD_CHANGED)
    elif not instance.is_active:
        tokens_revoke_all(user=instance, actor=None, reason=Reason.DEACTIVATED)


def connect():
    post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="revoke_api_tokens")
