# One image for both roles: `npm run start:web` and `npm run start:worker`.
FROM node:20-bookworm-slim
# poppler-utils: pdftoppm draws the dashboard's PNG export (docs/decisions/0010).
RUN apt-get update && apt-get install -y --no-install-recommends poppler-utils && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY .ci/lock-chdb-optionals.mjs .ci/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["npm", "run", "start:web"]
