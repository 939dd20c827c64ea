#!/usr/bin/env bash
# `throughline import git` at scale: a generated repository of about 10,000 commits on its first-parent line (every fourth
# a pull request merged with "Merge pull request #N from ...", the others direct pushes or squash merges "(#N)", one
# release tag every 100 commits), written with `git fast-import`, then imported into a fresh SQLite database, twice.
# Prints commits per second and peak memory of each import.
# Usage: bench/import-git.sh [COMMITS]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
commits=${1:-10000}
build
repo=$dir/import-git-$commits
if [ ! -d "$repo/.git" ]; then
  rm -rf "$repo"; git init -q -b main "$repo"
  python3 - "$commits" <<'PY' | git -C "$repo" fast-import --quiet
import sys
n = int(sys.argv[1])
t = 1735689600  # 2025-01-01
mark = 0
def commit(branch, message, parents, when, name="Dev"):
    global mark
    mark += 1
    print(f"commit refs/heads/{branch}")
    print(f"mark :{mark}")
    print(f"author {name} <{name.lower()}@example.com> {when} +0000")
    print(f"committer {name} <{name.lower()}@example.com> {when} +0000")
    data = message.encode()
    print(f"data {len(data)}"); sys.stdout.flush(); sys.stdout.buffer.write(data); print()
    if parents:
        print(f"from :{parents[0]}")
        for p in parents[1:]:
            print(f"merge :{p}")
    print(f"M 644 inline file.txt")
    body = f"{mark}\n".encode()
    print(f"data {len(body)}"); sys.stdout.flush(); sys.stdout.buffer.write(body); print()
    return mark
head = commit("main", "initial", [], t)
tags = []
line = 1
pr = 0
while line < n:
    t += 600
    if line % 4 == 0:
        pr += 1
        first = commit(f"feature{pr}", f"work on {pr}", [head], t - 3000, "Alice")
        second = commit(f"feature{pr}", f"more on {pr}", [first], t - 1200, "Alice")
        head = commit("main", f"Merge pull request #{pr} from acme/feature{pr}\n\nFeature {pr}", [head, second], t, "Bob")
    elif line % 4 == 2:
        pr += 1
        head = commit("main", f"Fix thing {pr} (#{pr})", [head], t, "Carol")
    else:
        head = commit("main", f"direct change {line}", [head], t)
    line += 1
    if line % 100 == 0:
        tags.append((f"1.{line // 100}.0", head))
for name, m in tags:
    print(f"reset refs/tags/{name}")
    print(f"from :{m}")
PY
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "repository: $(git -C "$repo" rev-list --count --first-parent main) commits on main's first-parent line, $(git -C "$repo" rev-list --count --all) in all, $(git -C "$repo" tag | wc -l) tags"
db=$(fresh_database bench_import)
for run in first second; do
  start=$(date +%s.%N)
  /usr/bin/time -f "peak %M KiB" -o "$dir/import-time.txt" dotnet $T import git "$repo" --repository acme/bench --db "$db" >"$dir/import-out.txt" 2>/dev/null
  end=$(date +%s.%N)
  seconds=$(echo "$end - $start" | bc)
  echo "$run import: $(printf '%.2f' "$seconds") s, $(echo "$(git -C "$repo" rev-list --count --all) / $seconds" | bc) commits/s, $(cat "$dir/import-time.txt"); $(grep -m1 -i 'stored\|events' "$dir/import-out.txt" || true)"
done
