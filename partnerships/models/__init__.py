"""The app's models: the directory's records (`records`) and the review queue (`review`)."""

from partnerships.models.records import (
    Agreement,
    Country,
    DateBasis,
    DatePrecision,
    Participation,
    Partner,
    PartnerSeeking,
    Program,
    Relationship,
    SlugManager,
    Source,
    Status,
    Topic,
    Verification,
    in_regions,
    region_of,
)
from partnerships.models.review import ChangeRequest, Report, Submission

__all__ = [
    "Agreement",
    "ChangeRequest",
    "Country",
    "DateBasis",
    "DatePrecision",
    "Participation",
    "Partner",
    "PartnerSeeking",
    "Program",
    "Relationship",
    "SlugManager",
    "Source",
    "Status",
    "Report",
    "Submission",
    "Topic",
    "Verification",
    "in_regions",
    "region_of",
]
