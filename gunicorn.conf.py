"""gunicorn's settings for pcc-commissioning (`gunicorn -c gunicorn.conf.py commissioning.wsgi`,
as `make serve` runs it). Each can be changed from the environment; docs/deployment.md.

Workers: WEB_CONCURRENCY, else two per core plus one. Each is a process of its own, with
GUNICORN_THREADS threads (2 unless set), so one server answers workers x threads requests at
once and holds as many database connections.
"""

import json
import multiprocessing
import os

wsgi_app = "commissioning.wsgi:application"
bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is stopped and its worker replaced; uploads are
# buffered by the proxy in front (docs/deployment.md), so none waits on a slow client here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Replace each worker after a few thousand requests, at a random point, against slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Load the product once in the master: workers start faster and share its memory.
preload_app = True
# Trust X-Forwarded-* from these addresses only (the proxy in front): FORWARDED_ALLOW_IPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# One JSON object a line on standard output for each request, with the request id the product
# gave it. No client address, query string, referrer or user agent: those may identify a person.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own lines (workers starting, timing out) as JSON too, like the product's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "commissioning.core.observability.JsonFormatter"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
        "access": (
            {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"}
            if accesslog == "-"
            else {"class": "logging.FileHandler", "formatter": "access", "filename": accesslog}
        ),
    },
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "logger": "gunicorn.access",
        "request_id": "%({x-request-id}o)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
    }
)
