"""Errors that services raise for bad input; views and commands turn them into messages."""


class ValidationError(Exception):
    """Bad input, with a message per field (in the user's language). Nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class Conflict(Exception):
    """The request does not fit the object's state (a report already waiting for review …)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
