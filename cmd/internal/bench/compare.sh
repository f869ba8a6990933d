#!/usr/bin/env bash
# Full builds of Dateline and Hugo, side by side, on the same generated corpus.
#
#   cmd/internal/bench/compare.sh                 # N=5000 reports (10,000 pages), 3 runs
#   N=200 RUNS=1 cmd/internal/bench/compare.sh    # a quick look
#   cmd/internal/bench/compare.sh -n 2000 -r 5 -k # flags instead of env vars; -k keeps the scratch dir
#
# It copies gencorpus.py from ../shared/bench (or $SHARED/bench) into a
# scratch folder, writes the corpus in both layouts, builds ./cmd/dateline
# once, warms up each generator (Dateline twice: see below), then runs
#   dateline build -s corpus-dl -o out-dl
#   hugo --minify -s corpus-hugo -d out-hugo --quiet
# alternately RUNS times under /usr/bin/time -v (which one goes first flips
# from pair to pair) and prints, per pair and as medians with min–max:
# wall time, user+sys CPU seconds and peak RSS of each, and the ratios
# Hugo/Dateline for time and CPU (above 1: Dateline is faster) and
# Dateline/Hugo for memory (below 1: Dateline uses less).
#
# The machines are shared and noisy: compare ratios measured in the same
# run, not absolute times across runs. Nothing here is part of `go test`.
set -euo pipefail

usage() { sed -n '2,20s/^# \{0,1\}//p' "$0"; }

N=${N:-5000}
RUNS=${RUNS:-3}
KEEP=${KEEP:-}
while [ $# -gt 0 ]; do
  case $1 in
    -n) N=$2; shift 2 ;;
    -r) RUNS=$2; shift 2 ;;
    -k) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
case $N$RUNS in *[!0-9]*) echo "compare.sh: N and RUNS must be whole numbers" >&2; exit 2 ;; esac
[ "$N" -ge 1 ] && [ "$RUNS" -ge 1 ] || { echo "compare.sh: N and RUNS must be at least 1" >&2; exit 2; }

root=$(cd "$(dirname "$0")/../../.." && pwd)
SHARED=${SHARED:-$root/../shared}
gen=$SHARED/bench/gencorpus.py

missing=0
if ! command -v hugo >/dev/null; then echo "compare.sh: hugo not found" >&2; missing=1; fi
if [ ! -x /usr/bin/time ]; then echo "compare.sh: GNU time (/usr/bin/time) not found" >&2; missing=1; fi
if [ $missing = 1 ]; then
  echo "install them with: apt-get install -y --no-install-recommends hugo time" >&2
  exit 1
fi
for tool in go python3; do
  command -v $tool >/dev/null || { echo "compare.sh: $tool not found" >&2; exit 1; }
done
[ -f "$gen" ] || { echo "compare.sh: no $gen (set SHARED to the folder holding bench/gencorpus.py)" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dateline-compare.XXXXXX")
cleanup() {
  if [ -n "$KEEP" ]; then echo "scratch folder kept: $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
cp "$gen" "$scratch/gencorpus.py"
cd "$scratch"

echo "== $(date -u +%FT%TZ), $(nproc) CPUs, $(go version | cut -d' ' -f3-), $(hugo version | cut -d' ' -f1-2)"
echo "== corpus: $N reports, $((2 * N)) report pages, in $scratch"
python3 gencorpus.py --n "$N" --out corpus-dl --format dateline | sed 's/^/   /'
python3 gencorpus.py --n "$N" --out corpus-hugo >/dev/null
(cd "$root" && go build -o "$scratch/dateline" ./cmd/dateline)

# run NAME LOG: one timed build; prints "wall cpu rss_mib".
run() {
  local name=$1 log=$2 status=0
  case $name in
    dateline)
      # A full build: the build manifest (.cache/dateline/build.manifest) goes first;
      # the photo cache and the kept previous output stay, as Hugo's
      # resources/ and public/ do between its runs.
      rm -f "$scratch/corpus-dl/.cache/dateline/build.manifest"
      /usr/bin/time -v -o "$log" ./dateline build -s "$scratch/corpus-dl" -o "$scratch/out-dl" >"$log.out" 2>&1 || status=$? ;;
    dateline-again)
      # A second build of an unchanged site, build cache warm.
      /usr/bin/time -v -o "$log" ./dateline build -s "$scratch/corpus-dl" -o "$scratch/out-dl" >"$log.out" 2>&1 || status=$? ;;
    hugo) /usr/bin/time -v -o "$log" hugo --minify -s "$scratch/corpus-hugo" -d "$scratch/out-hugo" --quiet >"$log.out" 2>&1 || status=$? ;;
  esac
  if [ $status != 0 ]; then
    echo "compare.sh: $name failed (exit $status):" >&2
    tail -n 20 "$log.out" >&2
    exit 1
  fi
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time|System time/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "%.2f %.2f %.0f\n", wall, cpu, rss }' "$log"
}

mkdir -p logs
echo "== warm-up (not counted)"
# Dateline builds into the folder it kept from the build before last
# (.cache/dateline/output) and swaps it with the output: two builds fill
# both, as one fills Hugo's public/. A build without them is timed apart,
# at the end.
read -r w c m < <(run dateline logs/warm-dateline)
echo "   dateline: ${w}s wall; $(tail -n 1 logs/warm-dateline.out)"
read -r w c m < <(run dateline logs/warm-dateline2)
echo "   dateline: ${w}s wall (second warm-up)"
read -r w c m < <(run hugo logs/warm-hugo)
echo "   hugo:     ${w}s wall"
echo "   output: dateline $(find out-dl -name '*.html' | wc -l) HTML files, $(du -sm out-dl | cut -f1) MiB;" \
  "hugo $(find out-hugo -name '*.html' | wc -l) HTML files, $(du -sm out-hugo | cut -f1) MiB"

