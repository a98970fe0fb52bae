# syntax=docker/dockerfile:1
# WestWallet backend image: one image for every role (APP_ROLE=all|api|worker), see docker-compose.yml.
#   docker build -t westwallet-backend .

# ---- build: install everything, compile TypeScript, then drop dev dependencies -------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CI=true
COPY package.json package-lock.json ./
COPY admin/package.json admin/package-lock.json ./admin/
RUN npm ci --no-audit --no-fund && npm ci --prefix admin --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
# The admin portal (admin/, docs/admin-portal.md) is built by `npm run build` on the API's OpenAPI document.
COPY scripts ./scripts
COPY admin ./admin
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: compiled app + production node_modules, non-root ---------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Code stays root-owned (read-only for the app); only uploads/ is writable by the `node` user.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/admin/dist ./admin/dist
RUN mkdir -p /app/uploads && chown node:node /app/uploads
USER node
EXPOSE 3000
VOLUME ["/app/uploads"]
# No HEALTHCHECK here: a worker (APP_ROLE=worker) serves no HTTP. docker-compose.yml checks the API role.
CMD ["node", "dist/main.js"]
