#!/usr/bin/env bash
# Measures Lakefront's storage per row on a real PostgreSQL (docs/scaling.md uses the output).
# Usage: bench/bytes-per-row.sh [database]   (default lakefront_bench_storage on 127.0.0.1:5432, dropped and recreated)
# Needs psql; takes a few minutes (2M rows are written).
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-lakefront_bench_storage}
admin=(psql -X -q -h 127.0.0.1 -U postgres -d postgres)
"${admin[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
export LOG_LEVEL=error
npx lakefront load-sample
npx lakefront enrich >/dev/null
psql -X -h 127.0.0.1 -U postgres -d "$db" -f bench/bytes-per-row.sql
