//! Every diagnostic code the program can emit is explained in docs/诊断代码.md, and every
//! code explained there is one the program can emit.

use crate::common;

use std::collections::BTreeSet;

/// `E-MONTH-RANGE`-like words in `text`.
fn codes(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len() {
        let starts = matches!(chars[i], 'E' | 'W' | 'N' | 'P')
            && chars.get(i + 1) == Some(&'-')
            && (i == 0 || !chars[i - 1].is_ascii_alphanumeric() && chars[i - 1] != '-');
        if !starts {
            continue;
        }
        let code: String = chars[i..].iter().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == '-').collect();
        let code = code.trim_end_matches('-').to_string();
        if code.len() > 2 && code[2..].chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            out.insert(code);
        }
    }
    out
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    // Codes as string literals in the program's sources (tests and sample data aside).
    let mut emitted = BTreeSet::new();
    for e in walkdir::WalkDir::new(common::repo().join("src")) {
        let e = e.unwrap();
        let path = e.path();
        if path.extension().is_some_and(|x| x == "rs") && !path.to_string_lossy().contains("/sample/") && !path.ends_with("tests.rs") {
            let text = std::fs::read_to_string(path).unwrap();
            // Only the code before the unit tests of a file.
            let text = text.split("#[cfg(test)]").next().unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                if codes(literal).iter().any(|c| c == literal) {
                    emitted.insert(literal.to_string());
                }
            }
        }
    }
    let doc = std::fs::read_to_string(common::repo().join("docs/诊断代码.md")).unwrap();
    let documented: BTreeSet<String> = doc.lines().filter(|l| l.starts_with("| ")).flat_map(|l| codes(l.split('|').nth(1).unwrap_or(""))).collect();
    let undocumented: Vec<&String> = emitted.difference(&documented).collect();
    let unknown: Vec<&String> = documented.difference(&emitted).collect();
    assert!(undocumented.is_empty(), "emitted but not in docs/诊断代码.md: {undocumented:?}");
    assert!(unknown.is_empty(), "in docs/诊断代码.md but never emitted: {unknown:?}");
    assert!(emitted.len() > 50, "{emitted:?}");
}
