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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_carries_its_templates_and_fonts() {
        for name in ["gongwen.typ", "bulletin.typ", "summary.typ", "report.typ", "bulletin-narrative.typ.j2", "summary-narrative.typ.j2"] {
            let t = template(name).unwrap_or_else(|| panic!("{name} is not built in"));
            assert_eq!(crate::inputs::sha256(t.bytes), t.sha256);
        }
        assert_eq!(FONTS.len(), 5, "the five Fandol faces");
        assert!(FONTS.iter().all(|f| f.name.starts_with("Fandol") && f.bytes.len() > 1_000_000));
        assert_eq!(BUILD_ID.len(), 16);
    }
}
