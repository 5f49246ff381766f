"""A state's or prefecture's code in a link and in the data: the one mapping.

Links choose a state by its postal code (`?state=WA`) and a prefecture by its two-digit number
(`?prefecture=28`); the data holds their ISO 3166-2 codes (`US-WA`, `JP-28`). Which state or
prefecture a partner is in is `partnerships.models.region_of` (an expression) and `in_regions` (a
filter); this is how the two spellings of its code meet. Plain Python, so that the data build
(`databuild`) uses it too.
"""

#: The filter that chooses a region of each country, and the start of its regions' ISO codes.
PREFIXES = {"state": "US-", "prefecture": "JP-"}


def prefix(filter_name: str) -> str:
    """ "US-" for `state`, "JP-" for `prefecture`."""
    return PREFIXES[filter_name]


def iso_code(filter_name: str, value: str) -> str:
    """`iso_code("state", "WA")` is "US-WA"; `iso_code("prefecture", "28")` is "JP-28"."""
    return prefix(filter_name) + value


def in_link(code: str) -> tuple[str, str] | None:
    """The filter and value that choose the region with this ISO code: "JP-28" -> ("prefecture",
    "28"); None for a code that is not a state's or a prefecture's."""
    for filter_name, start in PREFIXES.items():
        if code.startswith(start) and len(code) > len(start):
            return filter_name, code.removeprefix(start)
    return None
