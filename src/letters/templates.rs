//! The letter templates: minijinja, the defaults compiled in (`letters/*.txt`), a unit's
//! own folder laid over them file by file (`[letters] templates_dir`).
//!
//! A template is checked when it is loaded, never first found wanting in a posted letter:
//! its syntax; every field it names against the facts a letter has
//! ([`Facts`](crate::domain::letter::facts::Facts)); and it is rendered, in strict mode (an
//! unknown field is an error, not a blank), for every kind and role of letter from a
//! fictional unit (`super::sample`).

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, syntax::SyntaxConfig};

use crate::domain::enums::LetterKind;
use crate::domain::letter::Composed;
use crate::domain::letter::facts::Letterhead;

/// The templates compiled in, by file name: the shared layout and one for each kind.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.txt", include_str!("../../letters/base.txt")),
    (
        "initial_offer.txt",
        include_str!("../../letters/initial_offer.txt"),
    ),
    (
        "second_offer.txt",
        include_str!("../../letters/second_offer.txt"),
    ),
    (
        "annual_letter.txt",
        include_str!("../../letters/annual_letter.txt"),
    ),
    ("key_date.txt", include_str!("../../letters/key_date.txt")),
    ("vps_offer.txt", include_str!("../../letters/vps_offer.txt")),
    (
        "licence_conditions.txt",
        include_str!("../../letters/licence_conditions.txt"),
    ),
    (
        "licence_outcome.txt",
        include_str!("../../letters/licence_outcome.txt"),
    ),
    (
        "complaint_ack.txt",
        include_str!("../../letters/complaint_ack.txt"),
    ),
    (
        "written_follow_up.txt",
        include_str!("../../letters/written_follow_up.txt"),
    ),
    (
        "case_closure.txt",
        include_str!("../../letters/case_closure.txt"),
    ),
    (
        "views_request.txt",
        include_str!("../../letters/views_request.txt"),
    ),
];

/// Names a template may use besides the facts: minijinja's own functions and block helpers.
const GLOBALS: &[&str] = &[
    "range",
    "dict",
    "namespace",
    "debug",
    "super",
    "loop",
    "self",
    "varargs",
    "kwargs",
    "caller",
];

/// The file a kind of letter is rendered from.
pub fn file_of(kind: LetterKind) -> String {
    format!("{}.txt", kind.as_str())
}

/// A problem in a unit's letter templates: the file, the line where known, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A set of letter templates, checked.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
    /// Where the unit's own templates came from (none: the defaults).
    pub dir: Option<std::path::PathBuf>,
    /// The unit's return address, phone, email and support line (`[unit]`), which every
    /// letter is rendered with.
    letterhead: Letterhead,
}

/// The most work one letter may take to fill in (minijinja's fuel: about one unit a step).
/// The built-in letters take a few thousand at most; a template that loops without end, or nests
/// loops of thousands, stops here with a sentence instead of holding up every vlu.
const FUEL: u64 = 100_000;

/// The largest template file read: a letter's is a few kilobytes.
const MOST_TEMPLATE_BYTES: u64 = 256 * 1024;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(64);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    // Unlike `capitalize`, which would write "Dto early transfer date".
    env.add_filter("upper_first", |s: &str| crate::domain::text::upper_first(s));
    env
}

fn problem_of(file: &str, e: &minijinja::Error) -> Problem {
    Problem {
        file: e.name().unwrap_or(file).to_owned(),
        line: e.line(),
        message: e
            .detail()
            .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind())),
    }
}

/// The dotted paths of every field of the facts (`recipient.name`, `dates`, …): what a
/// template may name. A list's items are checked by rendering.
fn known_fields() -> BTreeSet<String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut BTreeSet<String>) {
        if !prefix.is_empty() {
            out.insert(prefix.to_owned());
        }
        if let serde_json::Value::Object(map) = v {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                walk(&path, v, out);
            }
        }
    }
    let mut out: BTreeSet<String> = Letterhead::FIELDS
        .iter()
        .map(|f| format!("unit.{f}"))
        .collect();
    for composed in super::sample::every_letter() {
        let value = serde_json::to_value(&composed.facts).unwrap_or_default();
        walk("", &value, &mut out);
    }
    out
}

/// The line of a template's text where `name` first appears (for a field it does not know).
fn line_of(source: &str, name: &str) -> Option<usize> {
    let first = name.split('.').next_back().unwrap_or(name);
    source
        .lines()
        .position(|l| l.contains(name) || l.contains(first))
        .map(|i| i + 1)
}

