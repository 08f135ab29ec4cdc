class DomainError(Exception):
    """A business rule refused an operation. The message is plain English, fit to show a user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
