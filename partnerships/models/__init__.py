"""The app's models: the directory's records (`records`) and the review queue (`review`)."""

from partnerships.models.records import (
    Agreement,
    Country,
    DatePrecision,
    Participation,
    Partner,
    Program,
    Relationship,
    SlugManager,
    Source,
    Status,
    Topic,
    in_regions,
    region_of,
)
from partnerships.models.review import ChangeRequest

__all__ = [
    "Agreement",
    "ChangeRequest",
    "Country",
    "DatePrecision",
    "Participation",
    "Partner",
    "Program",
    "Relationship",
    "SlugManager",
    "Source",
    "Status",
    "Topic",
    "in_regions",
    "region_of",
]
