#!/usr/bin/env bash
# PostgreSQL first-start hook (docker-entrypoint-initdb.d): one role and one database per SQL service, each
# owned by its service's role, so no service can read another's tables. Names come from ESIS_DATABASES
# (space-separated), the password from ESIS_DB_PASSWORD — a local placeholder, never a real credential.
# Runs only when the data volume is empty: after adding a service, `docker-compose down -v` or create its
# database by hand (docs/deploy.md).
set -euo pipefail

for db in ${ESIS_DATABASES:?set ESIS_DATABASES to the SQL services, e.g. "identity education"}; do
  echo "initdb: role and database '$db'"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v name="$db" -v password="${ESIS_DB_PASSWORD:?set ESIS_DB_PASSWORD}" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
