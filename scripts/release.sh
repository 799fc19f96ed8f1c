#!/usr/bin/env bash
# Maintainers: builds the downloads for the office PCs, on Debian/Ubuntu, into dist/:
#   jianbao-<version>-windows-x86_64.zip    Windows 10 or later, 64-bit (Rust's std needs
#                                           ProcessPrng and WaitOnAddress: not Windows 7/8)
#   jianbao-<version>-linux-aarch64.tar.gz  ARM64 Linux (Kylin, UOS), glibc
# Each holds the stripped program, 使用说明.txt, the sample data folder and the licence of the
# fonts built into the program (Fandol: GPL-3.0 with the font exception).
# Needs once:
#   rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-gnu
#   apt-get install gcc-mingw-w64-x86-64 gcc-aarch64-linux-gnu
# Check the result with scripts/check-release.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
# Archive entries get one fixed time: the last commit's, so the same commit gives the same archives.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}

# Shipped binaries are built whole, not incrementally (Cargo.toml turns that on for the edit loop).
export CARGO_PROFILE_RELEASE_INCREMENTAL=false
cargo build --release --locked --bin jianbao --target x86_64-pc-windows-gnu
cargo build --release --locked --bin jianbao --target aarch64-unknown-linux-gnu

rm -rf dist && mkdir -p dist
stage() { # stage NAME BINARY STRIP LINE-ENDINGS
  local dir="dist/$1"
  mkdir -p "$dir/字体许可"
  cp "$2" "$dir/"
  "$3" --strip-all "$dir/$(basename "$2")"
  cp -r data "$dir/data"
  cp fonts/COPYING-Fandol.txt fonts/README-Fandol.txt "$dir/字体许可/"
  if [ "$4" = crlf ]; then
    # Notepad on older Windows 10 wants CRLF; the BOM tells it the text is UTF-8.
    printf '\xef\xbb\xbf' > "$dir/使用说明.txt"
    sed 's/$/\r/' scripts/使用说明.txt >> "$dir/使用说明.txt"
  else
    cp scripts/使用说明.txt "$dir/使用说明.txt"
  fi
  find "$dir" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

win="jianbao-$version-windows-x86_64"
stage "$win" target/x86_64-pc-windows-gnu/release/jianbao.exe x86_64-w64-mingw32-strip crlf
# Names flagged UTF-8 (zip -X would store them unflagged, and Explorer would read them as GBK).
cargo run --release --locked -q --bin release_zip -- "dist/$win" "dist/$win.zip"

arm="jianbao-$version-linux-aarch64"
stage "$arm" target/aarch64-unknown-linux-gnu/release/jianbao aarch64-linux-gnu-strip lf
tar -C dist --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -cf - "$arm" | gzip -n -9 > "dist/$arm.tar.gz"

ls -l dist/*.zip dist/*.tar.gz
