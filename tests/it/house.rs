//! The house rules on imports, read off the `use` lines and paths of `src/`: every module
//! imports only its own stage or the stages below it (the order `src/README.md` gives), nothing
//! imports from the crate root (`lib.rs` only re-exports), and no files import each other,
//! directly or round a circle. Test code (`#[cfg(test)] mod …`) is left out.

use crate::common;
use std::collections::{BTreeMap, BTreeSet};

/// The stages, lowest first: each a folder of `src/`. A module may import its own stage and
/// those below it.
const STAGES: &[&str] = &["base", "setup", "reading", "seen", "validate", "figures", "office", "render", "check", "documents", "commands"];

/// The source files: module path (`submission::grid`) → text without its test module.
fn sources() -> BTreeMap<String, String> {
    let src = common::repo().join("src");
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = e.path().strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        let module = parts.join("::");
        let text = std::fs::read_to_string(e.path()).unwrap();
        let code = text.find("#[cfg(test)]\nmod ").map_or(text.as_str(), |i| &text[..i]);
        let code: String = code.lines().map(|l| l.split("//").next().unwrap()).collect::<Vec<_>>().join("\n");
        out.insert(module, code);
    }
    out
}

/// Every path a `use` statement names, braces expanded (`a::{b, c::d}` → `a::b`, `a::c::d`).
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap().trim();
        out.push(if prefix.is_empty() { path.to_string() } else { format!("{prefix}{path}") });
        return;
    };
    let prefix = format!("{prefix}{}", &tree[..open]);
    let inner = &tree[open + 1..tree.rfind('}').unwrap()];
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&prefix, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        expand(&prefix, &inner[start..], out);
    }
}

/// Every `crate::…`, `super::…` and `self::…` path in a file: its `use` trees and its code.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().last();
        let end = rest[i..].find(';').map_or(rest.len(), |e| i + e);
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') {
            expand("", &rest[i + 4..end], &mut out);
        }
        rest = &rest[end.min(rest.len() - 1) + 1..];
    }
    let bytes = code.as_bytes();
    for start in ["crate::", "super::"] {
        for (i, _) in code.match_indices(start) {
            if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':') {
                continue;
            }
            let len = code[i..].find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(code.len() - i);
            out.push(code[i..i + len].trim_end_matches(':').to_string());
        }
    }
    out.retain(|p| p.starts_with("crate::") || p.starts_with("super::") || p.starts_with("self::"));
    out
}

/// The module a path from `module` lands in: the deepest source file it names (`lib` for
/// the crate root). Each `super` is the parent module, whether the file is `x.rs` or `x/mod.rs`.
fn target(module: &str, path: &str, files: &BTreeMap<String, String>) -> String {
    let mut segs: Vec<&str> = module.split("::").collect();
    let mut parts = path.split("::").peekable();
    match parts.peek().copied() {
        Some("crate") => {
            segs.clear();
            parts.next();
        }
        Some("self") => {
            parts.next();
        }
        _ => {
            while parts.peek() == Some(&"super") {
                parts.next();
                segs.pop();
            }
        }
    }
    let mut best = if segs.is_empty() { "lib".to_string() } else { segs.join("::") };
    for p in parts {
        segs.push(p);
        let m = segs.join("::");
        if !files.contains_key(&m) {
            break;
        }
        best = m;
    }
    best
}

fn stage(module: &str) -> usize {
    let top = module.split("::").next().unwrap();
    STAGES.iter().position(|s| *s == top).unwrap_or_else(|| panic!("module {top} is in no stage: put it in a stage's folder (src/README.md)"))
}

