"""The one escaping helper of every drawer in `partnerships/html`.

`escaped` escapes exactly what Django's `conditional_escape` does (`& < > " '`; markup already
safe, anything with `__html__`, kept as it is) and returns a plain `str` for an f-string. It is used
instead of `format_html` on the lists' paths: measured on /en/relationships/?page_size=200 (SQLite,
page cache off), drawing every row and name with `format_html` took 200 relationship rows from
about 10 ms to 22–27 ms of CPU and the page from about 43 ms to 51–56 ms; the rows of a 500-row page
would cost about 30 ms more. Drawers drawn a few times a page (`messages.py`, headings, a record's
summary) use `format_html`. Every drawer's output is held to "no hostile text comes out as markup"
by tests/test_html_drawers.py.
"""

import html


def escaped(text):
    """Text made safe for HTML, as `conditional_escape` makes it, as a `str` for an f-string."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))
