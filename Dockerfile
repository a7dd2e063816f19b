# Image for docker-compose.yml: the same image runs the web app (`npm start`) and the worker (`npm run start:worker`).
FROM node:20-bookworm

ENV NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_SCHEMA_ENGINE_BINARY=/bin/false \
    CHROMIUM_PATH=/usr/bin/chromium \
    PACTS_DATA_DIR=/data

# Debian's Chromium: Playwright drives it through executablePath (no `playwright install`).
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first for layer caching; postinstall runs `prisma generate`, which needs the schema and config.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build

# Artifacts volume; owned by the unprivileged user so a fresh named volume inherits the ownership.
RUN mkdir -p /data && chown -R node:node /data /app/.next
USER node
EXPOSE 3000
CMD ["npm", "start"]
