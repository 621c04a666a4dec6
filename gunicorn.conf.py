"""gunicorn reads this file from the working directory on its own.

Every setting of the web server is here, so the image, docker-compose and the
benchmark start it as plain ``gunicorn`` and cannot disagree. The few a
deployment changes are read from the environment.
"""

import logging
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"
# A PDF of a month's region report takes seconds; the default 30 s is close.
timeout = 60
# "-" is standard output; empty turns the access log off (the benchmark does).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker):
    """Load WeasyPrint and the fonts in each web worker as it starts, so the
    first PDF a user downloads is as quick as the next (see core.pdf.warm_up)."""
    from core.pdf import warm_up

    try:
        seconds = warm_up()
    except Exception:  # noqa: BLE001 - a missing library shows on the first real PDF
        logging.getLogger("gunicorn.error").warning("PDF warm-up failed", exc_info=True)
    else:
        worker.log.info("PDF warm-up took %.1f s", seconds)
