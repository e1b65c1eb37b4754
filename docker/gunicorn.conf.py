"""gunicorn settings for Spire. The access log names the path only: a query string may
hold a name someone searched for, and personal data stays out of logs."""

import multiprocessing
import os

bind = os.environ.get("SPIRE_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("SPIRE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
# Spire stops its own requests after SPIRE_REQUEST_BUDGET_SECONDS (20 s), well before
# the timeout kills the worker. Heads up to these limits reach Spire, which refuses those
# over its own (4096 for the target, 8190 for a header line, 100 headers) in its JSON
# envelope; larger ones gunicorn refuses by itself, with a page of its own.
limit_request_line = 8190
limit_request_fields = 200
limit_request_field_size = 16380
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("SPIRE_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("SPIRE_FORWARDED_ALLOW_IPS", "127.0.0.1")
