from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from crm.forms import StyledFormMixin

# The longest raw password taken: far above any real one, low enough that
# hashing it costs nothing.
PASSWORD_MAX_LENGTH = 4096


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form, refusing over-long input with a field message.

    Django sets the username's max length on the widget only, so a
    10,000-character name went on to django-axes, whose lockout table holds
    the username (500 when the column overflowed). With the limit checked as
    a field error the form never calls ``authenticate()``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        password = self.fields["password"]
        password.max_length = PASSWORD_MAX_LENGTH
        password.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))


class LanguageForm(StyledFormMixin, forms.Form):
    """The language the product writes to the user in (``User.language``)."""

    language = forms.ChoiceField(label=_("Language of notifications"), choices=settings.LANGUAGES)
