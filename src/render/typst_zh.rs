//! Typst's messages in Chinese. An office meets them when it edits a template (or when an
//! archived document cannot be set again): the common ones are said in Chinese by pattern, with
//! the names and code they quote kept as written; any other is called a template error at its
//! place, never passed on in English.

/// Typst's words for what it expected or found, in Chinese.
const WORDS: &[(&str, &str)] = &[
    ("expression", "表达式"),
    ("identifier", "名称"),
    ("comma", "逗号"),
    ("colon", "冒号"),
    ("semicolon", "分号"),
    ("closing bracket", "右方括号 ]"),
    ("closing paren", "右圆括号 )"),
    ("closing brace", "右花括号 }"),
    ("opening bracket", "左方括号 ["),
    ("opening paren", "左圆括号 ("),
    ("opening brace", "左花括号 {"),
    ("string", "字符串"),
    ("integer", "整数"),
    ("float", "小数"),
    ("content", "内容"),
    ("dictionary", "字典"),
    ("array", "数组"),
    ("function", "函数"),
    ("length", "长度"),
    ("boolean", "真假值"),
    ("keyword", "关键字"),
    ("end of file", "文件末尾"),
    ("none", "空值 none"),
    ("auto", "auto"),
];

/// One message of typst in Chinese (see the module).
pub fn message(m: &str) -> String {
    let m = m.trim();
    if let Some(path) = m.strip_prefix("file not found (searched at ").and_then(|r| r.strip_suffix(')')) {
        return format!("找不到文件 {path}");
    }
    if let Some(name) = m.strip_prefix("unknown variable: ") {
        return format!("未定义的名称“{name}”");
    }
    if let Some(key) = m.strip_prefix("dictionary does not contain key ") {
        return format!("数据中没有 {key} 这一项");
    }
    if let Some(family) = m.strip_prefix("unknown font family: ") {
        return format!("没有名为 {family} 的字体");
    }
    if let Some(rest) = m.strip_prefix("expected ") {
        return match rest.split_once(", found ") {
            Some((want, got)) => format!("此处应为{}，实际为{}", words(want), words(got)),
            None => format!("此处应为{}", words(rest)),
        };
    }
    if let Some(what) = m.strip_prefix("unexpected ") {
        return format!("此处不应出现{}", words(what));
    }
    let fixed: &[(&str, &str)] = &[
        ("unclosed delimiter", "括号没有闭合"),
        ("unclosed string", "字符串的引号没有闭合"),
        ("unclosed raw text", "代码块没有闭合"),
        ("unclosed label", "标签没有闭合"),
        ("array index out of bounds", "数组下标超出范围"),
        ("cannot divide by zero", "除数为零"),
        ("maximum function call depth exceeded", "函数调用层数过多（可能是无限递归）"),
        ("layout did not converge within 5 attempts", "版面在 5 次尝试内没有稳定下来"),
    ];
    if let Some((_, zh)) = fixed.iter().find(|(en, _)| m.starts_with(en)) {
        return zh.to_string();
    }
    if let Some(text) = m.strip_prefix("panicked with: ") {
        return format!("模板主动停止：{text}");
    }
    "模板此处有误，排版引擎无法处理（请对照内置模板检查这一行）".into()
}

/// Typst's words (`expression`, `closing paren`, `` `in` ``…) in Chinese; code it quotes kept.
fn words(text: &str) -> String {
    text.split(" or ")
        .map(|w| {
            let w = w.trim();
            let bare = w.trim_start_matches("a ").trim_start_matches("an ").trim_start_matches("the ");
            if let Some((_, zh)) = WORDS.iter().find(|(en, _)| *en == bare) {
                (*zh).to_string()
            } else if let Some(code) = bare.strip_prefix("keyword ").or(Some(bare)).filter(|c| c.starts_with('`')) {
                format!(" {code} ")
            } else {
                "其他内容".to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("或")
}

#[cfg(test)]
mod tests {
    use super::message;

    #[test]
    fn the_common_messages_are_chinese_and_keep_what_they_quote() {
        assert_eq!(message("file not found (searched at /photos/f71b.jpg)"), "找不到文件 /photos/f71b.jpg");
        assert_eq!(message("unknown variable: tabel"), "未定义的名称“tabel”");
        assert_eq!(message("expected comma or closing paren"), "此处应为逗号或右圆括号 )");
        assert_eq!(message("expected expression, found keyword `in`"), "此处应为表达式，实际为 `in` ");
        assert_eq!(message("unclosed delimiter"), "括号没有闭合");
        assert_eq!(message("panicked with: \"注入的故障\""), "模板主动停止：\"注入的故障\"");
        let other = message("the quick brown fox jumps");
        assert!(!other.chars().any(|c| c.is_ascii_alphabetic()), "{other}");
    }
}
