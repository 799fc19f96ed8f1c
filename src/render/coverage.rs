//! Glyph coverage: every character of the data must be in the fonts that set it. Typst would
//! otherwise draw a blank box without a warning and lose the character from the text layer.

use std::collections::HashMap;

use typst::text::{FontBook, FontVariant};

use crate::config::FontRoles;
use crate::diag::Diagnostic;
use crate::submission::{Report, PROJECTS, VILLAGES};

/// The first data role in which no family of its list (as Typst falls back along it) has `c`:
/// its name and the families tried.
pub fn missing_in(book: &FontBook, roles: &FontRoles, c: char) -> Option<String> {
    if c.is_whitespace() || c.is_control() {
        return None;
    }
    roles.data_roles().into_iter().find_map(|(role, families)| {
        let covered = families.iter().any(|family| {
            let index = book.select(&family.to_lowercase(), FontVariant::default());
            index.and_then(|i| book.info(i)).is_some_and(|info| info.coverage.contains(c as u32))
        });
        (!covered).then(|| format!("{role}（{}）", families.join("、")))
    })
}

/// One diagnostic per (value, missing character), at the value's cell.
pub fn check(book: &FontBook, roles: &FontRoles, reports: &[Report]) -> Vec<Diagnostic> {
    let mut c = Checker { book, roles, known: HashMap::new(), out: Vec::new() };
    for r in reports {
        for v in &r.villages {
            c.value(&r.file, VILLAGES, &v.cells.name, "村名", &v.name);
            c.value(&r.file, VILLAGES, &v.cells.remark, "备注", &v.remark);
        }
        for p in &r.projects {
            c.value(&r.file, PROJECTS, &p.name_cell, "项目名称", &p.name);
            if let Some(village) = &p.village {
                c.value(&r.file, PROJECTS, &p.village_cell, "所在村", village);
            }
        }
    }
    c.out
}

struct Checker<'a> {
    book: &'a FontBook,
    roles: &'a FontRoles,
    /// Each distinct character is looked up once (the same names recur in every month).
    known: HashMap<char, Option<String>>,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn value(&mut self, file: &str, sheet: &str, cell: &str, what: &str, value: &str) {
        let mut seen = Vec::new();
        for c in value.chars() {
            if seen.contains(&c) {
                continue;
            }
            seen.push(c);
            let (book, roles) = (self.book, self.roles);
            if let Some(family) = self.known.entry(c).or_insert_with(|| missing_in(book, roles, c)) {
                let msg = format!(
                    "{what}“{value}”中的字符“{c}”（U+{:04X}）在字体 {family} 中没有字形，印出来会是空白方框。\
                     请核实是否为错别字或生僻字；确需使用时，请在 fonts/ 中加入包含此字的字体。",
                    c as u32
                );
                self.out.push(Diagnostic::error("E-GLYPH", file, msg).at_cell(sheet, cell.to_string()));
            }
        }
    }
}
