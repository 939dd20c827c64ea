-- The Four Keys baseline on SQLite: DORA metrics re-derived from Throughline's raw `events` table at every
-- query, one query per metric, in the style of Google's Four Keys (raw events -> deployments, changes,
-- incidents -> a median or a ratio). Written for this project; see docs/benchmarks.md.
--
-- Parameters (sqlite3: .parameter set :from 1767571200000000): the window [:from, :to) in microseconds
-- since 1970-01-01 UTC. Production is the environment id 'production'. Types are matched by prefix with
-- GLOB (case-sensitive, so it can use the index on (type, occurred_at_us)) to take in every spec version.
-- No index is added: the table is queried as Throughline stores it.
-- run.sh finds each query by its "-- metric:" line; a query ends at the first line ending in ";".

-- metric: deployment_frequency
-- Production deployments in the window (deployed, upgraded and rolled back) and distinct UTC days.
WITH deployments AS (
  SELECT occurred_at_us AS deployed_us
  FROM events
  WHERE (type GLOB 'dev.cdevents.service.deployed.*'
      OR type GLOB 'dev.cdevents.service.upgraded.*'
      OR type GLOB 'dev.cdevents.service.rolledback.*')
    AND occurred_at_us >= :from AND occurred_at_us < :to
    AND json_extract(payload, '$.subject.content.environment.id') = 'production'
)
SELECT COUNT(*) AS deployments,
       COUNT(DISTINCT date(deployed_us / 1000000, 'unixepoch')) AS deployment_days
FROM deployments;

-- metric: lead_time
-- Per production deployment in the window (rollbacks left out: they ship no new change), the change its
-- artifact was packaged from; lead time = deployment time - that change's change.created time. One value
-- per deployment; median = the middle value, or the mean of the two middle values.
WITH deployments AS (
  SELECT occurred_at_us AS deployed_us,
         json_extract(payload, '$.subject.content.artifactId') AS artifact_id
  FROM events
  WHERE (type GLOB 'dev.cdevents.service.deployed.*'
      OR type GLOB 'dev.cdevents.service.upgraded.*')
    AND occurred_at_us >= :from AND occurred_at_us < :to
    AND json_extract(payload, '$.subject.content.environment.id') = 'production'
),
packaged AS (
  SELECT subject_id AS artifact_id,
         MIN(json_extract(payload, '$.subject.content.change.id')) AS change_id
  FROM events
  WHERE type GLOB 'dev.cdevents.artifact.packaged.*'
  GROUP BY subject_id
),
created AS (
  SELECT subject_id AS change_id, MIN(occurred_at_us) AS created_us
  FROM events
  WHERE type GLOB 'dev.cdevents.change.created.*'
  GROUP BY subject_id
),
lead_times AS (
  SELECT d.deployed_us - c.created_us AS lead_us
  FROM deployments d
  JOIN packaged p ON p.artifact_id = d.artifact_id
  JOIN created c ON c.change_id = p.change_id
),
n AS (SELECT COUNT(*) AS n FROM lead_times)
SELECT (SELECT n FROM n) AS changes,
       (SELECT AVG(lead_us) / 3600e6 FROM (
          SELECT lead_us FROM lead_times ORDER BY lead_us
          LIMIT 2 - (SELECT n FROM n) % 2 OFFSET ((SELECT n FROM n) - 1) / 2)) AS median_hours;

-- metric: change_failure_rate
-- A production deployment in the window failed when an incident detected at or after it names its
-- artifact (incident.detected subject.content.artifactId): the analogue of Four Keys' root-cause link.
-- Incidents naming no artifact fail no deployment. Rollbacks count as deployments. Written as a join, not
-- as EXISTS per deployment: that re-reads every incident for each deployment (50 s instead of 0.3 s here).
WITH deployments AS (
  SELECT seq, occurred_at_us AS deployed_us,
         json_extract(payload, '$.subject.content.artifactId') AS artifact_id
  FROM events
  WHERE (type GLOB 'dev.cdevents.service.deployed.*'
      OR type GLOB 'dev.cdevents.service.upgraded.*'
      OR type GLOB 'dev.cdevents.service.rolledback.*')
    AND occurred_at_us >= :from AND occurred_at_us < :to
    AND json_extract(payload, '$.subject.content.environment.id') = 'production'
),
incidents AS (
  SELECT occurred_at_us AS detected_us,
         json_extract(payload, '$.subject.content.artifactId') AS artifact_id
  FROM events
  WHERE type GLOB 'dev.cdevents.incident.detected.*'
),
failed AS (
  SELECT DISTINCT d.seq
  FROM deployments d
  JOIN incidents i ON i.artifact_id = d.artifact_id AND i.detected_us >= d.deployed_us
)
SELECT (SELECT COUNT(*) FROM deployments) AS deployments,
       (SELECT COUNT(*) FROM failed) AS failed_deployments,
       CAST((SELECT COUNT(*) FROM failed) AS REAL) / NULLIF((SELECT COUNT(*) FROM deployments), 0) AS rate;

-- metric: time_to_restore
-- Every incident first detected in the window (any service, none, any environment, as Four Keys):
-- restore = its last resolution - its first detection; median over the resolved ones.
WITH detected AS (
  SELECT subject_id AS incident_id, MIN(occurred_at_us) AS detected_us
  FROM events
  WHERE type GLOB 'dev.cdevents.incident.detected.*'
  GROUP BY subject_id
),
resolved AS (
  SELECT subject_id AS incident_id, MAX(occurred_at_us) AS resolved_us
  FROM events
  WHERE type GLOB 'dev.cdevents.incident.resolved.*'
  GROUP BY subject_id
),
incidents AS (
  SELECT d.incident_id, r.resolved_us - d.detected_us AS restore_us
  FROM detected d
  LEFT JOIN resolved r ON r.incident_id = d.incident_id
  WHERE d.detected_us >= :from AND d.detected_us < :to
),
restored AS (SELECT restore_us FROM incidents WHERE restore_us IS NOT NULL),
n AS (SELECT COUNT(*) AS n FROM restored)
SELECT (SELECT COUNT(*) FROM incidents) AS incidents,
       (SELECT n FROM n) AS resolved,
       (SELECT AVG(restore_us) / 3600e6 FROM (
          SELECT restore_us FROM restored ORDER BY restore_us
          LIMIT 2 - (SELECT n FROM n) % 2 OFFSET ((SELECT n FROM n) - 1) / 2)) AS median_hours;