printf '\n%-4s | %8s %7s %8s | %8s %7s %8s | %7s %7s %7s\n' run dl_wall dl_cpu dl_MiB hugo_wall hugo_cpu hugo_MiB wall_x cpu_x mem_x
rows=()
for r in $(seq 1 "$RUNS"); do
  if [ $((r % 2)) = 1 ]; then order="dateline hugo"; else order="hugo dateline"; fi
  for name in $order; do
    read -r w c m < <(run "$name" "logs/run$r-$name")
    if [ "$name" = dateline ]; then dw=$w dc=$c dm=$m; else hw=$w hc=$c hm=$m; fi
  done
  row=$(awk -v dw="$dw" -v dc="$dc" -v dm="$dm" -v hw="$hw" -v hc="$hc" -v hm="$hm" 'BEGIN {
    printf "%s %s %s %s %s %s %.2f %.2f %.2f", dw, dc, dm, hw, hc, hm, hw / dw, hc / dc, dm / hm }')
  rows+=("$row")
  set -- $row
  printf '%-4s | %8s %7s %8s | %8s %7s %8s | %7s %7s %7s\n' "$r" "$@"
done

# summary: one line per metric, median and min–max over the runs.
printf '%s\n' "${rows[@]}" | awk -v n="$N" -v runs="$RUNS" '
  function med(col,   i, j, t, v, k) {
    for (i = 1; i <= NR; i++) v[i] = x[i, col]
    for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    lo = v[1]; hi = v[NR]
    k = int((NR + 1) / 2)
    return (NR % 2) ? v[k] : (v[k] + v[k + 1]) / 2
  }
  { for (i = 1; i <= NF; i++) x[NR, i] = $i }
  END {
    printf "\n== %d report pages, %d runs: medians (min-max)\n", 2 * n, runs
    printf "%-14s | %-22s | %-22s | %s\n", "", "Dateline", "Hugo --minify", "ratio"
    m = med(1); a = sprintf("%.2f (%.2f-%.2f)", m, lo, hi)
    m = med(4); b = sprintf("%.2f (%.2f-%.2f)", m, lo, hi)
    m = med(7); printf "%-14s | %-22s | %-22s | Hugo/Dateline %.2fx (%.2f-%.2f)\n", "wall s", a, b, m, lo, hi
    m = med(2); a = sprintf("%.2f (%.2f-%.2f)", m, lo, hi)
    m = med(5); b = sprintf("%.2f (%.2f-%.2f)", m, lo, hi)
    m = med(8); printf "%-14s | %-22s | %-22s | Hugo/Dateline %.2fx (%.2f-%.2f)\n", "CPU s", a, b, m, lo, hi
    m = med(3); a = sprintf("%.0f (%.0f-%.0f)", m, lo, hi)
    m = med(6); b = sprintf("%.0f (%.0f-%.0f)", m, lo, hi)
    m = med(9); printf "%-14s | %-22s | %-22s | Dateline/Hugo %.2fx (%.2f-%.2f)\n", "peak RSS MiB", a, b, m, lo, hi
    m = med(1); printf "Dateline: %.2f ms wall per report page; ", 1000 * m / (2 * n)
    m = med(4); printf "Hugo: %.2f ms\n", 1000 * m / (2 * n)
  }'

# A second build of the unchanged site (issue #6, target 4): the build
# cache is warm after a full build; the output must equal a clean build's.
# It carries every page of the live output into the kept folder. Full
# builds leave the kept folder's unchanged pages linked to the live ones
# (publish links a page that has the live page's bytes), so the second
# build should take as long as the third, the rebuild after a rebuild (a
# newsroom's usual case); both are shown so that a gap between them shows.
echo
echo "== second build of the unchanged site (build cache warm, first after full builds)"
run dateline logs/again-fill >/dev/null
read -r w c m < <(run dateline-again logs/again)
echo "   dateline: ${w}s wall, ${c} CPU s, ${m} MiB; $(tail -n 1 logs/again.out)"
echo "== third build of the unchanged site (after an unchanged one)"
read -r w c m < <(run dateline-again logs/again3)
echo "   dateline: ${w}s wall, ${c} CPU s, ${m} MiB; $(tail -n 1 logs/again3.out)"
DATELINE_CACHE="$scratch/clean-cache" ./dateline build -s "$scratch/corpus-dl" -o "$scratch/out-clean" >logs/clean.out 2>&1
if diff -r -q "$scratch/out-clean" "$scratch/out-dl" >logs/clean.diff; then
  echo "   output: byte-identical to a clean build ($(find out-dl -type f | wc -l) files)"
else
  echo "   output: DIFFERS from a clean build:"; head -n 5 logs/clean.diff | sed 's/^/     /'
fi

# A full build with no kept output and no build cache: every folder and
# file of the output is made anew, as from a clean checkout.
echo
echo "== a full build with nothing kept (no .cache/dateline/output or build cache; photo cache warm)"
rm -rf "$scratch/corpus-dl/.cache/dateline/output"
read -r w c m < <(run dateline logs/cold)
echo "   dateline: ${w}s wall, ${c} CPU s, ${m} MiB"
