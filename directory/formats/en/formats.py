# English dates as researchers cite them: "17 June 2010", "June 2010".
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
# Not a Django setting: a year on its own, used by the `precise_date` tag and `year` filter.
YEAR_FORMAT = "Y"
