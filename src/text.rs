//! Text files as offices save them: one decoder for every text input (pieces, `plan.yaml`,
//! `config.yaml`), and YAML read with its errors told in Chinese, at the right line.

use serde::de::DeserializeOwned;

/// Folds full-width ASCII forms (Ａ１，) to half-width and the ideographic space to a space.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Text as Windows Notepad and others save it: UTF-8 or UTF-16 with a byte-order mark, UTF-8,
/// or GB18030 (which includes GBK and GB2312, Notepad's “ANSI” on a Chinese PC). `None` when
/// it is none of these.
pub fn decode(bytes: &[u8]) -> Option<String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling_and_without_replacement(&bytes[bom..]).map(|s| s.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|s| s.into_owned())
}

/// Parses YAML text of any of the encodings `decode` reads. The error is Chinese, starts with
/// its line and column (第21行第3列：) and says what to do.
pub fn yaml<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = decode(bytes).ok_or("文字编码无法识别。请用记事本打开，另存为“UTF-8”编码。")?;
    serde_yaml::from_str(&text).map_err(|e| yaml_error(&e, &text))
}

/// serde_yaml's error, in Chinese, at its line.
fn yaml_error(e: &serde_yaml::Error, text: &str) -> String {
    let raw = e.to_string();
    let raw = raw.split(" at line ").next().unwrap_or(&raw);
    // serde_yaml names the key path first (`rolling_plan.targets[0].poor_population: …`).
    let (path, raw) = match raw.split_once(": ") {
        Some((path, rest)) if !path.contains(char::is_whitespace) => (Some(path), rest),
        _ => (None, raw),
    };
    let (what, line) = explain(raw, text);
    let what = match path {
        Some(path) => format!("{path}：{what}"),
        None => what,
    };
    match (line, e.location()) {
        (Some(line), _) => format!("第{line}行：{what}"),
        (None, Some(l)) => format!("第{}行第{}列：{what}", l.line(), l.column()),
        (None, None) => what,
    }
}

/// What the error says, and the line it is really at when serde_yaml names another (a
/// duplicate key is reported at the start of its mapping).
fn explain(raw: &str, text: &str) -> (String, Option<usize>) {
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_string);
    // Our own messages (a date in config.yaml, say) are Chinese already; serde places them at
    // the start of their mapping, so the line is found by the value they quote.
    if !raw.is_ascii() && !raw.contains('`') {
        let value = raw.split('"').nth(1).filter(|v| !v.is_empty());
        let line = value.and_then(|v| text.lines().position(|l| l.contains(v))).map(|i| i + 1);
        return (raw.to_string(), line);
    }
    if let Some(rest) = raw.strip_prefix("unknown field ") {
        let field = quoted(rest).unwrap_or_default();
        let known: Vec<&str> = rest.split('`').skip(3).step_by(2).collect();
        let expected = if known.is_empty() { String::new() } else { format!("可以写的项：{}。", known.join("、")) };
        return (format!("不认识的项“{field}”，请检查拼写。{expected}"), None);
    }
    if let Some(rest) = raw.strip_prefix("missing field ") {
        return (format!("缺少必填的项“{}”。", quoted(rest).unwrap_or_default()), None);
    }
    if let Some(rest) = raw.strip_prefix("duplicate field ").or_else(|| raw.strip_prefix("duplicate entry with key ")) {
        let key = quoted(rest).unwrap_or_else(|| rest.trim_matches('"').to_string());
        return (format!("“{key}”写了两次，每一项只能写一次。请删去或合并重复的一项。"), duplicate_line(text, &key));
    }
    if raw.starts_with("invalid type: ") || raw.starts_with("invalid value: ") {
        let value = raw.split_once(": ").map(|x| x.1).unwrap_or(raw);
        let (got, expected) = value.split_once(", expected ").unwrap_or((value, ""));
        let got = got.split('`').nth(1).unwrap_or(got);
        return (format!("“{got}”不是这里要求的{}。", expected_cn(expected)), None);
    }
    if raw.contains("tab character") || raw.contains("found character that cannot start any token") {
        return ("含有制表符（Tab）或无法识别的字符。YAML 只能用空格缩进，请把 Tab 换成空格。".into(), None);
    }
    (format!("格式有误（{raw}）。请对照 docs/规划数据.md 中的写法检查这一行。"), None)
}

/// What serde expected, as an office reads it.
fn expected_cn(expected: &str) -> &'static str {
    match expected {
        e if e.starts_with('u') && e[1..].chars().all(|c| c.is_ascii_digit()) => "非负整数",
        e if e.starts_with('i') && e[1..].chars().all(|c| c.is_ascii_digit()) => "整数",
        e if e.starts_with('f') => "数字",
        e if e.contains("string") || e.contains("char") => "文字",
        e if e.contains("sequence") => "列表（每项以“- ”开头，或写在 [ ] 中）",
        e if e.contains("map") || e.contains("struct") => "分项内容（“名称: 值”）",
        "a boolean" => "是非值（true 或 false）",
        _ => "写法",
    }
}

/// The line of the second `key:` at the same indentation as the first (1-based).
fn duplicate_line(text: &str, key: &str) -> Option<usize> {
    let mut seen: Vec<usize> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let indent = line.len() - trimmed.len();
        let rest = trimmed.strip_prefix(key).map(str::trim_start);
        if rest.is_some_and(|r| r.starts_with(':')) {
            if seen.contains(&indent) {
                return Some(i + 1);
            }
            seen.push(indent);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        copies: u32,
        #[serde(default)]
        name: String,
    }

    #[test]
    fn errors_are_chinese_and_at_their_line() {
        let e = yaml::<T>(b"copies: 2\ncopys: 3\n").unwrap_err();
        assert!(e.starts_with("第2行") && e.contains("不认识的项“copys”") && e.contains("copies、name"), "{e}");
        let e = yaml::<T>(b"copies: -5500\n").unwrap_err();
        assert!(e.contains("copies：“-5500”不是这里要求的非负整数"), "{e}");
        let e = yaml::<T>(b"name: a\n").unwrap_err();
        assert!(e.contains("缺少必填的项“copies”"), "{e}");
        let e = yaml::<T>(b"copies: 1\nname: a\n\n\ncopies: 2\n").unwrap_err();
        assert!(e.starts_with("第5行") && e.contains("“copies”写了两次"), "{e}");
        let e = yaml::<T>(b"copies: 1\n\tname: a\n").unwrap_err();
        assert!(e.contains("制表符"), "{e}");
        assert!(!e.is_ascii());
    }

    #[test]
    fn notepad_encodings_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("copies: 3\nname: 青石县\n");
        let t: T = yaml(&gbk).unwrap();
        assert_eq!((t.copies, t.name.as_str()), (3, "青石县"));
        let bom = [b"\xEF\xBB\xBF".as_slice(), "copies: 1\nname: 县\n".as_bytes()].concat();
        assert_eq!(yaml::<T>(&bom).unwrap().name, "县");
    }
}