#[test]
fn modules_import_only_downwards_never_from_the_root_and_no_files_import_each_other() {
    let files = sources();
    let roots: BTreeSet<&str> = files.keys().filter(|k| !k.contains("::")).map(String::as_str).collect();
    let (mut problems, mut edges) = (Vec::new(), BTreeMap::<String, BTreeSet<String>>::new());
    // The programs (`cli`, `bin`) are crates of their own that use the library's public API.
    let library = files.iter().filter(|(m, _)| *m != "lib" && !m.starts_with("cli") && !m.starts_with("bin"));
    for (module, code) in library {
        for path in paths(code) {
            let to = target(module, &path, &files);
            let first = path.strip_prefix("crate::").map(|p| p.split("::").next().unwrap());
            if to == "lib" || first.is_some_and(|f| !roots.contains(f)) {
                problems.push(format!("{module}: {path} imports from the crate root"));
                continue;
            }
            if to == *module || to.starts_with(&format!("{module}::")) {
                continue; // itself, or a parent using its children
            }
            if stage(&to) > stage(module) {
                problems.push(format!("{module}: {path} runs back up (to {to})"));
            }
            edges.entry(module.clone()).or_default().insert(to);
        }
    }
    problems.extend(circles(&edges).into_iter().map(|c| format!("import circle: {}", c.join(" → "))));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(edges.values().map(BTreeSet::len).sum::<usize>() > 200, "too few imports found: the scan is broken");
}

/// The circles of a graph: each strongly connected group of more than one module.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.keys().chain(edges.values().flatten()).collect();
    let reach = |from: &String| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![from.clone()]);
        while let Some(n) = todo.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let all: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for n in &nodes {
        let group: Vec<String> = nodes.iter().filter(|m| all[*n].contains(**m) && all[**m].contains(*n)).map(|m| (*m).clone()).collect();
        if group.len() > 1 && !out.contains(&group) {
            out.push(group);
        }
    }
    out
}

#[test]
fn the_scan_finds_circles_back_ups_and_root_imports() {
    let files: BTreeMap<String, String> =
        [("a", ""), ("b", ""), ("lib", ""), ("a::x", ""), ("a::y", "")].into_iter().map(|(k, v)| (k.into(), v.into())).collect();
    let mut got = Vec::new();
    expand("", "crate::{a::{x, y::Z}, b as c}", &mut got);
    assert_eq!(got, ["crate::a::x", "crate::a::y::Z", "crate::b"]);
    assert_eq!(target("a::x", "super::y::Z", &files), "a::y");
    assert_eq!(target("a::x", "super::Thing", &files), "a");
    assert_eq!(target("a", "super::b::Q", &files), "b");
    assert_eq!(target("a", "super::Checked", &files), "lib");
    assert_eq!(target("a::x", "crate::b::Q", &files), "b");
    assert_eq!(paths("use super::{y, Z};\nfn f() { crate::b::g(); }"), ["super::y", "super::Z", "crate::b::g"]);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in [("a::x", "a::y"), ("a::y", "a::x"), ("a::y", "b")] {
        edges.entry(from.into()).or_default().insert(to.into());
    }
    assert_eq!(circles(&edges), [vec!["a::x".to_string(), "a::y".to_string()]]);
    assert!(stage("render::ofd") > stage("figures::aggregate"));
}

/// `src/`'s root holds `lib.rs`, its README, one folder per stage and the programs' folders.
#[test]
fn the_source_root_is_the_stage_folders() {
    let mut found: Vec<String> =
        std::fs::read_dir(common::repo().join("src")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    found.sort();
    let mut expected: Vec<String> = STAGES.iter().map(|s| s.to_string()).chain(["lib.rs", "README.md", "cli", "bin"].map(String::from)).collect();
    expected.sort();
    assert_eq!(found, expected);
    let readme = std::fs::read_to_string(common::repo().join("src/README.md")).unwrap();
    let readme = &readme[readme.find("## How the stages import").expect("the stage list")..];
    let listed: Vec<usize> = STAGES.iter().map(|s| readme.find(&format!("`{s}/`")).unwrap_or_else(|| panic!("src/README.md does not list `{s}/`"))).collect();
    assert!(listed.windows(2).all(|w| w[0] > w[1]), "src/README.md lists the stages highest first");
}
