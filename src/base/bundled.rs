//! The templates and fonts compiled into the program, and its build id (made by `build.rs`
//! from the sources): the defaults that let an installed `jianbao` run in any folder.

/// A file compiled into the program.
#[derive(Debug)]
pub struct Bundled {
    pub name: &'static str,
    pub bytes: &'static [u8],
    /// SHA-256 of `bytes`, lowercase hex (computed when the program was built).
    pub sha256: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The built-in template of that name.
pub fn template(name: &str) -> Option<&'static Bundled> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// The narrative templates an office edits, with what each one writes.
pub const NARRATIVES: &[(&str, &str)] = &[
    ("bulletin-narrative.typ.j2", "工作简报"),
    ("summary-narrative.typ.j2", "季度汇总"),
    ("year-narrative.typ.j2", "年度总结"),
    ("plan-narrative.typ.j2", "规划完成情况"),
];

/// An editable copy of a built-in narrative template, with a note at the top.
pub fn narrative_copy(name: &str, document: &str) -> Option<String> {
    let text = std::str::from_utf8(template(name)?.bytes).ok()?;
    Some(format!(
        "{{#- 本文件是《{document}》正文的模板，由 jianbao init 从内置模板复制，可直接修改其中的文字。\n    \
         {{{{ … }}}} 处由程序填入数字和名称（自动转义，不会被当作排版指令）；{{% … %}} 是条件和循环。\n    \
         模板有误时，生成会停止并指出文件和行号。删除本文件即恢复使用内置模板；升级 jianbao 不会改动本文件。 -#}}\n{text}"
    ))
}

/// Whether a data folder's template is the copy `jianbao init` made of a built-in one, unchanged.
pub fn is_init_copy(name: &str, bytes: &[u8]) -> bool {
    NARRATIVES.iter().find(|(n, _)| *n == name).and_then(|(n, doc)| narrative_copy(n, doc)).is_some_and(|copy| copy.as_bytes() == bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_carries_its_templates_and_fonts() {
        for name in ["gongwen.typ", "bulletin.typ", "summary.typ", "report.typ", "bulletin-narrative.typ.j2", "summary-narrative.typ.j2"] {
            let t = template(name).unwrap_or_else(|| panic!("{name} is not built in"));
            assert_eq!(crate::setup::inputs::sha256(t.bytes), t.sha256);
        }
        assert_eq!(FONTS.len(), 5, "the five Fandol faces");
        assert!(FONTS.iter().all(|f| f.name.starts_with("Fandol") && f.bytes.len() > 1_000_000));
        assert_eq!(BUILD_ID.len(), 16);
    }
}
