//! Plain text: what may be stored, and how stored text is shown safely.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The first character that plain text may not hold: any control character except newline
/// and tab (FORMAT.md §2). Escape codes start with one, so this refuses them.
pub fn forbidden_char(s: &str) -> Option<char> {
    s.chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
}

/// Whether a character draws nothing or changes how the text around it is laid out: the
/// Unicode general categories Cf (format: bidirectional overrides and isolates, zero-width
/// spaces and joiners, the byte-order mark, invisible operators, tags), Zl and Zp (line and
/// paragraph separators). Two strings that differ only by these look the same on screen.
/// The table is Cf of Unicode 16.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// Lower case, every run of white space one space, trimmed: words compared as written, but
/// for case and spacing.
pub fn fold_words(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// "conditional release date" → "Conditional release date": the first letter in upper
/// case, the rest as it is (unlike a title case, "DTO early transfer date" stays so).
pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Text as it may be sent to a terminal: every control character (newline and tab included)
/// becomes a visible placeholder, so stored text can never move the cursor or change colours;
/// every invisible character (`is_invisible`) is written out as `<U+202E>`, so it can neither
/// reorder what is drawn nor make two different ids look the same.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c if is_invisible(c) => {
                let _ = write!(out, "<U+{:04X}>", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `s`, made visible, with "…" when some were cut.
pub fn shortened(s: &str, max: usize) -> String {
    let short: String = s.chars().take(max).collect();
    let ellipsis = if short.len() < s.len() { "…" } else { "" };
    format!("{}{ellipsis}", visible(&short))
}

/// The first line of a text, made visible, for one-line lists.
pub fn first_line(s: &str) -> Cow<'_, str> {
    match s.split_once('\n') {
        Some((first, _)) => Cow::Owned(visible(first).into_owned()),
        None => visible(s),
    }
}

/// What went wrong reading a piece of JSON, and where, without a word of what it held.
///
/// `serde_json`'s message for a value of the wrong shape quotes the value (`invalid type:
/// string "14 Cranmore Road"`, `unknown field "…"`); a record's value may be an address.
/// Of those only the kind is kept (`invalid type at line 1 column 40`), and the names of
/// vlu's own fields (missing field \`name\`). Its syntax messages are fixed sentences
/// (`expected value`, `trailing comma`) and are kept whole.
pub fn json_problem(e: &serde_json::Error) -> String {
    if e.classify() != serde_json::error::Category::Data {
        return e.to_string();
    }
    let message = e.to_string();
    let what = ["missing field `", "duplicate field `"]
        .iter()
        .find(|start| message.starts_with(*start))
        .and_then(|start| {
            let rest = &message[start.len()..];
            let name = &rest[..rest.find('`')?];
            let is_field = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            is_field.then(|| format!("{start}{name}`"))
        })
        .or_else(|| {
            [
                "invalid type",
                "invalid value",
                "invalid length",
                "unknown field",
                "unknown variant",
            ]
            .into_iter()
            .find(|kind| message.starts_with(kind))
            .map(str::to_owned)
        })
        .unwrap_or_else(|| "data of the wrong shape".to_owned());
    if e.line() == 0 {
        what
    } else {
        format!("{what} at line {} column {}", e.line(), e.column())
    }
}

/// `n` with the noun in the singular or in its given plural: "1 entry", "3 entries".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `n` with the noun, an `s` added unless it is one: "1 victim", "3 victims".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Every leaf of a JSON value with its path (`preferences.method`, `contacts[2].on`, lists
/// counted from 1), in order; nulls left out. How a record is shown field by field.
pub fn leaves(value: &serde_json::Value) -> Vec<(String, &serde_json::Value)> {
    fn walk<'v>(
        path: &str,
        value: &'v serde_json::Value,
        out: &mut Vec<(String, &'v serde_json::Value)>,
    ) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(&p, v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(&format!("{path}[{}]", i + 1), v, out);
                }
            }
            leaf => out.push((path.to_owned(), leaf)),
        }
    }
    let mut out = Vec::new();
    walk("", value, &mut out);
    out
}

#[cfg(test)]
mod tests;
