#!/usr/bin/env bash
# curl cookbook for the Lakefront API: every recipe runs against a live server and stops the
# script on failure, so the test suite keeps the cookbook true.
# Run: bash examples/curl-cookbook.sh http://localhost:3000
set -euo pipefail
BASE=${1:-http://localhost:3000}

# Prints a recipe's title and command, then runs it.
recipe() {
  local title=$1; shift
  printf '\n### %s\n$ %s\n' "$title" "$*"
  "$@"
  echo
}

recipe "Which datasets are loaded, and how fresh" \
  curl -fsS "$BASE/v1/datasets"

recipe "A filtered page: two types, one day, chosen columns" \
  curl -fsS "$BASE/v1/crimes?primary_type=THEFT,BATTERY&from=2014-03-10&to=2014-03-11&fields=id,date,primary_type,block&limit=2"

# Pages: pass next_cursor back as cursor (URL-encoded) until it is null.
cursor=$(curl -fsS "$BASE/v1/crimes?limit=2&fields=id" | sed -n 's/.*"next_cursor":"\([^"]*\)".*/\1/p')
recipe "The next page, from the previous page's next_cursor" \
  curl -fsS -G "$BASE/v1/crimes" --data "limit=2" --data "fields=id" --data-urlencode "cursor=$cursor"

recipe "How many rows match (count=exact adds total)" \
  curl -fsS "$BASE/v1/crimes?primary_type=NARCOTICS&count=exact&limit=1&fields=id"

recipe "CSV of one ZIP's crimes, by format=csv (without limit it streams every matching row)" \
  curl -fsS "$BASE/v1/crimes?zip=60614&from=2014-01-01&to=2015-01-01&fields=id,date,primary_type,block&limit=3&format=csv"

recipe "The same CSV, asked for with an Accept header" \
  curl -fsS -H "Accept: text/csv" "$BASE/v1/crimes?zip=60614&from=2014-01-01&to=2015-01-01&fields=id,date,primary_type,block&limit=3"

recipe "NDJSON for bulk pulls: one JSON row per line" \
  curl -fsS "$BASE/v1/crimes?format=ndjson&fields=id,date&limit=3"

recipe "GeoJSON Point features, for a map" \
  curl -fsS "$BASE/v1/crimes?format=geojson&fields=id,primary_type&limit=1"

recipe "Rows inside a bounding box (minLon,minLat,maxLon,maxLat)" \
  curl -fsS "$BASE/v1/crimes?bbox=-87.64,41.87,-87.62,41.89&fields=id,latitude,longitude&limit=2"

recipe "Report: crimes by ZIP and type for a month (from/to required)" \
  curl -fsS "$BASE/v1/reports/crimes/by-zip?from=2014-03-01&to=2014-04-01&primary_type=THEFT&zip=60614,60657"

recipe "Report: the monthly crime trend of one ZIP" \
  curl -fsS "$BASE/v1/reports/crimes/trends?zip=60614&interval=month&from=2014-01-01&to=2015-01-01"

recipe "Boundaries: every ZIP code area as GeoJSON, saved to a file" \
  curl -fsS --compressed -o "${TMPDIR:-/tmp}/lakefront-zip-codes.geojson" -w '%{http_code} %{content_type} %{size_download} bytes\n' "$BASE/v1/boundaries/zip-codes"

# Conditional requests: send the ETag back; 304 means your copy is current.
page="$BASE/v1/crimes?limit=1&fields=id"
etag=$(curl -fsS -o /dev/null -D - "$page" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
printf '\n### A conditional GET answers 304 Not Modified\n$ curl -H "If-None-Match: %s" "%s"\n' "$etag" "$page"
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$page")
echo "$status"
[ "$status" = 304 ] || { echo "expected 304, got $status" >&2; exit 1; }

printf '\n### Bad input: 400 application/problem+json naming the parameter\n$ curl -i %s\n' "$BASE/v1/crimes?limit=0"
problem=$(curl -sS -i "$BASE/v1/crimes?limit=0")
echo "$problem"
grep -q '"name":"limit"' <<<"$problem" || { echo "expected a problem naming limit" >&2; exit 1; }
