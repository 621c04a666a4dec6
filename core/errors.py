"""Domain errors raised by services; the API and the browser turn them into messages."""


class DomainError(Exception):
    """A rule of the domain forbids what was asked. Shown to the user as it is."""

    status_code = 400

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """The object changed state meanwhile (someone else acted first)."""

    status_code = 409


def check_length(model, field, value, *, key=None):
    """Refuse text longer than the column ``model.field``, as the error of ``key`` (the field).

    Services never cut what a user typed: the forms and serializers state the
    limit first, and this is the same rule for any other caller (PostgreSQL
    would fail with a DataError, SQLite would keep the whole text). ``key`` is
    the name the form and the API give the text, where it differs.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import MaxLengthValidator

    try:
        MaxLengthValidator(model._meta.get_field(field).max_length)(value or "")
    except ValidationError as error:
        raise ValidationError({key or field: error.messages}) from None
