"""Request ids and JSON logs.

Every request gets an id: the one the proxy in front sent in X-Request-ID (when it looks like
an id), or a new one. It is kept for the request's thread in a context variable, added to every
log record the request writes (`RequestIdFilter`), and sent back in the X-Request-ID response
header, so the proxy's access log, gunicorn's and the product's lines for one request can be
found together. Background tasks carry the id `task:<job id>` while they run.

`JsonFormatter` writes one JSON object a line. Log messages name records by id or reference,
never by a person's name or e-mail address (tests/operations/test_observability.py checks a
submission's lines); the formatter adds nothing of the request but its id.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from contextlib import contextmanager

from django.core.signals import request_finished
from django.dispatch import receiver

logger = logging.getLogger("commissioning.request")
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
        started = time.perf_counter()
        # Set for the rest of the request, including Django's own "Not Found" and error lines
        # written after the middleware returns; put back when the response is closed.
        request._request_id_token = _request_id.set(value)
        response = self.get_response(request)
        # One line a request at INFO (LOG_LEVEL=INFO): the path without its query string,
        # which may carry what someone typed into a search.
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        response.headers[HEADER] = value
        return response


@receiver(request_finished)
def _request_id_clear(sender, **kwargs):
    _request_id.set("-")


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


# A safety net under the rule that messages name no one: an e-mail address that reaches a log
# line anyway (in a mail server's error, say) is written as [e-mail].
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


def redact(text: str) -> str:
    return _EMAIL.sub("[e-mail]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", current_request_id()),
            "message": redact(record.getMessage()),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                if not isinstance(value, int | float | bool):
                    value = redact(str(value))
                entry[key] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
