#!/usr/bin/env bash
# Edit-to-served-page latency of `dateline serve`.
#
#   cmd/internal/bench/serve-latency.sh             # N=2000 reports, 5 edits
#   N=500 EDITS=10 cmd/internal/bench/serve-latency.sh
#   SITE=/path/to/site cmd/internal/bench/serve-latency.sh   # an existing site instead
#   EDIT=tag cmd/internal/bench/serve-latency.sh              # edits that change a topic listing
#
# Builds ./cmd/dateline, generates a corpus with ../shared/bench/gencorpus.py
# --format dateline (or $SHARED/bench) in a scratch folder unless SITE is
# given, and starts `dateline serve` on 127.0.0.1:$PORT (default 1314). It
# prints the time from the start of the server to the first served report
# page and to the first full build served, then EDITS times appends a
# paragraph with a unique marker to one report's zh.md and polls that
# report's page over HTTP (every 20 ms, at most 30 s) until the marker
# appears: the edit-to-page latency, watcher batching included. It ends with the median and p95 (nearest rank).
#
# With EDIT=tag, site.toml gets a topic "marker" (zh 标记) before the server
# starts, and each edit instead adds the tag 标记 to one report's zh.md and
# polls the topic's page /zh/topics/marker/ until it links to that report:
# an edit that changes a listing page (issue #15 wants <= 100 ms).
#
# Edited files are restored afterwards and only the server this script
# started is stopped, by its PID. KEEP=1 keeps the scratch folder.
set -euo pipefail

N=${N:-2000}
EDITS=${EDITS:-5}
PORT=${PORT:-1314}
KEEP=${KEEP:-}
SITE=${SITE:-}
EDIT=${EDIT:-text}
case $EDIT in text|tag) ;; *) echo "serve-latency.sh: EDIT must be text or tag" >&2; exit 2 ;; esac
case $N$EDITS$PORT in *[!0-9]*) echo "serve-latency.sh: N, EDITS and PORT must be whole numbers" >&2; exit 2 ;; esac
[ "$EDITS" -ge 1 ] && [ "$EDITS" -le 1000 ] || { echo "serve-latency.sh: EDITS must be 1…1000" >&2; exit 2; }

root=$(cd "$(dirname "$0")/../../.." && pwd)
SHARED=${SHARED:-$root/../shared}
for tool in go curl; do
  command -v $tool >/dev/null || { echo "serve-latency.sh: $tool not found" >&2; exit 1; }
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dateline-serve.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ -d "$scratch/backup" ]; then
    (cd "$scratch/backup" && find . -type f) | while read -r f; do cp "$scratch/backup/$f" "$site/$f"; done
  fi
  if [ -n "$KEEP" ]; then echo "scratch folder kept: $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

(cd "$root" && go build -o "$scratch/dateline" ./cmd/dateline)
if [ -n "$SITE" ]; then
  site=$(cd "$SITE" && pwd)
  mapfile -t slugs < <(cd "$site/content" && for d in */; do [ -f "$d/zh.md" ] && echo "${d%/}"; done)
else
  command -v python3 >/dev/null || { echo "serve-latency.sh: python3 not found" >&2; exit 1; }
  cp "$SHARED/bench/gencorpus.py" "$scratch/"
  site=$scratch/corpus
  python3 "$scratch/gencorpus.py" --n "$N" --out "$site" --format dateline | sed 's/^/   /'
  mapfile -t slugs < <(for i in $(seq 1 "$N"); do printf 'report-%05d\n' "$i"; done)
fi
[ ${#slugs[@]} -gt 0 ] || { echo "serve-latency.sh: no report with a zh.md in $site/content" >&2; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
base=http://127.0.0.1:$PORT
log=$scratch/serve.log

# backup FILE: keep the site's FILE (relative to it) to restore at the end.
backup() {
  if [ ! -e "$scratch/backup/$1" ]; then
    mkdir -p "$(dirname "$scratch/backup/$1")"
    cp "$site/$1" "$scratch/backup/$1"
  fi
}
if [ "$EDIT" = tag ]; then
  backup content/site.toml
  printf '\n[topics.marker]\nzh = "标记"\nen = "Marker"\n' >>"$site/content/site.toml"
fi

t0=$(now_ms)
"$scratch/dateline" serve -s "$site" --addr "127.0.0.1:$PORT" >"$log" 2>&1 &
pid=$!
first=${slugs[0]}
ready=
for _ in $(seq 1 3000); do # at most ~300 s
  kill -0 "$pid" 2>/dev/null || { echo "serve-latency.sh: dateline serve exited:" >&2; cat "$log" >&2; exit 1; }
  if curl -sf --max-time 5 -o /dev/null "$base/zh/$first/"; then ready=1; break; fi
  sleep 0.1
done
[ -n "$ready" ] || { echo "serve-latency.sh: no page after 300 s" >&2; tail -n 20 "$log" >&2; exit 1; }
echo "== ${#slugs[@]} reports; start to first served page: $(( $(now_ms) - t0 )) ms (server pid $pid)"
# Edits are timed once the first full build is served (its summary line is
# in the log): before that, pages are built one by one on request.
for _ in $(seq 1 6000); do # at most ~600 s
  grep -q '^ *built [0-9]* files' "$log" && break
  sleep 0.1
done
echo "== start to first full build served: $(( $(now_ms) - t0 )) ms"
sleep 2

mkdir -p "$scratch/backup"
lat=()
printf '%-5s %-22s %8s\n' edit page e2e_ms
for k in $(seq 1 "$EDITS"); do
  slug=${slugs[$(( (k * 7919) % ${#slugs[@]} ))]}
  f=content/$slug/zh.md
  backup "$f"
  if [ "$EDIT" = tag ]; then
    page=zh/topics/marker/
    marker=/zh/$slug/
    grep -q '^tags: \[' "$site/$f" || { echo "serve-latency.sh: $f has no 'tags: [' line" >&2; exit 1; }
    ts=$(now_ms)
    sed -i 's/^tags: \[/tags: ["标记", /' "$site/$f"
  else
    page=zh/$slug/
    marker=edit-marker-$k-$RANDOM$RANDOM
    ts=$(now_ms)
    printf '\n\n改动：%s。\n' "$marker" >>"$site/$f"
  fi
  ms=timeout
  for _ in $(seq 1 1500); do # at most ~30 s
    if curl -s --max-time 2 "$base/$page" | grep -qF "$marker"; then ms=$(( $(now_ms) - ts )); break; fi
    sleep 0.02
  done
  printf '%-5s %-22s %8s\n' "$k" "$page" "$ms"
  [ "$ms" = timeout ] || lat+=("$ms")
  sleep 1
done

if [ ${#lat[@]} -eq 0 ]; then
  echo "no edit reached the page within 30 s; server log:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
printf '%s\n' "${lat[@]}" | sort -n | awk -v edits="$EDITS" '
  { v[NR] = $1 }
  END {
    med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    k = int(0.95 * NR + 0.999999); if (k < 1) k = 1
    printf "== edit to served page: median %d ms, p95 %d ms, min %d, max %d (%d of %d edits seen)\n", med, v[k], v[1], v[NR], NR, edits
  }'
echo "== server log, problems left out ($log)"
grep -v '^[[:space:]]' "$log" | tail -n $((EDITS + 2)) | sed 's/^/   /'
