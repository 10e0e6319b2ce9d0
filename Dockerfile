# syntax=docker/dockerfile:1
# paperbot image: `docker compose up -d` (see compose.yaml) or
#   docker build -t paperbot . && docker run --env-file .env -v paperbot-data:/data paperbot
ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: a virtualenv with paperbot and its pinned dependencies -------------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/paperbot
ENV PATH=/opt/paperbot/bin:$PATH
WORKDIR /src
# Dependencies first (pinned by requirements.lock, the constraints file `make` uses too), so
# a code change does not reinstall them.
COPY pyproject.toml README.md requirements.lock ./
COPY bot ./bot
COPY handlers ./handlers
COPY summarizer ./summarizer
COPY storage ./storage
# The same install command as the Makefile's venv target (there: -e '.[dev]'; here: the
# runtime only, not editable).
# pip itself pinned too (hadolint DL3013); the version `make venv` was last checked with.
RUN python -m pip install --upgrade pip==26.3 \
    && python -m pip install -c requirements.lock .

# --- runtime: slim image, non-root, state in /data -------------------------------------------
FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 paperbot \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin paperbot \
    && mkdir -p /data && chown 10001:10001 /data
COPY --from=builder /opt/paperbot /opt/paperbot
ENV PATH=/opt/paperbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////data/paperbot.db \
    PAPERBOT_HTTP_HOST=0.0.0.0 \
    PAPERBOT_HTTP_PORT=8080
WORKDIR /data
VOLUME ["/data"]
# Numeric, so a host (or Kubernetes runAsNonRoot) can tell it is not root (hadolint DL3066).
USER 10001:10001
EXPOSE 8080
# No curl in slim images: Python asks /healthz (200 healthy, 503 or no answer unhealthy),
# bypassing any HTTP(S)_PROXY from the environment.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os,sys,urllib.request as u; o=u.build_opener(u.ProxyHandler({})); r=o.open('http://127.0.0.1:%s/healthz' % os.environ.get('PAPERBOT_HTTP_PORT', '8080'), timeout=4); sys.exit(0 if r.status == 200 else 1)"]
# `paperbot run` migrates the database first (serialised by a lock), then connects.
CMD ["paperbot", "run"]
