"""Number types of the JSON API that fit the database's columns: a number the
database cannot hold is refused by the schema with a 422, never reaches a
query and fails there with a 500."""

from typing import Annotated

from pydantic import Field

# PostgreSQL's integer; ids and sequence numbers stay far below it.
MAX_INT = 2**31 - 1

Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
# Seconds of a lesson's media: finite, and no lesson is a year long.
Seconds = Annotated[float, Field(ge=0, le=365 * 86400, allow_inf_nan=False)]
