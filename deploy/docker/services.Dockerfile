# syntax=docker/dockerfile:1
#
# One Dockerfile for the three CPU services; pick one with a build target:
#
#   docker build -f deploy/docker/services.Dockerfile --target gateway  -t imgsearch/gateway .
#   docker build -f deploy/docker/services.Dockerfile --target query    -t imgsearch/query .
#   docker build -f deploy/docker/services.Dockerfile --target embedder -t imgsearch/embedder .
#
# The build context is the repository root (see .dockerignore). All three targets share the
# same dependency install and TypeScript build, so BuildKit runs `npm ci` and `npm run build`
# once for all of them; only the last few metadata lines differ.
#
# The CUDA embedder has its own file, embedder-cuda.Dockerfile (different base image, and
# onnxruntime-node's CUDA libraries installed instead of skipped).
#
# Model weights are not in the image: mount a folder at /models (CLIP_MODEL_DIR).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
# base: Node plus the settings every npm run below must see.
# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# onnxruntime-node's install script would otherwise download its CUDA provider libraries
# (hundreds of MB) on linux/x64. .npmrc already says `onnxruntime-node-install=skip`; the
# environment variable takes precedence over any npm config in that script, so the CPU images
# skip the download whatever npm version reads (or ignores) the project .npmrc.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    SCARF_ANALYTICS=false \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app

# ---------------------------------------------------------------------------------------------
# toolchain: a compiler in case a native module finds no prebuilt binary for this platform
# (better-sqlite3 and argon2 then fall back to node-gyp). Only build stages use it.
# ---------------------------------------------------------------------------------------------
FROM base AS toolchain
# DL3008: apt packages are left unpinned on purpose; Debian and Ubuntu mirrors drop superseded
# versions, so pins break rebuilds. The base image tag (pin its digest for releases) fixes them.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
# node-gyp builds against the headers that ship with the image instead of downloading them.
ENV npm_config_nodedir=/usr/local

# ---------------------------------------------------------------------------------------------
# build: every dependency (dev included), then `npm run build` -> dist/.
# ---------------------------------------------------------------------------------------------
FROM toolchain AS build
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --include=dev
COPY tsconfig.json tsconfig.build.json ./
COPY libs ./libs
COPY services ./services
RUN npm run build \
    && test -f dist/services/gateway/src/main.js \
    && test -f dist/services/query/src/main.js \
    && test -f dist/services/embedder/src/main.js

# ---------------------------------------------------------------------------------------------
# prod-deps: production dependencies only, native modules installed (allowScripts in
# package.json approves sharp, onnxruntime-node, argon2, better-sqlite3, msgpackr-extract for
# npm 11; the npm 10 of Node 20 images runs install scripts regardless).
# ---------------------------------------------------------------------------------------------
FROM toolchain AS prod-deps
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
COPY deploy/docker/check-native.js /tmp/check-native.js
# After the install: drop what cannot run here (onnxruntime-node ships binaries for every OS
# and CPU, ~240 MB of them foreign; chromadb's native bindings serve only its `chroma run` CLI,
# the services use its HTTP client), then check-native.js loads every native module and fails
# if the CUDA download was not skipped.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev \
    && ort_bin=node_modules/onnxruntime-node/bin/napi-v6 \
    && find "$ort_bin" -mindepth 2 -maxdepth 2 -type d ! -path "$ort_bin/linux/$(node -p process.arch)" \
        -exec rm -rf {} + \
    && rm -rf node_modules/chromadb-js-bindings-* \
    && node /tmp/check-native.js

# ---------------------------------------------------------------------------------------------
# runtime: slim Node, tini as PID 1 so SIGTERM reaches node (which closes the service cleanly),
# non-root user, code owned by root and read-only to the process.
# ---------------------------------------------------------------------------------------------
FROM base AS runtime
# DL3008: unpinned on purpose, see above.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data /models \
    && chown node:node /data /models
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    CLIP_MODEL_DIR=/models/clip-vit-base-patch32
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY deploy/docker/healthcheck.js ./healthcheck.js
# Numeric, so runAsNonRoot-style checks can verify it: the image's `node` user.
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]

# ---------------------------------------------------------------------------------------------
# gateway: HTTP API :4000 (auth, uploads, ingest jobs, items, search facade, /docs).
# ---------------------------------------------------------------------------------------------
FROM runtime AS gateway
ENV GATEWAY_PORT=4000 \
    SQLITE_PATH=/data/imgsearch.sqlite
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "/app/healthcheck.js", "GATEWAY_PORT", "/health/live"]
CMD ["node", "dist/services/gateway/src/main.js"]

# ---------------------------------------------------------------------------------------------
# query: text/image embedding and Chroma search :4100.
# ---------------------------------------------------------------------------------------------
FROM runtime AS query
ENV QUERY_PORT=4100
EXPOSE 4100
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "/app/healthcheck.js", "QUERY_PORT", "/health/live"]
CMD ["node", "dist/services/query/src/main.js"]

# ---------------------------------------------------------------------------------------------
# embedder: BullMQ ingest worker; HTTP :4200 only for /metrics and health.
# ---------------------------------------------------------------------------------------------
FROM runtime AS embedder
ENV EMBEDDER_PORT=4200
EXPOSE 4200
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "/app/healthcheck.js", "EMBEDDER_PORT", "/health/live"]
CMD ["node", "dist/services/embedder/src/main.js"]
