#!/bin/bash
# Run once by the official postgres image when the primary's data directory is
# created (/docker-entrypoint-initdb.d): the role and the slot the streaming
# replica of docker-compose.cluster.yml connects with.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
-- The primary keeps the WAL the replica has not received yet (bounded by
-- max_slot_wal_keep_size), so a replica that was down catches up on restart.
SELECT pg_create_physical_replication_slot('replica1');
SQL

# Replication connections match only lines naming "replication".
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
