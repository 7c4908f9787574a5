-- Bytes per row on real PostgreSQL, with Lakefront's own tables and indexes (see bench/bytes-per-row.sh).
-- Crimes: the bundled real sample, copied 144 times with shifted ids and dates (~1M rows) in sync order.
-- Taxi trips: 1M synthetic rows shaped like the documented portal rows (fixtures/schemas/wrvz-psew.md):
-- 40-hex trip_id, 128-hex taxi_id, 15-minute times, money with 2 decimals, 11-digit tracts (often blank).
\set ON_ERROR_STOP on
SELECT setseed(0.42);
DROP SCHEMA IF EXISTS bench_storage CASCADE;
CREATE SCHEMA bench_storage;

CREATE TABLE bench_storage.crimes (LIKE data.crimes INCLUDING ALL);
INSERT INTO bench_storage.crimes
SELECT c.id + k::bigint * 100000000, c.case_number, c.date + make_interval(days => k * 3), c.block, c.iucr, c.primary_type, c.description,
       c.location_description, c.arrest, c.domestic, c.beat, c.district, c.ward, c.community_area, c.fbi_code,
       c.x_coordinate, c.y_coordinate, c.year, c.updated_on, c.latitude, c.longitude, c._source_id, c._row_id || '-' || k,
       c._updated_at + make_interval(days => k * 3), c.geo_zip, c.geo_community_area
FROM generate_series(0, 143) AS k CROSS JOIN data.crimes c
ORDER BY k, c._updated_at, c.id;

CREATE TABLE bench_storage.taxi_trips (LIKE data.taxi_trips INCLUDING ALL);
INSERT INTO bench_storage.taxi_trips
SELECT md5(g::text) || substr(md5((g * 7)::text), 1, 8),
       repeat(md5((g % 6000)::text), 4),
       t, t + interval '15 minutes' * (g % 4),
       300 + (g % 1500), round((random() * 20)::numeric, 1),
       CASE WHEN g % 3 = 0 THEN NULL ELSE '170310' || lpad((g % 99999)::text, 5, '0') END,
       CASE WHEN g % 3 = 1 THEN NULL ELSE '170313' || lpad((g % 88888)::text, 5, '0') END,
       1 + g % 77, 1 + (g * 13) % 77,
       round((random() * 40)::numeric, 2), round((random() * 5)::numeric, 2), 0, round((random() * 3)::numeric, 2), round((random() * 50)::numeric, 2),
       (ARRAY['Cash', 'Credit Card', 'Mobile', 'Prcard', 'Unknown'])[1 + g % 5],
       (ARRAY['Taxi Affiliation Services', 'Flash Cab', 'Sun Taxi', 'Chicago Carriage Cab Corp', 'City Service', '5074 - Ahzmi Inc'])[1 + g % 6],
       41.65 + random() * 0.35, -87.9 + random() * 0.38, 41.65 + random() * 0.35, -87.9 + random() * 0.38,
       CASE WHEN g % 10 = 0 THEN NULL ELSE (60601 + g % 60)::text END, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + g % 77 END,
       'wrvz-psew', 'row-' || to_hex(g) || '.' || to_hex(g * 31 % 65536) || '_' || to_hex(g % 4096), t
FROM (SELECT g, timestamp '2016-01-01' + interval '15 minutes' * (g / 40) AS t FROM generate_series(1, 1000000) AS g) AS s;

VACUUM ANALYZE bench_storage.crimes;
VACUUM ANALYZE bench_storage.taxi_trips;
-- The loaded samples as they are (after upsert and enrichment), then compacted.
ANALYZE;
\echo 'data.* as loaded (load-sample + enrich):'
SELECT c.relname AS "table", c.reltuples::bigint AS "rows",
       (pg_total_relation_size(c.oid) / c.reltuples)::int AS "total B/row"
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'data' AND c.relkind = 'r' AND c.reltuples > 0 ORDER BY 1;
VACUUM FULL ANALYZE data.crimes;
VACUUM FULL ANALYZE data.business_licenses;
VACUUM FULL ANALYZE data.zip_codes;
VACUUM FULL ANALYZE data.community_areas;

\echo 'bytes per row (heap, TOAST, indexes, total):'
SELECT n.nspname || '.' || c.relname AS "table", c.reltuples::bigint AS "rows",
       (pg_relation_size(c.oid) / c.reltuples)::int AS "heap B/row",
       (COALESCE(pg_total_relation_size(c.reltoastrelid), 0) / c.reltuples)::int AS "toast B/row",
       (pg_indexes_size(c.oid) / c.reltuples)::int AS "index B/row",
       (pg_total_relation_size(c.oid) / c.reltuples)::int AS "total B/row",
       pg_size_pretty(pg_total_relation_size(c.oid)) AS "total"
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('data', 'bench_storage') AND c.relkind = 'r' AND c.reltuples > 0
ORDER BY 1;

\echo 'index bytes per row:'
SELECT i.indexrelid::regclass AS "index", (pg_relation_size(i.indexrelid) / c.reltuples)::int AS "B/row"
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'bench_storage' ORDER BY 1;
