"""The app's models: the directory's records (`records`), the review queue (`review`) and the data
version that every publish raises (`version`)."""

from partnerships.models.events import RelationshipEvent
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
    corroborating,
    decade_of,
    in_regions,
    region_of,
)
from partnerships.models.review import ChangeRequest, Report, Submission
from partnerships.models.version import DataVersion, bump_on_change, forget_remembered, per_version

# What the public sees: a change to any of these is a publish, and raises the data version.
PUBLISHED_MODELS = [
    Source,
    Topic,
    Partner,
    Relationship,
    Verification,
    RelationshipEvent,
    Agreement,
    Program,
    Participation,
    PartnerSeeking,
]

__all__ = [
    "Agreement",
    "ChangeRequest",
    "Country",
    "DataVersion",
    "forget_remembered",
    "per_version",
    "DateBasis",
    "DatePrecision",
    "Participation",
    "Partner",
    "PartnerSeeking",
    "PUBLISHED_MODELS",
    "Program",
    "Relationship",
    "RelationshipEvent",
    "Report",
    "SlugManager",
    "Source",
    "Status",
    "Submission",
    "Topic",
    "Verification",
    "bump_on_change",
    "corroborating",
    "decade_of",
    "in_regions",
    "region_of",
]
