"""The largest integers the database stores, so that an oversized number in a
request is refused as bad input instead of overflowing a column (a 500)."""

from typing import Annotated

from pydantic import Field

BIGINT_MAX = 2**63 - 1

# For django-ninja schemas and path parameters. A sequence number is the
# phone's clock in milliseconds (quiz.js), far past a 32-bit integer.
DbId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
Seq = Annotated[int, Field(ge=0, le=BIGINT_MAX)]
# Seconds of a lesson's media: finite, and no lesson is a year long.
Seconds = Annotated[float, Field(ge=0, le=365 * 86400, allow_inf_nan=False)]
