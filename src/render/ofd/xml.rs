//! The XML parts of an OFD package, written with `quick-xml` (which escapes every attribute
//! and text: a value from a workbook is never markup), and the number formats they use.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// The OFD namespace (GB/T 33190-2016).
pub const NAMESPACE: &str = "http://www.ofdspec.org/2016";

/// One XML part being written. Element names are given without the `ofd:` prefix.
pub struct Xml {
    writer: Writer<Vec<u8>>,
    root: bool,
}

impl Xml {
    pub fn new() -> Xml {
        let mut writer = Writer::new(Vec::new());
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).expect("in memory");
        Xml { writer, root: true }
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> BytesStart<'static> {
        let mut e = BytesStart::new(format!("ofd:{name}"));
        if std::mem::take(&mut self.root) {
            e.push_attribute(("xmlns:ofd", NAMESPACE));
        }
        for (k, v) in attrs {
            e.push_attribute((*k, *v));
        }
        e
    }

    /// `<ofd:name attrs>`; children follow until `close(name)`.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Xml {
        let e = self.start(name, attrs);
        self.writer.write_event(Event::Start(e)).expect("in memory");
        self
    }

    pub fn close(&mut self, name: &str) -> &mut Xml {
        self.writer.write_event(Event::End(BytesEnd::new(format!("ofd:{name}")))).expect("in memory");
        self
    }

    /// `<ofd:name attrs/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Xml {
        let e = self.start(name, attrs);
        self.writer.write_event(Event::Empty(e)).expect("in memory");
        self
    }

    /// `<ofd:name attrs>text</ofd:name>`, the text escaped.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Xml {
        self.open(name, attrs);
        self.writer.write_event(Event::Text(BytesText::new(text))).expect("in memory");
        self.close(name)
    }

    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }
}

/// A length in millimetres as OFD writes it: at most three decimals, no trailing zeros, no `-0`.
pub fn num(v: f64) -> String {
    let s = format!("{:.3}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Numbers separated by spaces (`ST_Array`).
pub fn nums(vs: &[f64]) -> String {
    vs.iter().map(|v| num(*v)).collect::<Vec<_>>().join(" ")
}

/// A `DeltaX`/`DeltaY` list, runs of three or more equal values written as `g N value`.
pub fn deltas(vs: &[f64]) -> String {
    let shown: Vec<String> = vs.iter().map(|v| num(*v)).collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < shown.len() {
        let run = shown[i..].iter().take_while(|s| **s == shown[i]).count();
        if run >= 3 {
            out.push(format!("g {run} {}", shown[i]));
        } else {
            out.extend(shown[i..i + run].iter().cloned());
        }
        i += run;
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(5.6449), "5.645");
        assert_eq!(num(210.0), "210");
        assert_eq!(deltas(&[5.6, 5.6, 5.6, 1.0, 2.0, 2.0]), "g 3 5.6 1 2 2");
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut x = Xml::new();
        x.open("Root", &[("Name", "a\"<b>&")]).leaf("T", &[], "#set page(<x>) & </ofd:T>").close("Root");
        let s = String::from_utf8(x.finish()).unwrap();
        assert!(s.contains("xmlns:ofd=\"http://www.ofdspec.org/2016\""));
        assert!(s.contains("Name=\"a&quot;&lt;b&gt;&amp;\""));
        assert!(s.contains("#set page(&lt;x&gt;) &amp; &lt;/ofd:T&gt;"));
    }
}
