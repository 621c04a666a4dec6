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
