# The CRM's image: web (gunicorn), Celery worker and Celery beat all run it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CRM_VAR_DIR=/var/lib/crm

# WeasyPrint needs Pango; Chinese PDFs need a CJK font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime packages only: the tests' tools (requirements-dev.txt) stay out of the image.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN DEBUG=True python manage.py compilemessages --ignore=.venv >/dev/null \
    && DEBUG=True STATIC_MANIFEST=True python manage.py collectstatic --noinput >/dev/null \
    && useradd --system --home-dir /app crm \
    && mkdir -p /var/lib/crm/media /var/lib/crm/beat \
    && chown -R crm /var/lib/crm

USER crm
EXPOSE 8000
# Every gunicorn setting is in gunicorn.conf.py (GUNICORN_WORKERS and others from the environment).
CMD ["gunicorn"]
