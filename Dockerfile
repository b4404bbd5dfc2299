# syntax=docker/dockerfile:1
# Build stage: the Rust toolchain and a C compiler are all the build needs (SQLite and
# libpq are compiled from bundled sources).
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release -p api && strip target/release/fupin

# Runtime stage: a small Debian with CA certificates, running as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/fupin --create-home fupin
COPY --from=build /src/target/release/fupin /usr/local/bin/fupin
USER fupin
WORKDIR /var/lib/fupin
ENV FUPIN_BIND=0.0.0.0:8080 \
    FUPIN_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["fupin"]
CMD ["serve"]