/// A template file must be an ordinary file of its own in the templates folder: not a link
/// (to `/etc/shadow`, or anywhere), not a device or a pipe, not larger than a template is.
fn plain_file_inside(path: &Path, dir: &Path) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot be read ({e})"))?;
    if meta.file_type().is_symlink() {
        return Err(
            "is a link to another file: vlu reads only ordinary files kept in the templates \
             folder itself"
                .into(),
        );
    }
    if !meta.is_file() {
        return Err("is not an ordinary file (a folder, a device or a pipe)".into());
    }
    if meta.len() > MOST_TEMPLATE_BYTES {
        return Err(format!(
            "is larger than a letter template is ({} KB at most)",
            MOST_TEMPLATE_BYTES / 1024
        ));
    }
    let inside = std::fs::canonicalize(path)
        .ok()
        .zip(std::fs::canonicalize(dir).ok())
        .is_some_and(|(file, folder)| file.parent() == Some(folder.as_path()));
    if inside {
        Ok(())
    } else {
        Err("is not a file of the templates folder itself".into())
    }
}

impl Templates {
    /// The templates compiled into vlu, rendered with `letterhead`, unchecked against it.
    fn builtin(letterhead: &Letterhead) -> Self {
        let mut env = environment();
        for (name, source) in BUILTIN {
            env.add_template(name, source)
                .expect("the built-in letter templates parse");
        }
        Self {
            env,
            dir: None,
            letterhead: letterhead.clone(),
        }
    }

