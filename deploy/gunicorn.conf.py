"""Gunicorn settings for production behind deploy/nginx.conf (`gunicorn -c deploy/gunicorn.conf.py
outagedesk.wsgi:application`). Every value can be overridden by its environment variable."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "unix:/run/outagedesk/gunicorn.sock")
# gthread keeps nginx's upstream connections alive and lets a worker wait on the database or
# Redis without holding up its other requests.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A reader's post spends much of its time waiting on PostgreSQL or Redis; 8 threads let the
# others run meanwhile. Measured with bench/crisis.sh on two cores: posts p99 about 250-550 ms
# with 4 threads, 140-260 ms with 8, worse again with 16 (the threads fight over one core).
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
keepalive = 30
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so a slow leak never builds up during a long crisis.
max_requests = 10000
max_requests_jitter = 1000
# Load the app once in the master: faster worker restarts, less memory.
preload_app = True
# nginx is the only client; its X-Forwarded-Proto says whether the reader used HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # nginx already logs every request
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "outagedesk-web"
