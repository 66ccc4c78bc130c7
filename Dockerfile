# Order Gate server image: `docker compose up` builds and runs it next to PostgreSQL and Redis.
# Node 24: the active LTS line (Node 20 reached end of life in April 2026; test/docker checks the major).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# The workspace package graphql-idempotency (the guard): npm ci links it and the postinstall builds it.
COPY packages ./packages
# npm ci: exactly the versions of the lockfile.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.server.json ./
COPY src ./src
# The server only (src/, and the SDK bundle of the /demo page): scripts, bench and tests stay out of the image.
RUN npm run build:server && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
# node_modules/graphql-idempotency is a link to the workspace package.
COPY --from=build /app/packages/graphql-idempotency ./packages/graphql-idempotency
# The /demo page's files (mounted only outside production: NODE_ENV=development docker compose up).
COPY demo ./demo
# The duplicate-risk model `npm run risk:train` ships; used only when RISK_MODEL_PATH names it.
COPY models ./models
COPY package.json ./
USER node
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
