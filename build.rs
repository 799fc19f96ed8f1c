//! Build script: compiles the templates and fonts into the program (`bundled.rs` in OUT_DIR,
//! included by `src/bundled.rs`), with their SHA-256, and derives the program's build id from
//! everything that makes the program: its sources, templates, fonts, Cargo.toml and Cargo.lock.
//! The same sources give the same id on any machine; any change gives another.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `/`-separated path below the package root.
fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap().components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut all = Vec::new();
    for dir in ["src", "templates", "fonts"] {
        println!("cargo:rerun-if-changed={dir}");
        files(&root.join(dir), &mut all);
    }
    for f in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={f}");
        all.push(root.join(f));
    }
    all.retain(|p| p.is_file());
    all.sort_by_key(|p| rel(&root, p));

    let mut id = Sha256::new();
    let mut bundled = String::new();
    let mut templates = String::new();
    let mut fonts = String::new();
    for p in &all {
        let bytes = std::fs::read(p).unwrap();
        let (name, sha) = (rel(&root, p), hex(&bytes));
        for part in [name.as_bytes(), sha.as_bytes()] {
            id.update((part.len() as u64).to_le_bytes());
            id.update(part);
        }
        let file = p.file_name().unwrap().to_string_lossy();
        let entry = format!("    Bundled {{ name: {file:?}, bytes: include_bytes!({:?}), sha256: {sha:?} }},\n", p.display().to_string());
        let ext = p.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if name.starts_with("templates/") && !file.starts_with('.') {
            templates.push_str(&entry);
        } else if name.starts_with("fonts/") && ["otf", "ttf", "ttc", "otc"].contains(&ext.as_str()) {
            fonts.push_str(&entry);
        }
    }
    let id: String = hex(&id.finalize())[..16].to_string();
    writeln!(bundled, "/// The program's build id: a hash of its sources, templates, fonts and Cargo.lock.").unwrap();
    writeln!(bundled, "pub const BUILD_ID: &str = {id:?};").unwrap();
    writeln!(bundled, "/// The templates compiled into the program.\npub static TEMPLATES: &[Bundled] = &[\n{templates}];").unwrap();
    writeln!(bundled, "/// The fonts compiled into the program.\npub static FONTS: &[Bundled] = &[\n{fonts}];").unwrap();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled.rs");
    std::fs::write(out, bundled).unwrap();
}