    /// The built-in templates with a unit's folder (if any) laid over them, file by file,
    /// every one checked, and every field of the unit's letterhead they name set in
    /// `letterhead`; or every problem found.
    pub fn load(dir: Option<&Path>, letterhead: &Letterhead) -> Result<Self, Vec<Problem>> {
        let mut templates = Self::builtin(letterhead);
        let Some(dir) = dir else {
            let problems = templates.letterhead_unset(&[]);
            return if problems.is_empty() {
                Ok(templates)
            } else {
                Err(problems)
            };
        };
        templates.dir = Some(dir.to_owned());
        let mut problems = Vec::new();
        let mut own = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                return Err(vec![Problem {
                    file: dir.display().to_string(),
                    line: None,
                    message: format!("cannot read this folder of letter templates ({e})"),
                }]);
            }
        };
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            own.extend(templates.add_own(&path, dir, &mut problems));
        }
        problems.extend(templates.unknown_fields(&own));
        problems.extend(templates.letterhead_unset(&own));
        if problems.is_empty() {
            problems.extend(templates.rendered_problems(&own));
        }
        if problems.is_empty() {
            Ok(templates)
        } else {
            Err(problems)
        }
    }

    /// One file of a unit's folder laid over the built-in template of its name: its name,
    /// where it is (as shown), and its text; `None`, with a problem where it is one, for
    /// a file that is not a template or cannot be used.
    fn add_own(
        &mut self,
        path: &Path,
        dir: &Path,
        problems: &mut Vec<Problem>,
    ) -> Option<(String, String, String)> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Hidden files and anything not a `.txt` (a README, an editor's backup) are not
        // templates; a `.txt` vlu does not know is a problem (a misspelt name would
        // otherwise be silently ignored).
        let text_file = Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        if name.starts_with('.') || !text_file {
            return None;
        }
        let shown = path.display().to_string();
        if !BUILTIN.iter().any(|(n, _)| *n == name) {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            problems.push(Problem {
                file: shown,
                line: None,
                message: format!(
                    "not a letter template vlu knows (expected one of: {})",
                    names.join(", ")
                ),
            });
            return None;
        }
        if let Err(why) = plain_file_inside(path, dir) {
            problems.push(Problem {
                file: shown,
                line: None,
                message: why,
            });
            return None;
        }
        match std::fs::read_to_string(path) {
            Ok(source) => match self.env.add_template_owned(name.clone(), source.clone()) {
                Ok(()) => return Some((name, shown, source)),
                Err(e) => problems.push(Problem {
                    file: shown,
                    ..problem_of(&name, &e)
                }),
            },
            Err(e) => problems.push(Problem {
                file: shown,
                line: None,
                message: format!("cannot be read as UTF-8 text ({e})"),
            }),
        }
        None
    }

    /// Every field a unit's template names that no letter has.
    fn unknown_fields(&self, own: &[(String, String, String)]) -> Vec<Problem> {
        let known = known_fields();
        let mut problems = Vec::new();
        for (name, shown, source) in own {
            let Ok(template) = self.env.get_template(name) else {
                continue;
            };
            let mut unknown: Vec<String> = template
                .undeclared_variables(true)
                .into_iter()
                .filter(|v| !known.contains(v) && !GLOBALS.contains(&v.as_str()))
                .collect();
            unknown.sort();
            for field in unknown {
                problems.push(Problem {
                    file: shown.clone(),
                    line: line_of(source, &field),
                    message: format!("unknown field \"{field}\": no letter has it"),
                });
            }
        }
        problems
    }

    /// Every field of the unit's letterhead a template in use names (its own, or the
    /// built-in one) that the configuration does not set.
    fn letterhead_unset(&self, own: &[(String, String, String)]) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (name, builtin) in BUILTIN {
            let Ok(template) = self.env.get_template(name) else {
                continue;
            };
            let (shown, source) = own
                .iter()
                .find(|(n, _, _)| n == name)
                .map_or((*name, *builtin), |(_, shown, source)| {
                    (shown.as_str(), source.as_str())
                });
            let named = template.undeclared_variables(true);
            for field in Letterhead::FIELDS {
                let path = format!("unit.{field}");
                if named.contains(&path) && !self.letterhead.has(field) {
                    problems.push(Problem {
                        file: shown.to_owned(),
                        line: line_of(source, &path),
                        message: format!(
                            "needs the unit's {}: set `{field}` under [unit] in the configuration (vlu config shows which file)",
                            Letterhead::what(field)
                        ),
                    });
                }
            }
        }
        problems
    }

    /// Renders every kind for every role of the fictional unit; each failure is a problem of
    /// the file it arose in.
    fn rendered_problems(&self, own: &[(String, String, String)]) -> Vec<Problem> {
        let mut problems: Vec<Problem> = Vec::new();
        for composed in super::sample::every_letter() {
            if let Err(e) = self.render(&composed) {
                let mut p = problem_of(&file_of(composed.kind), &e);
                if let Some((_, shown, _)) = own.iter().find(|(n, _, _)| *n == p.file) {
                    p.file.clone_from(shown);
                }
                if !problems.contains(&p) {
                    problems.push(p);
                }
            }
        }
        problems
    }

    /// A letter's text as its template writes it, before tidying.
    pub fn render(&self, composed: &Composed) -> Result<String, minijinja::Error> {
        let mut facts = composed.facts.clone();
        facts.unit.letterhead = self.letterhead.clone();
        self.env
            .get_template(&file_of(composed.kind))?
            .render(minijinja::value::Serde(&facts))
    }

    /// The unit's letterhead every letter is rendered with.
    pub fn letterhead(&self) -> &Letterhead {
        &self.letterhead
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_letter_is_upper_case_and_the_rest_kept() {
        use crate::domain::text::upper_first;
        assert_eq!(
            upper_first("DTO early transfer date"),
            "DTO early transfer date"
        );
        assert_eq!(upper_first("no contact"), "No contact");
        assert_eq!(upper_first(""), "");
    }

    #[test]
    fn every_built_in_template_renders_for_every_kind_and_role() {
        let t = Templates::load(None, &super::super::sample::letterhead()).unwrap();
        assert!(
            t.rendered_problems(&[]).is_empty(),
            "{:?}",
            t.rendered_problems(&[])
        );
        let own: Vec<(String, String, String)> = BUILTIN
            .iter()
            .map(|(n, s)| ((*n).to_owned(), (*n).to_owned(), (*s).to_owned()))
            .collect();
        assert_eq!(t.unknown_fields(&own), []);
    }

    #[test]
    fn a_provisional_date_is_said_to_be_one() {
        let t = Templates::load(None, &super::super::sample::letterhead()).unwrap();
        let mut letters = super::super::sample::every_letter();
        let future = |c: &Composed| {
            c.kind == LetterKind::KeyDate && c.facts.key_date.as_ref().is_some_and(|k| !k.past)
        };
        let composed = letters.iter_mut().find(|c| future(c)).unwrap();
        let fixed = t.render(composed).unwrap();
        assert!(!fixed.contains("provisionally"), "{fixed}");
        if let Some(k) = composed.facts.key_date.as_mut() {
            k.provisional = true;
        }
        let unsure = t.render(composed).unwrap();
        assert!(
            unsure.contains("which is provisionally expected")
                && unsure.contains("This date has not yet been confirmed"),
            "{unsure}"
        );
        // In the annual letter's list, on its own line still.
        let annual = letters
            .iter_mut()
            .find(|c| c.kind == LetterKind::AnnualLetter && c.facts.dates.len() > 1)
            .unwrap();
        annual.facts.dates[0].provisional = true;
        let text = t.render(annual).unwrap();
        assert!(
            text.contains(" (provisional: not yet confirmed)\n- "),
            "{text}"
        );
    }

    #[test]
    fn a_letterhead_field_a_template_names_must_be_set() {
        use crate::domain::letter::facts::Letterhead;
        // The built-in letters give every field: none set, each is a problem of base.txt.
        let problems = Templates::load(None, &Letterhead::default()).unwrap_err();
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert!(
            shown.iter().all(|p| p.starts_with("base.txt, line ")),
            "{shown:?}"
        );
        assert!(shown.iter().any(|p| p.contains("set `phone` under [unit]")));
        // A unit whose own layout gives no phone need not set one.
        let dir = tempfile::tempdir().unwrap();
        let base = BUILTIN[0].1.replace("Telephone: {{ unit.phone }}\n", "");
        assert_ne!(base, BUILTIN[0].1, "the layout names the phone");
        std::fs::write(dir.path().join("base.txt"), base).unwrap();
        let no_phone = Letterhead {
            phone: None,
            ..super::super::sample::letterhead()
        };
        assert!(Templates::load(Some(dir.path()), &no_phone).is_ok());
        assert!(Templates::load(None, &no_phone).is_err());
    }

    #[test]
    fn a_unit_template_naming_an_unknown_field_fails_to_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("initial_offer.txt"),
            "{% extends \"base.txt\" %}\n{% block body %}\nHello {{ recipient.nmae }}.\n{% endblock %}\n",
        )
        .unwrap();
        let problems =
            Templates::load(Some(dir.path()), &super::super::sample::letterhead()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(3));
        assert!(
            problems[0].message.contains("recipient.nmae"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn a_field_of_a_list_item_that_does_not_exist_fails_when_rendered() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("annual_letter.txt"),
            "{% extends \"base.txt\" %}{% block body %}{% for d in dates %}{{ d.lable }}{% endfor %}{% endblock %}",
        )
        .unwrap();
        let problems =
            Templates::load(Some(dir.path()), &super::super::sample::letterhead()).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.file.ends_with("annual_letter.txt")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_file_that_is_no_template_and_a_syntax_error_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("inital_offer.txt"), "x").unwrap();
        std::fs::write(dir.path().join("complaint_ack.txt"), "{% if %}").unwrap();
        let problems =
            Templates::load(Some(dir.path()), &super::super::sample::letterhead()).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message.contains("syntax"), "{}", problems[0]);
        assert!(
            problems[1].message.contains("not a letter template"),
            "{}",
            problems[1]
        );
    }

    #[test]
    fn a_template_that_is_a_link_is_refused_and_what_it_points_at_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("shadow");
        std::fs::write(&secret, "root:$6$SECRET-HASH:19000::::::").unwrap();
        let folder = dir.path().join("letters");
        std::fs::create_dir(&folder).unwrap();
        std::os::unix::fs::symlink(&secret, folder.join("annual_letter.txt")).unwrap();
        let problems =
            Templates::load(Some(&folder), &super::super::sample::letterhead()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("is a link"), "{}", problems[0]);
        assert!(!format!("{problems:?}").contains("SECRET"));
    }

    #[test]
    fn a_template_that_would_run_for_ever_stops_with_a_sentence() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("key_date.txt"),
            "{% extends \"base.txt\" %}{% block body %}{% for a in range(10000) %}\
             {% for b in range(10000) %}x{% endfor %}{% endfor %}{% endblock %}",
        )
        .unwrap();
        let start = std::time::Instant::now();
        let problems =
            Templates::load(Some(dir.path()), &super::super::sample::letterhead()).unwrap_err();
        // A liveness bound, not a timing: without fuel this is 10^8 steps a letter.
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        assert!(
            problems
                .iter()
                .any(|p| p.file.ends_with("key_date.txt") && p.message.contains("fuel")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_sound_override_replaces_the_default() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("base.txt"),
            "NORTHSHIRE LETTERHEAD\n\nDear {{ recipient.name }},\n\n{% block body %}{% endblock %}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("README.md"),
            "Our letterhead, agreed May 2026.",
        )
        .unwrap();
        let t = Templates::load(Some(dir.path()), &super::super::sample::letterhead()).unwrap();
        let composed = &super::super::sample::every_letter()[0];
        assert!(
            t.render(composed)
                .unwrap()
                .starts_with("NORTHSHIRE LETTERHEAD")
        );
    }
}
