//! Glyph coverage: every character of the data must be in the fonts that set it. Typst would
//! otherwise draw a blank box without a warning and lose the character from the text layer.

use std::collections::HashMap;

use typst::text::{FontBook, FontVariant};

use crate::base::diag::Diagnostic;
use crate::reading::submission::{Report, PROJECTS, VILLAGES};
use crate::setup::config::FontRoles;

/// The first data role in which no family of its list (as Typst falls back along it) has `c`:
/// its name and the families tried.
pub fn missing_in(book: &FontBook, roles: &FontRoles, c: char) -> Option<String> {
    missing_in_roles(book, &roles.data_roles(), c)
}

/// The first of `roles` in which no family of its list has `c`.
fn missing_in_roles(book: &FontBook, roles: &[(&str, &[String])], c: char) -> Option<String> {
    if c.is_whitespace() || c.is_control() {
        return None;
    }
    roles.iter().find_map(|(role, families)| {
        let covered = families.iter().any(|family| {
            let index = book.select(&family.to_lowercase(), FontVariant::default());
            index.and_then(|i| book.info(i)).is_some_and(|info| info.coverage.contains(c as u32))
        });
        (!covered).then(|| format!("{role}（{}）", families.join("、")))
    })
}

/// One diagnostic per (value, missing character), at the value's cell.
pub fn check(book: &FontBook, roles: &FontRoles, reports: &[Report], xun: &[crate::reading::submission::XunReport]) -> Vec<Diagnostic> {
    let mut c = Checker::new(book, roles.data_roles().to_vec());
    for r in reports {
        for v in &r.villages {
            c.value(&r.file, VILLAGES, &v.cells.name, "村名", &v.name);
            c.value(&r.file, VILLAGES, &v.cells.remark, "备注", &v.remark);
        }
        projects(&mut c, &r.file, &r.projects);
    }
    for r in xun {
        projects(&mut c, &r.file, &r.projects);
    }
    c.out
}

/// The project names and villages a document sets.
fn projects(c: &mut Checker, file: &str, projects: &[crate::reading::submission::ProjectRow]) {
    for p in projects {
        c.value(file, PROJECTS, &p.name_cell, "项目名称", &p.name);
        if let Some(village) = &p.village {
            c.value(file, PROJECTS, &p.village_cell, "所在村", village);
        }
    }
}

/// One diagnostic per (paragraph, missing character) of the pieces that are set: the title in
/// 楷体 (a level-2 heading), the body and source in 仿宋.
pub fn check_pieces(book: &FontBook, roles: &FontRoles, pieces: &[crate::reading::pieces::Piece]) -> Vec<Diagnostic> {
    let mut title = Checker::new(book, vec![("楷体", roles.kai.as_slice())]);
    let mut body = Checker::new(book, vec![("仿宋", roles.fang.as_slice())]);
    for p in pieces.iter().filter(|p| p.kind != crate::reading::pieces::Kind::LeftOut) {
        title.value(&p.file, "标题", "", "标题", &p.title);
        for (i, para) in p.texts().enumerate() {
            body.value(&p.file, &format!("正文第{}段", i + 1), "", "正文", para);
        }
        if let Some(source) = &p.source {
            body.value(&p.file, "来源", "", "来源", source);
        }
    }
    title.out.into_iter().chain(body.out).collect()
}

struct Checker<'a> {
    book: &'a FontBook,
    roles: Vec<(&'static str, &'a [String])>,
    /// Each distinct character is looked up once (the same names recur in every month).
    known: HashMap<char, Option<String>>,
    out: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn new(book: &'a FontBook, roles: Vec<(&'static str, &'a [String])>) -> Checker<'a> {
        Checker { book, roles, known: HashMap::new(), out: Vec::new() }
    }

    fn value(&mut self, file: &str, sheet: &str, cell: &str, what: &str, value: &str) {
        let mut seen = std::collections::HashSet::new();
        for c in value.chars() {
            if !seen.insert(c) {
                continue;
            }
            let (book, roles) = (self.book, &self.roles);
            if let Some(family) = self.known.entry(c).or_insert_with(|| missing_in_roles(book, roles, c)) {
                let shown: String = value.chars().take(30).collect();
                let value = if shown.len() < value.len() { format!("{shown}……") } else { shown };
                let msg = format!(
                    "{what}“{value}”中的字符“{c}”（U+{:04X}）在字体 {family} 中没有字形，印出来会是空白方框。\
                     请核实是否为错别字或生僻字；确需使用时，请在 fonts/ 中加入包含此字的字体。",
                    c as u32
                );
                let d = Diagnostic::error("E-GLYPH", file, msg);
                self.out.push(if cell.is_empty() { d.at_sheet(sheet) } else { d.at_cell(sheet, cell.to_string()) });
            }
        }
    }
}
