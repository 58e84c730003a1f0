# syntax=docker/dockerfile:1
# AOC: build every package, then run the API (with the console) as a non-root user on a slim Node LTS image.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY sim/package.json sim/
COPY core/package.json core/
COPY mcp/package.json mcp/
COPY api/package.json api/
COPY web/package.json web/
COPY api/bin api/bin
COPY mcp/bin mcp/bin
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
# Shown by /api/version (api/src/node/version.ts reads AOC_VERSION); empty = the package version.
ARG AOC_VERSION=
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    AOC_VERSION=${AOC_VERSION}
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY sim/package.json sim/
COPY core/package.json core/
COPY mcp/package.json mcp/
COPY api/package.json api/
COPY web/package.json web/
COPY api/bin api/bin
COPY mcp/bin mcp/bin
# Production dependencies only; --omit=optional leaves out @aoc/sim's embedded defaults (the image always
# talks to a real MongoDB and a real tenant). Workspaces stay linked, so @aoc/core etc. resolve to the dists.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/core/dist core/dist
COPY --from=build /app/mcp/dist mcp/dist
COPY --from=build /app/api/dist api/dist
COPY --from=build /app/web/dist web/dist
COPY mappings.yml ./
USER node
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "api/dist/cli.js", "serve"]
