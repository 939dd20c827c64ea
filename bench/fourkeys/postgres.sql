-- The Four Keys baseline on PostgreSQL: the same four queries as sqlite.sql (same definitions, read the
-- comments there), re-derived from Throughline's raw `events` table at every query. Written for this
-- project; see docs/benchmarks.md.
--
-- Parameters (psql: -v from=1767571200000000 -v to=1799107200000000): the window [:from, :to) in
-- microseconds since 1970-01-01 UTC. JSON fields come from payload::jsonb. Types are matched by prefix
-- with LIKE; the index on (type, occurred_at_us) serves a LIKE prefix only under the C collation (year.sh
-- creates its cluster with it; under C.UTF-8 every query scans the table). No index is added.
-- run.sh finds each query by its "-- metric:" line; a query ends at the first line ending in ";".

-- metric: deployment_frequency
WITH deployments AS (
  SELECT occurred_at_us AS deployed_us
  FROM events
  WHERE (type LIKE 'dev.cdevents.service.deployed.%'
      OR type LIKE 'dev.cdevents.service.upgraded.%'
      OR type LIKE 'dev.cdevents.service.rolledback.%')
    AND occurred_at_us >= :from AND occurred_at_us < :to
    AND payload::jsonb -> 'subject' -> 'content' -> 'environment' ->> 'id' = 'production'
)
SELECT COUNT(*) AS deployments,
       COUNT(DISTINCT (to_timestamp(deployed_us / 1e6) AT TIME ZONE 'UTC')::date) AS deployment_days
FROM deployments;

-- metric: lead_time
WITH deployments AS (
  SELECT occurred_at_us AS deployed_us,
         payload::jsonb -> 'subject' -> 'content' ->> 'artifactId' AS artifact_id
  FROM events
  WHERE (type LIKE 'dev.cdevents.service.deployed.%'
      OR type LIKE 'dev.cdevents.service.upgraded.%')
    AND occurred_at_us >= :from AND occurred_at_us < :to
    AND payload::jsonb -> 'subject' -> 'content' -> 'environment' ->> 'id' = 'production'
),
packaged AS (
  SELECT subject_id AS artifact_id,
         MIN(payload::jsonb -> 'subject' -> 'content' -> 'change' ->> 'id') AS change_id
  FROM events
  WHERE type LIKE 'dev.cdevents.artifact.packaged.%'
  GROUP BY subject_id
),
created AS (
  SELECT subject_id AS change_id, MIN(occurred_at_us) AS created_us
  FROM events
  WHERE type LIKE 'dev.cdevents.change.created.%'
  GROUP BY subject_id
),
lead_times AS (
  SELECT d.deployed_us - c.created_us AS lead_us
  FROM deployments d
  JOIN packaged p ON p.artifact_id = d.artifact_id
  JOIN created c ON c.change_id = p.change_id
)
SELECT COUNT(*) AS changes,
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY lead_us) / 3600e6 AS median_hours
FROM lead_times;

-- metric: change_failure_rate
WITH deployments AS (
  SELECT seq, occurred_at_us AS deployed_us,
         payload::jsonb -> 'subject' -> 'content' ->> 'artifactId' AS artifact_id
  FROM events
  WHERE (type LIKE 'dev.cdevents.service.deployed.%'
      OR type LIKE 'dev.cdevents.service.upgraded.%'
      OR type LIKE 'dev.cdevents.service.rolledback.%')
    AND occurred_at_us >= :from AND occurred_at_us < :to
    AND payload::jsonb -> 'subject' -> 'content' -> 'environment' ->> 'id' = 'production'
),
incidents AS (
  SELECT occurred_at_us AS detected_us,
         payload::jsonb -> 'subject' -> 'content' ->> 'artifactId' AS artifact_id
  FROM events
  WHERE type LIKE 'dev.cdevents.incident.detected.%'
),
failed AS (
  SELECT DISTINCT d.seq
  FROM deployments d
  JOIN incidents i ON i.artifact_id = d.artifact_id AND i.detected_us >= d.deployed_us
)
SELECT (SELECT COUNT(*) FROM deployments) AS deployments,
       (SELECT COUNT(*) FROM failed) AS failed_deployments,
       (SELECT COUNT(*) FROM failed)::float8 / NULLIF((SELECT COUNT(*) FROM deployments), 0) AS rate;

-- metric: time_to_restore
WITH detected AS (
  SELECT subject_id AS incident_id, MIN(occurred_at_us) AS detected_us
  FROM events
  WHERE type LIKE 'dev.cdevents.incident.detected.%'
  GROUP BY subject_id
),
resolved AS (
  SELECT subject_id AS incident_id, MAX(occurred_at_us) AS resolved_us
  FROM events
  WHERE type LIKE 'dev.cdevents.incident.resolved.%'
  GROUP BY subject_id
),
incidents AS (
  SELECT d.incident_id, r.resolved_us - d.detected_us AS restore_us
  FROM detected d
  LEFT JOIN resolved r ON r.incident_id = d.incident_id
  WHERE d.detected_us >= :from AND d.detected_us < :to
)
SELECT COUNT(*) AS incidents,
       COUNT(restore_us) AS resolved,
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY restore_us) / 3600e6 AS median_hours
FROM incidents;
