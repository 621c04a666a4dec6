#!/bin/bash
# The streaming replica of docker-compose.cluster.yml (official postgres image).
# On first start its data directory is a base backup of the primary, which also
# writes standby.signal and primary_conninfo (-R); then PostgreSQL runs as a hot
# standby, read-only, following the primary through the slot "replica1".
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    # pg_basebackup writes it into primary_conninfo (postgresql.auto.conf).
    export PGPASSWORD="$REPLICATION_PASSWORD"
    until gosu postgres pg_basebackup --host="$PRIMARY_HOST" --username=replicator \
        --pgdata="$PGDATA" --wal-method=stream --slot=replica1 \
        --write-recovery-conf --checkpoint=fast --no-password; do
        echo "replica: waiting for the primary at $PRIMARY_HOST"
        # pg_basebackup needs an empty directory; a broken attempt leaves files.
        find "$PGDATA" -mindepth 1 -delete
        sleep 5
    done
fi

# The image's entrypoint finds the data directory and starts the standby.
exec docker-entrypoint.sh postgres -c hot_standby=on "$@"
