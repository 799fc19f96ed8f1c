#!/usr/bin/env bash
# Whether a change of the code changed any output: builds the sample and the county-scale data
# (12 townships × 36 months) into <dir>/sample and <dir>/county with this checkout's program,
# then, given a second folder made the same way before the change, compares every file of both
# trees byte for byte. Left out: the record of input stamps (file times) and the build record
# (`.jianbao/build.json`: its keys hold the program's build id, a hash of the sources, so that
# a new program makes everything anew).
#
#   git checkout <before> && scripts/same-outputs.sh /tmp/before
#   git checkout <after>  && scripts/same-outputs.sh /tmp/after /tmp/before
set -euo pipefail
dir=${1:?"usage: scripts/same-outputs.sh <dir> [<dir of before>]"}
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --manifest-path "$root/Cargo.toml" --bins
bin=$root/target/release
rm -rf "$dir" && mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
(cd "$root" && "$bin/gen-sample" --county-scale "$dir/county-data" >/dev/null)
for set in sample county; do
    data=$root/data
    [ "$set" = county ] && data=$dir/county-data
    "$bin/jianbao" build --data "$data" --out "$dir/$set" --today 2021-01-10 >/dev/null || true
    "$bin/jianbao" build --data "$data" --out "$dir/$set-ofd" --today 2021-01-10 --formats pdf,ofd >/dev/null || true
done
rm -rf "$dir/county-data"
find "$dir" \( -path '*/.jianbao/stamps.json' -o -path '*/.jianbao/build.json' \) -delete
if [ -n "${2:-}" ]; then
    if diff -r "$2" "$dir" >"$dir.diff"; then
        echo "Same: $(find "$dir" -type f | wc -l) files, every one byte-identical to $2"
    else
        echo "Different:"; cat "$dir.diff"; exit 1
    fi
fi
