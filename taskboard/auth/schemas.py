"""Log-in as input: what POST /api/v1/token takes (the log-in page has its form)."""
from pydantic import BaseModel

from taskboard.schemas import Filled


class Credentials(BaseModel):
    """A user name and its password, for a bearer token."""

    username: Filled
    password: Filled
