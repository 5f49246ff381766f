"""What the server's log says about requests that are the client's fault, not the site's."""

import logging


class OneLineWarning(logging.Filter):
    """Logs a record as one WARNING line without its traceback: for a request with a Host header
    the site does not serve (django.security.DisallowedHost), which every scanner on the internet
    sends and Django logs as an ERROR with the whole traceback, burying real errors."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = None
        return True
