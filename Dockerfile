# syntax=docker/dockerfile:1
# One image for the web server and the background worker: the entrypoint is the `linernotes`
# command, so `docker run IMAGE worker` or `docker run IMAGE migrate` run the same commands the
# systemd units and docs/deploy.md use. compose.yaml runs the whole site.
#   docker build -t linernotes .                        (add --build-arg EXTRAS=s3 for S3 media)

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Build: the package and every dependency as wheels, so the runtime stage needs no compiler,
# no build tools and no network.
FROM ${PYTHON_IMAGE} AS build
ARG EXTRAS=""
WORKDIR /src
COPY pyproject.toml README.md ./
COPY linernotes ./linernotes
RUN pip wheel --no-cache-dir --disable-pip-version-check --wheel-dir /wheels ".${EXTRAS:+[$EXTRAS]}"

# Runtime: the installed package, run by an unprivileged user that owns only the var folder.
FROM ${PYTHON_IMAGE}
ARG EXTRAS=""
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LINERNOTES_VAR_DIR=/var/lib/linernotes
RUN useradd --system --user-group --uid 10001 --home-dir /var/lib/linernotes --no-create-home \
        --shell /usr/sbin/nologin linernotes \
    && install -d -o linernotes -g linernotes -m 0755 /var/lib/linernotes
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-cache-dir --disable-pip-version-check --no-index --find-links /wheels \
        "linernotes${EXTRAS:+[$EXTRAS]}"
USER linernotes
WORKDIR /var/lib/linernotes
# The SQLite database (when DATABASE_URL is unset), the secret key, static files and uploads.
VOLUME /var/lib/linernotes
EXPOSE 8000
ENTRYPOINT ["linernotes"]
CMD ["serve", "--bind", "0.0.0.0:8000", "--workers", "3"]
