"""gunicorn reads this file from the working directory on its own."""

import logging


def post_worker_init(worker):
    """Load WeasyPrint and the fonts in each web worker as it starts, so the
    first PDF a user downloads is as quick as the next (see crm.pdf.warm_up)."""
    from crm.pdf import warm_up

    try:
        seconds = warm_up()
    except Exception:  # noqa: BLE001 - a missing library shows on the first real PDF
        logging.getLogger("gunicorn.error").warning("PDF warm-up failed", exc_info=True)
    else:
        worker.log.info("PDF warm-up took %.1f s", seconds)
