# One image recipe for every service: the repo is one Python distribution, SERVICE only picks the entry point.
#   docker build --build-arg SERVICE=identity -t open-esis/identity:dev .
#   docker run --read-only --tmpfs /tmp open-esis/identity:dev              # serve
#   docker run --read-only --tmpfs /tmp open-esis/identity:dev python -m identity migrate
# Everything before `ARG SERVICE` is identical for all services, so their builds share every layer but the last.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /src
# Pinned third-party dependencies first: this layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt
COPY shared/ shared/
COPY gateway/ gateway/
COPY services/ services/
RUN pip install --no-deps .
# Generated protobuf / gRPC code (.gen/python), never committed: built here from proto/.
COPY proto/ proto/
COPY scripts/gen_proto.py scripts/gen_proto.py
RUN python scripts/gen_proto.py \
    && test -d .gen/python \
    && python -m compileall -q .gen/python

FROM ${PYTHON_IMAGE} AS runtime
# DejaVu: a TTF with Cyrillic for the PDF reports (stats); nothing else from the OS is needed.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 esis \
    && useradd --system --uid 10001 --gid esis --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin esis
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/.gen/python /app/.gen/python
# proto/ holds the topic registry read at run time; scripts/topics.py creates the registry's topics (a one-shot
# job before the services start, see docs/deploy.md).
COPY --from=build /src/proto /app/proto
COPY scripts/topics.py /app/scripts/topics.py
WORKDIR /app
# Read-only root filesystem: no bytecode writes at run time (pip and compileall wrote it at build time);
# anything temporary goes to /tmp, an emptyDir / tmpfs.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app/.gen/python \
    ESIS_PROTO_DIR=/app/proto \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TMPDIR=/tmp \
    HOME=/tmp

ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<gateway|identity|...>" >&2; exit 1; } \
    && python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)" "$SERVICE" \
    || { echo "no Python package named '$SERVICE' in the image" >&2; exit 1; }
ENV ESIS_SERVICE=${SERVICE}
LABEL org.opencontainers.image.title="open-esis/${SERVICE}" \
      org.opencontainers.image.description="open ESIS ${SERVICE} service" \
      org.opencontainers.image.licenses="Apache-2.0"
USER 10001:10001
# exec: the Python process is PID 1 and receives SIGTERM directly.
CMD ["sh", "-c", "exec python -m \"$ESIS_SERVICE\""]
