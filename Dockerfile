# syntax=docker/dockerfile:1
# The Lakefront image: the `lakefront` CLI (serve, sync <dataset>, migrate, ...).
# Sources are TypeScript run through tsx at run time (tsx is a runtime dependency), so the server
# has no build step: the first stage installs production dependencies only, the second bundles the
# explorer page, the last copies both beside the sources and drops root.

# Exact version tag, never a floating one: the same Dockerfile builds the same runtime.
# Node 20.20 is the version the project is developed and tested with (package.json engines >= 20.19).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Only the manifests, so this layer is cached until dependencies change. sdk/package.json is
# there because the lockfile names the SDK workspace; the SDK itself is not shipped.
COPY package.json package-lock.json ./
COPY sdk/package.json sdk/package.json
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The explorer's browser bundle (explorer/dist/), built with the dev dependencies it needs (esbuild,
# Preact, htm) from the SDK's source; only the bundle reaches the image.
FROM ${NODE_IMAGE} AS explorer
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY sdk/package.json sdk/package.json
RUN npm ci --no-audit --no-fund
COPY sdk/src ./sdk/src
COPY explorer ./explorer
RUN node_modules/.bin/tsx explorer/build.ts

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    LAKEFRONT_DATA_DIR=/tmp/lakefront
WORKDIR /app
# Files stay owned by root: the process (user `node`, uid 1000) can read the app but not change it.
COPY --from=deps /app/node_modules ./node_modules
# tsconfig.json: tsx compiles with the same settings as development and tests.
COPY package.json package-lock.json tsconfig.json ./
COPY cli ./cli
COPY core ./core
COPY ingest ./ingest
COPY migrations ./migrations
COPY openapi ./openapi
COPY server ./server
COPY explorer/public ./explorer/public
COPY --from=explorer /app/explorer/dist ./explorer/dist
USER 1000:1000
EXPOSE 3000
# No curl in the slim image: Node's own fetch asks the liveness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "cli/bin.js"]
CMD ["serve"]
