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

/// The note at the top of `init`'s editable copy of the narrative of `document` (a kind's
/// narratives are listed by its registry: `documents::kinds::narratives`).
fn copy_note(document: &str) -> String {
    format!(
        "{{#- 本文件是《{document}》正文的模板，由 jianbao init 从内置模板复制，可直接修改其中的文字。\n    \
         {{{{ … }}}} 处由程序填入数字和名称（自动转义，不会被当作排版指令）；{{% … %}} 是条件和循环。\n    \
         模板有误时，生成会停止并指出文件和行号。删除本文件即恢复使用内置模板；升级 jianbao 不会改动本文件。 -#}}\n"
    )
}

/// An editable copy of a built-in narrative template, with a note at the top.
pub fn narrative_copy(name: &str, document: &str) -> Option<String> {
    let text = std::str::from_utf8(template(name)?.bytes).ok()?;
    Some(format!("{}{text}", copy_note(document)))
}

/// Whether a data folder's template is the copy `jianbao init` made of a built-in one, unchanged:
/// the built-in text under the note, whichever document the note names.
pub fn is_init_copy(name: &str, bytes: &[u8]) -> bool {
    let Some(note) = template(name).and_then(|t| bytes.strip_suffix(t.bytes)).and_then(|n| std::str::from_utf8(n).ok()) else { return false };
    let document = note.split_once('《').and_then(|(_, rest)| rest.split_once('》')).map(|(d, _)| d);
    document.is_some_and(|d| note == copy_note(d))
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
