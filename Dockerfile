# The ringback daemon. Redis runs beside it (docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY bin ./bin
COPY src ./src
COPY config ./config
COPY tsconfig.json ./
USER node
# SIGTERM finishes the work in flight and exits within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "bin/ringback.js", "start"]
