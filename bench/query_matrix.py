#!/usr/bin/env python3
"""B5, the query matrix: DORA and flow over windows of 7, 30, 90 and 365 days ending at END, scoped to the
organisation, one team and one service, against a running server on loopback.

  THROUGHLINE_TOKEN=tl_... bench/query_matrix.py URL END SERVICE TEAM REPOSITORY    (an admin token: it reads and posts)

For each scope, the first question after start-up ("start-up": nothing derived yet) is timed on its own. Then for each
cell: one change.created is posted into REPOSITORY (the service's, so that its partition must be derived again),
the change is waited for, and the question is asked once ("cold": the first answer from the new snapshot) and five
more times ("warm": median and max). Times are the client's, request to last byte. Prints a Markdown table."""
import json, os, statistics, sys, time, urllib.error, urllib.parse, urllib.request
from datetime import datetime, timedelta, timezone

base, end, service, team, repository = sys.argv[1:6]
end_at = datetime.fromisoformat(end).replace(tzinfo=timezone.utc)
scopes = [("organisation", {}), (f"team {team}", {"team": team}), (f"service {service}", {"service": service})]
posted = 0
token = os.environ.get("THROUGHLINE_TOKEN") or sys.exit("set THROUGHLINE_TOKEN (throughline token create --db DB --role admin)")
auth = {"authorization": "Bearer " + token}

def timed(path):
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(base + path, headers=auth), timeout=600) as response:
        response.read()
    return (time.perf_counter() - started) * 1000

def url(kind, days, scope):
    query = {"from": (end_at - timedelta(days=days)).strftime("%Y-%m-%d"), "to": end_at.strftime("%Y-%m-%d"), **scope}
    return f"/api/metrics/{kind}?" + urllib.parse.urlencode(query)

def new_snapshot():
    """Posts one change into the service's repository and waits until the timeline shows it."""
    global posted
    posted += 1
    change = f"{repository}#matrix-{int(time.time())}-{posted}"
    at = (end_at - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    event = {"context": {"specversion": "0.5.0", "id": "matrix-" + change, "source": "/bench/matrix", "type": "dev.cdevents.change.created.0.4.0", "timestamp": at},
             "subject": {"id": change, "content": {"repository": {"id": repository}}}}
    request = urllib.request.Request(base + "/api/events", data=json.dumps(event).encode(), headers={"content-type": "application/json", **auth}, method="POST")
    urllib.request.urlopen(request, timeout=60).read()
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(urllib.request.Request(base + "/api/changes/" + urllib.parse.quote(change, safe=""), headers=auth), timeout=60).read()
            return
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                raise
            time.sleep(0.02)
    raise SystemExit(f"the posted change {change} did not appear within 120 s")

print("| question | scope | window | start-up | cold | warm median | warm max |")
print("|---|---|---|---|---|---|---|")
startup = {}
for kind in ("dora", "flow"):
    for name, scope in scopes:
        startup[(kind, name)] = timed(url(kind, 365, scope))
for kind in ("dora", "flow"):
    for name, scope in scopes:
        for days in (7, 30, 90, 365):
            new_snapshot()
            cold = timed(url(kind, days, scope))
            warm = sorted(timed(url(kind, days, scope)) for _ in range(5))
            first = f"{startup[(kind, name)]:,.0f} ms" if days == 365 else ""
            print(f"| {kind} | {name} | {days} d | {first} | {cold:,.0f} ms | {statistics.median(warm):,.0f} ms | {warm[-1]:,.0f} ms |", flush=True)
