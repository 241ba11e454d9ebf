# The local engine as a service: Debian slim, PocketSphinx from apt, the built app served by the server.
# docker compose up (compose.yaml) runs two replicas behind nginx, as the cluster test does.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpocketsphinx3 pocketsphinx-en-us libflite1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build --logLevel warn && npm prune --omit=dev --no-audit --no-fund
ENV HOST=0.0.0.0 PORT=8787 DICTATE_LOG=json DICTATE_SKIP_INSTALL=1
EXPOSE 8787
USER node
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8787/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "server/main.ts"]
