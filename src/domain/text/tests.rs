use super::*;

#[test]
fn escape_codes_are_forbidden_but_newlines_and_tabs_are_not() {
    assert_eq!(forbidden_char("Joan\u{1b}[31mMercer"), Some('\u{1b}'));
    assert_eq!(forbidden_char("bell\u{7}"), Some('\u{7}'));
    assert_eq!(forbidden_char("C1 \u{9b}"), Some('\u{9b}'));
    assert_eq!(forbidden_char("line one\nline two\tend"), None);
    assert_eq!(forbidden_char("Zoë Ó Súilleabháin"), None);
}

#[test]
fn visible_replaces_every_control_character() {
    assert_eq!(visible("a\u{1b}[2Jb"), "a\u{fffd}[2Jb");
    assert_eq!(visible("two\nlines"), "two lines");
    assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    assert_eq!(first_line("first\nsecond"), "first");
}

#[test]
fn visible_writes_out_what_would_reorder_or_hide() {
    assert_eq!(visible("V-\u{200b}1"), "V-<U+200B>1");
    assert_eq!(visible("abc\u{202e}fed"), "abc<U+202E>fed");
    for c in [
        '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}', '\u{200b}', '\u{200c}',
        '\u{200d}', '\u{2060}', '\u{feff}', '\u{2028}', '\u{2029}',
    ] {
        let shown = visible(&format!("a{c}b")).into_owned();
        assert_eq!(shown, format!("a<U+{:04X}>b", u32::from(c)));
        assert!(is_invisible(c), "{c:?}");
    }
    // Letters of every script, and ordinary spaces, are left alone.
    assert!(matches!(visible("Zoë Ó Súilleabháin"), Cow::Borrowed(_)));
    assert!(matches!(visible("محمد علي · 李小龍"), Cow::Borrowed(_)));
}

#[test]
fn shortened_cuts_and_says_so() {
    assert_eq!(shortened("short", 40), "short");
    assert_eq!(shortened("14 Cranmore Road, Leeds", 8), "14 Cranm…");
    assert_eq!(shortened("a\u{1b}b", 40), "a\u{fffd}b");
}

#[test]
fn a_json_error_never_quotes_the_value() {
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct R {
        n: u32,
    }
    let secret = "14 Cranmore Road";
    for text in [
        format!(r#"{{"n": "{secret}"}}"#),
        format!(r#"{{"{secret}": 1}}"#),
        format!(r#"{{"n": 1, "n": "{secret}"}}"#),
    ] {
        let e = serde_json::from_str::<R>(&text).unwrap_err();
        let said = json_problem(&e);
        assert!(!said.contains("Cranmore"), "{said}");
        assert!(said.contains(" at line 1 column "), "{said}");
    }
    // The premise: serde_json's own message quotes the value.
    let e = serde_json::from_str::<R>(&format!(r#"{{"n": "{secret}"}}"#)).unwrap_err();
    assert!(e.to_string().contains("Cranmore"), "{e}");
    let e = serde_json::from_str::<R>(r#"{"n": "x"}"#).unwrap_err();
    assert_eq!(json_problem(&e), "invalid type at line 1 column 9");
    let e = serde_json::from_str::<R>("{}").unwrap_err();
    assert_eq!(json_problem(&e), "missing field `n` at line 1 column 2");
    let e = serde_json::from_str::<R>("[1,]").unwrap_err();
    assert_eq!(json_problem(&e), "trailing comma at line 1 column 4");
    let e = serde_json::from_value::<R>(serde_json::json!({"n": "x"})).unwrap_err();
    assert_eq!(json_problem(&e), "invalid type");
}
