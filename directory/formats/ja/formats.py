# Japanese dates as Japanese local governments write them: "2010年6月17日", "1957年10月", "1955年".
DATE_FORMAT = "Y年n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
# Not a Django setting: a year on its own, used by the `precise_date` tag and `year` filter.
YEAR_FORMAT = "Y年"
