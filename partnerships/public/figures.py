"""Public counts of US–Japan sister relationships, which the data page sets beside the
directory's own, each with who published it and when. Counts differ in what they count (CLAIR
counts ties of Japanese local governments that meet its three criteria; consulates count the
ties in their region), so they are a yardstick, not a target."""

from django.utils.translation import gettext_lazy as _

#: ISO 3166-2 code -> (count, who said so and when).
BY_REGION = {
    "US-CA": (110, _("Consulate-General of Japan in San Francisco, February 2025 (“about 110”)")),
    "US-WA": (39, _("Consulate-General of Japan in Seattle, September 2020")),
}

#: The figures in words, for reports (`manage.py data_quality`).
IN_WORDS = [
    ("US–Japan sister-city relationships", "451 (CLAIR, 1 May 2018); about 460 (Consulate-General, SF, Feb 2025)"),
    ("California", "about 105 in 2018, about 110 in 2025 (Consulate-General in San Francisco)"),
    ("Washington", "39 in Sept 2020: 35 sister-city, 3 city–county, 1 sister-state (Consulate-General in Seattle)"),
    ("Sister states", "24 in 2018; 26 with Vermont–Tottori (2018) and Hawaii–Yamaguchi (2022)"),
]
