"""Request ids and JSON logs.

Every request gets an id: the one the proxy in front sent in X-Request-ID (when it looks like
an id), or a new one. It is kept for the request's thread in a context variable, added to every
log record the request writes (`RequestIdFilter`), and sent back in the X-Request-ID response
header, so the proxy's access log, gunicorn's and the product's lines for one request can be
found together. Background tasks carry the id `task:<job id>` while they run.

`JsonFormatter` writes one JSON object a line. Log messages name records by id or reference,
never by a person's name or e-mail address (tests/core/test_observability.py checks a
submission's lines); the formatter adds nothing of the request but its id.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from contextlib import contextmanager

_request_id = contextvars.ContextVar("request_id", default="-")
_ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
HEADER = "X-Request-ID"


def current_request_id() -> str:
    return _request_id.get()


@contextmanager
def request_id_set(value: str):
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(HEADER, "")
        value = sent if _ACCEPTED.match(sent) else uuid.uuid4().hex
        request.request_id = value
        with request_id_set(value):
            response = self.get_response(request)
        response.headers[HEADER] = value
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


# Attributes every LogRecord has; anything else a caller passed in `extra` is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "request",  # django.request attaches the request itself: never written out
    "server_time",
    "status_code",
}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", current_request_id()),
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
