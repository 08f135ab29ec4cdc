class DomainError(Exception):
    """A business rule refused an operation. The message is plain English, fit to show a user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class RateLimited(DomainError):
    """Too many of something in a short time. `retry_after` is in seconds; the API answers 429."""

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = max(1, int(retry_after))
