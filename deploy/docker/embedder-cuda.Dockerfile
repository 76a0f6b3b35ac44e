# syntax=docker/dockerfile:1
#
# The embedder on an NVIDIA GPU: ONNX Runtime's CUDA execution provider, CPU as fallback.
#
#   docker build -f deploy/docker/embedder-cuda.Dockerfile -t imgsearch/embedder-cuda .
#   docker run --gpus all -v "$PWD/models:/models:ro" -v imgsearch-data:/data \
#     --env-file .env imgsearch/embedder-cuda
#
# Needs the NVIDIA driver and the NVIDIA Container Toolkit on the host (libcuda.so.1 comes from
# the host driver).
#
# Which CUDA: onnxruntime-node's install flag is still spelled `cuda12`, but what it downloads
# is NuGet's Microsoft.ML.OnnxRuntime.Gpu.Linux of the same version, and ONNX Runtime's GPU
# packages are built for CUDA 13 since 1.27 ("CUDA 12 packages are deprecated"): the CUDA
# provider of onnxruntime-gpu 1.30.0 needs libcudart.so.13, libcublas.so.13, libcublasLt.so.13,
# libcurand.so.10 and libcuda.so.1. So the default base is CUDA 13 + cuDNN 9, which needs a
# host driver >= 580. The prod-deps stage below runs ldd on the downloaded provider and fails
# the build, naming the missing libraries, if the base image does not match; with an older
# onnxruntime-node built for CUDA 12, pass e.g.
#   --build-arg CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04
#
# Model weights are not in the image: mount a folder at /models (CLIP_MODEL_DIR).

ARG NODE_IMAGE=node:20-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:13.0.1-cudnn-runtime-ubuntu22.04

# Node itself comes from the official image (same Node 20 build as the CPU images). Its
# binaries need glibc 2.28+, which Ubuntu 22.04 (2.35) has.
FROM ${NODE_IMAGE} AS node

# ---------------------------------------------------------------------------------------------
# build: TypeScript -> dist/. Plain JavaScript, so it is built on the Debian Node image and
# copied across; the CUDA download is skipped here, it is not needed to compile.
# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    SCARF_ANALYTICS=false \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app
# DL3008: apt packages are left unpinned on purpose; Debian and Ubuntu mirrors drop superseded
# versions, so pins break rebuilds. The base image tag (pin its digest for releases) fixes them.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --include=dev
COPY tsconfig.json tsconfig.build.json ./
COPY libs ./libs
COPY services ./services
RUN npm run build && test -f dist/services/embedder/src/main.js

# ---------------------------------------------------------------------------------------------
# cuda-base: the CUDA + cuDNN runtime, Node, tini, and the same `node` user (uid/gid 1000) as
# the CPU images, so gateway and embedders agree on who owns the shared DATA_DIR volume.
# ---------------------------------------------------------------------------------------------
FROM ${CUDA_IMAGE} AS cuda-base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# DL3008: unpinned on purpose, see above.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY --from=node /usr/local/bin/node /usr/local/bin/node
WORKDIR /app

# ---------------------------------------------------------------------------------------------
# prod-deps: production dependencies built on the runtime's own Ubuntu (glibc), with
# onnxruntime-node's CUDA provider libraries downloaded from NuGet by its install script
# (install flag value `cuda12`, the only GPU value onnxruntime-node 1.30 accepts on linux/x64).
# ONNXRUNTIME_NODE_INSTALL wins over `onnxruntime-node-install=skip` in .npmrc: the install
# script reads the environment variable before npm's config (script/install-utils.js).
# ---------------------------------------------------------------------------------------------
FROM cuda-base AS prod-deps
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# DL3008: unpinned on purpose, see above.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
COPY --from=node /usr/local/include/node /usr/local/include/node
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=cuda12 \
    SCARF_ANALYTICS=false \
    npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json .npmrc ./
COPY deploy/docker/check-native.js /tmp/check-native.js
# After the install: drop onnxruntime-node's binaries for other systems and chromadb's CLI-only
# native bindings (as in services.Dockerfile), check that every native module loads and the CUDA
# provider is there, and list any shared library the CUDA provider cannot resolve on this image
# (a CUDA major-version mismatch, see the top of this file); libcuda.so.1 is exempt, the host
# driver provides it.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev \
    && ort_bin=node_modules/onnxruntime-node/bin/napi-v6 \
    && find "$ort_bin" -mindepth 2 -maxdepth 2 -type d ! -path "$ort_bin/linux/$(node -p process.arch)" \
        -exec rm -rf {} + \
    && rm -rf node_modules/chromadb-js-bindings-* \
    && node /tmp/check-native.js --cuda \
    && provider=node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so \
    && missing="$(LD_LIBRARY_PATH="$(dirname "$provider"):${LD_LIBRARY_PATH:-}" ldd "$provider" \
        | grep 'not found' | grep -v 'libcuda\.so\.1' || true)" \
    && if [ -n "$missing" ]; then \
        echo "The CUDA provider cannot load on this image (CUDA ${CUDA_VERSION:-unknown}); missing:"; \
        echo "$missing"; echo "Pick a CUDA_IMAGE whose CUDA major matches these libraries."; exit 1; \
    fi

# ---------------------------------------------------------------------------------------------
# embedder-cuda: the runtime image.
# ---------------------------------------------------------------------------------------------
FROM cuda-base AS embedder-cuda
RUN mkdir -p /data /models && chown node:node /data /models
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    EMBEDDER_PORT=4200 \
    DATA_DIR=/data \
    CLIP_MODEL_DIR=/models/clip-vit-base-patch32 \
    CLIP_EXECUTION_PROVIDERS=cuda,cpu \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY deploy/docker/healthcheck.js ./healthcheck.js
# Numeric, so runAsNonRoot-style checks can verify it: the image's `node` user.
USER 1000:1000
EXPOSE 4200
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["node", "/app/healthcheck.js", "EMBEDDER_PORT", "/health/live"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/services/embedder/src/main.js"]
