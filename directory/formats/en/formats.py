# English dates as researchers cite them: "17 June 2010", "June 2010".
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
