#!/usr/bin/env bash
# Runs jianbao over a corpus of other writers' office files (Apache POI's test-data, for one):
# each file is dropped into a small data folder once as a township's workbook and once as a
# 信息稿, and `jianbao check` reads it; a file read as a piece is then built into a bulletin.
# Each run is limited to 10 s; its exit, time and peak memory are recorded.
#
#   git clone --depth 1 https://github.com/apache/poi /tmp/poi   (or any folder of files)
#   scripts/corpus.sh /tmp/poi/test-data [results.tsv]
#
# Judged by what each file became: a piece is `read` when the bulletin's figures file lists it
# (printed), `unused` when it is read but not printed and a warning names it and says why.
# Prints a table: read, unused, refused with a diagnostic naming the file, skipped by its kind
# with a note naming it (N-SKIPPED: a Word file among the workbooks), panics, hangs, peak memory.
# A panic, a hang, a run over 350 MB or a refusal that does not name the file is listed by name
# and makes the script exit 1. Not part of CI: the corpus is large and not ours.
set -euo pipefail
corpus=${1:?"usage: scripts/corpus.sh <folder of .xls/.xlsx/.doc/.docx files> [results.tsv]"}
results=${2:-corpus-results.tsv}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${JIANBAO:-$root/target/release/jianbao}
[ -x "$bin" ] || cargo build --release --manifest-path "$root/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Whether <output> has a diagnostic of severity <word> (错误, 警告, 提示) naming <path> (or a
# sheet or part of it: `<path> › 标题`); with -n, prints its message (the line after it).
names() {
    awk -v sev="$1" -v rel="$2" -v show="${4:-}" '
        hit && show { sub(/^ +/, ""); print; exit }
        index($0, sev) == 1 && (substr($0, length($0) - length(rel) + 1) == rel || index($0, " " rel " › ")) { found = 1; hit = 1; next }
        END { exit !found }' "$3"
}
export -f names

# One run: <place> <file>. Writes a result line: place, file, outcome, seconds, peak KB, note.
run_one() {
    local place=$1 file=$2 dir name rel out rc secs kb outcome note
    dir=$(mktemp -d "$work/run.XXXXXX")
    name=$(basename "$file")
    mkdir -p "$dir/data/submissions/2018-03" "$dir/data/稿件/2018-03"
    cp "$root/data/plan.yaml" "$root/data/config.yaml" "$dir/data/"
    if [ "$place" = workbook ]; then rel="submissions/2018-03/$name"; else rel="稿件/2018-03/$name"; fi
    cp "$file" "$dir/data/$rel"
    set +e
    ( cd "$dir" && timeout -s KILL 10 /usr/bin/time -o time.txt -f "%e %M" "$bin" check --data data --out out >stdout.txt 2>stderr.txt )
    rc=$?
    if [ "$place" = piece ] && [ $rc -ne 101 ] && [ $rc -ne 137 ] && ! names 错误 "$rel" "$dir/stdout.txt" && ! grep -q "N-SKIPPED  $rel\$" "$dir/stdout.txt"; then
        # Read as a piece: print it in a bulletin, beside one township's report of the month.
        cp "$root/data/submissions/2018-03/南村乡2018年3月报表.xlsx" "$dir/data/submissions/2018-03/"
        ( cd "$dir" && timeout -s KILL 10 /usr/bin/time -o time.txt -f "%e %M" "$bin" build --data data --out out >stdout.txt 2>stderr.txt )
        rc=$?
    fi
    set -e
    read -r secs kb < <(tail -1 "$dir/time.txt" 2>/dev/null || echo "10 0")
    note=""
    if [ $rc -eq 137 ]; then
        outcome=hang
    elif [ $rc -eq 101 ] || grep -q "panicked" "$dir/stderr.txt"; then
        outcome=panic; note=$(grep -m1 panicked "$dir/stderr.txt" | tr '\t' ' ')
    elif names 错误 "$rel" "$dir/stdout.txt"; then
        outcome=refused; note=$(names 错误 "$rel" "$dir/stdout.txt" -n | tr '\t' ' ')
    elif names 提示 "$rel" "$dir/stdout.txt" && grep -q "N-SKIPPED  $rel\$" "$dir/stdout.txt"; then
        outcome=skipped; note=$(names 提示 "$rel" "$dir/stdout.txt" -n | tr '\t' ' ')
    elif [ $rc -ne 0 ]; then
        outcome=failed; note=$(head -c 300 "$dir/stderr.txt" "$dir/stdout.txt" | tr '\t\n' '  ')
    elif [ "$place" = piece ] && [ ! -f "$dir/out/2018-03/工作简报-2018年3月.pdf" ]; then
        outcome=failed; note="read, but no bulletin was made"
    elif [ "$place" = piece ] && ! grep -qF "\"file\": \"$rel\"" "$dir/out/2018-03/工作简报-2018年3月.json"; then
        # Not printed: a warning must say why (no text, a title only).
        if names 警告 "$rel" "$dir/stdout.txt"; then
            outcome=unused; note=$(names 警告 "$rel" "$dir/stdout.txt" -n | tr '\t' ' ')
        else
            outcome=failed; note="read, neither printed in the bulletin nor told why"
        fi
    else
        outcome=read; note=$(names 警告 "$rel" "$dir/stdout.txt" -n | tr '\t' ' ' || true)
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$place" "${file#"$corpus"/}" "$outcome" "$secs" "$kb" "$note"
    rm -rf "$dir"
}
export -f run_one
export work root bin corpus

find "$corpus" -type f \( -iname '*.xls' -o -iname '*.xlsx' -o -iname '*.xlsm' -o -iname '*.doc' -o -iname '*.docx' \) -print0 | sort -z >"$work/files"
{
    xargs -0 -P "$(nproc)" -I{} bash -c 'run_one workbook "$1"' _ {} <"$work/files"
    xargs -0 -P "$(nproc)" -I{} bash -c 'run_one piece "$1"' _ {} <"$work/files"
} >"$results"

awk -F'\t' '
    { n[$1]++; c[$1, $3]++; if ($5 > peak) { peak = $5; peakfile = $2 } if ($4 > slow) { slow = $4; slowfile = $2 } }
    $3 != "read" && $3 != "unused" && $3 != "refused" && $3 != "skipped" { bad++ }
    $5 > 350000 { bad++; big++ }
    END {
        printf "%-9s %6s %6s %7s %8s %8s %6s %6s %7s\n", "as", "files", "read", "unused", "refused", "skipped", "panic", "hang", "failed"
        for (p in n) printf "%-9s %6d %6d %7d %8d %8d %6d %6d %7d\n", p, n[p], c[p, "read"], c[p, "unused"], c[p, "refused"], c[p, "skipped"], c[p, "panic"], c[p, "hang"], c[p, "failed"]
        printf "peak memory %.1f MB (%s); slowest %.2f s (%s); over 350 MB: %d\n", peak / 1024, peakfile, slow, slowfile, big
        exit bad > 0
    }' "$results" || { echo "Problems (panic, hang, failed or over 350 MB):"; awk -F'\t' '($3 != "read" && $3 != "unused" && $3 != "refused" && $3 != "skipped") || $5 > 350000' "$results"; exit 1; }
echo "Each run: $results"
