#!/usr/bin/env python3
# Freshness: POST one change.created at a time to a running server and time until GET /api/changes/{id} finds it.
# Usage: THROUGHLINE_TOKEN=tl_... bench/freshness.py http://127.0.0.1:5099  (bounded: 20 events, loopback only; an admin token)
import json, os, time, urllib.request, urllib.parse, urllib.error, sys, statistics
base = sys.argv[1]
token = os.environ.get("THROUGHLINE_TOKEN") or sys.exit("set THROUGHLINE_TOKEN (throughline token create --db DB --role admin)")
auth = {"authorization": "Bearer " + token}
lat = []
for i in range(20):
    cid = f"acme/checkout#fresh{i}-{int(time.time())}"
    ev = {"context": {"specversion": "0.5.0", "id": f"fresh-{cid}", "source": "/bench", "type": "dev.cdevents.change.created.0.4.0",
          "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
          "subject": {"id": cid, "content": {"repository": {"id": "acme/checkout"}}}}
    t0 = time.time()
    req = urllib.request.Request(base + "/api/events", data=json.dumps(ev).encode(), headers={"content-type": "application/json", **auth}, method="POST")
    urllib.request.urlopen(req).read()
    url = base + "/api/changes/" + urllib.parse.quote(cid, safe="")
    while True:
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers=auth)).read(); break
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                raise
            time.sleep(0.01)
    lat.append(time.time() - t0)
    time.sleep(0.3)
lat.sort()
print(f"freshness over {len(lat)} events: median {statistics.median(lat)*1000:.0f} ms, max {lat[-1]*1000:.0f} ms")
