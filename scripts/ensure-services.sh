#!/usr/bin/env bash
# Start PostgreSQL and/or Redis on this machine if they are not answering.
# Used by `make run` and `make test`; does nothing when the services are already up.
set -u
for service in "$@"; do
  case "$service" in
    postgres)
      if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        echo "PostgreSQL antwoordt niet; starten…"
        version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
        if [ -n "$version" ]; then
          pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        fi
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
        pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is niet bereikbaar op 127.0.0.1:5432"; exit 1; }
      fi
      ;;
    redis)
      if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        command -v redis-server >/dev/null || { echo "redis-server is niet geïnstalleerd"; exit 1; }
        echo "Redis antwoordt niet; starten…"
        mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
          --dir /var/lib/redis --logfile /var/log/redis/ci.log
        for _ in $(seq 1 20); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
        redis-cli ping >/dev/null || { echo "Redis is niet bereikbaar op 127.0.0.1:6379"; exit 1; }
      fi
      ;;
  esac
done
