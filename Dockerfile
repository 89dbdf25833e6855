# The ringback daemon. Redis runs beside it (docker-compose.yml).
# test/docker/ rebuilds this image's files from this text and runs them in `npm test`: a folder the
# code needs but left out here fails there.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# bin/ first: `npm ci` runs the package's `prepare` script (bin/build.js), which has no sources to
# compile yet and says so; it compiles them once they are copied, below.
COPY bin ./bin
RUN npm ci --omit=dev
COPY tsconfig.json ./
COPY config ./config
COPY src ./src
COPY workers ./workers
# The command compiled to JavaScript (dist/cli): the daemon then runs without the TypeScript
# loader, 30–40 MB less memory (bench/README.md, footprint). Without it, it runs through tsx.
RUN node bin/build.js
# The mount points of the volumes (docker-compose.yml), owned by the node user (uid 1000): a new
# named volume takes the owner of the folder it is mounted on, so the daemon can write to it.
# `ringback` on the PATH, so that `docker compose exec ringback ringback doctor` works.
RUN mkdir -p /config /data /mail && chown node:node /config /data /mail && ln -s /app/bin/ringback.js /usr/local/bin/ringback
# The config file, and the data folder (secret key file) at $XDG_DATA_HOME/ringback = /data/ringback.
ENV RINGBACK_CONFIG=/config/ringback.yaml XDG_DATA_HOME=/data
USER node
EXPOSE 7807
# SIGTERM finishes the work in flight and exits within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "bin/ringback.js", "start"]
