"""Errors that services raise for bad input; views and commands turn them into messages."""


class ValidationError(Exception):
    """Bad input, with a message per field (in the user's language). Nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors
