//! Files other programs wrote (Apache POI's test data, `tests/fixtures/poi/`, credited there):
//! each, dropped into a data folder as a township's workbook and as a 信息稿, is read or told
//! by name in Chinese, never a panic. `scripts/corpus.sh` runs POI's whole corpus the same way.

use jianbao::diag::Severity;

use crate::common::{repo, TestData};

/// What a check says of the file: `read` (no error, no skip), or the code of the first error or
/// skip note that names it.
fn outcome(place: &str, name: &str) -> (String, String) {
    let d = TestData::new();
    let rel = match place {
        "workbook" => format!("submissions/2018-03/{name}"),
        _ => format!("稿件/2018-03/{name}"),
    };
    d.write(&rel, &std::fs::read(repo().join("tests/fixtures/poi").join(name)).unwrap());
    let checked = jianbao::check(&d.options()).unwrap();
    let about = |d: &&jianbao::diag::Diagnostic| d.file == rel || d.file.starts_with(&format!("{rel}/"));
    let told = checked.diagnostics.iter().filter(about).find(|d| d.severity == Severity::Error || d.code == "N-SKIPPED");
    match told {
        Some(d) => (d.code.clone(), d.message.clone()),
        None => ("read".into(), String::new()),
    }
}

/// Each file, what it is, and what a check says of it as a workbook and as a piece.
const FILES: &[(&str, &str, &str)] = &[
    // An empty ZIP: nothing to read in it, said as such.
    ("invalid.xlsx", "E-ARCHIVE", "N-SKIPPED"),
    // Lower-case part names are still a workbook, never an archive of XML files; not ours.
    ("49609.xlsx", "E-SHEET", "N-SKIPPED"),
    // An Office package with no document (a theme): not a workbook, not a piece.
    ("stress025.docx", "N-SKIPPED", "E-PIECE-READ"),
    ("60320-protected.xlsx", "E-PASSWORD", "N-SKIPPED"),
    ("ReferencePtg.xls", "E-TOO-LARGE", "N-SKIPPED"),
    ("clusterfuzz-POIHSSFFuzzer-4651309315719168.xls", "E-FORMAT", "N-SKIPPED"),
    ("54764-2.xlsx", "E-OPEN", "N-SKIPPED"),
    // Excel 3 wrote no compound file: told as a file of no known format.
    ("testEXCEL_3.xls", "E-FORMAT", "N-SKIPPED"),
    ("TestBug44375.xls", "E-SHEET", "N-SKIPPED"),
    // Word documents: skipped among the workbooks; as pieces read, or refused by name.
    ("58067.docx", "N-SKIPPED", "read"),
    ("52449.docx", "N-SKIPPED", "E-GLYPH"),
    ("52117.doc", "N-SKIPPED", "E-PIECE-READ"),
    // Encrypted, a Word document cannot be told from a workbook: a password, either way.
    ("bug53475-password-is-pass.docx", "E-PASSWORD", "E-PIECE-READ"),
    ("61470.docx", "N-SKIPPED", "read"),
    ("PngPicture.doc", "N-SKIPPED", "read"),
];

#[test]
fn every_file_of_other_writers_is_read_or_told_by_name_in_chinese() {
    let mut wrong = Vec::new();
    for (name, as_workbook, as_piece) in FILES {
        for (place, expected) in [("workbook", as_workbook), ("piece", as_piece)] {
            let (code, message) = outcome(place, name);
            if code != *expected {
                wrong.push(format!("{name} as {place}: {code} (expected {expected}): {message}"));
            }
            // Chinese, whatever the dependency said: no run of Latin letters but the file's
            // own words (quoted, or its sheets' names), font names and file types.
            let unquoted: String = message.split('“').map(|s| s.split_once('”').map_or(s, |(_, rest)| rest)).collect();
            let unquoted = unquoted.split("现有工作表：").next().unwrap_or_default();
            let ours = |w: &str| ["docx", "xlsx", "Word", "Excel", "fonts"].contains(&w) || w.starts_with("Fandol");
            let latin = unquoted.split(|c: char| !c.is_ascii_alphabetic()).find(|w| w.len() >= 4 && !ours(w));
            if let Some(w) = latin {
                wrong.push(format!("{name} as {place}: “{w}” in {message}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
