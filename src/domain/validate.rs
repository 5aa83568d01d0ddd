//! Validation of a caseload file (FORMAT.md §2): every problem, each with its JSON path.
//!
//! The file is first read as untyped JSON and walked field by field, so that one run reports
//! every problem (`victims[3].contacts[0].on: invalid date "2025-02-30"`), not just the first.
//! Only a file with no problem is then turned into typed records. Messages never repeat the
//! value of a free-text field: it may be an address or a phone number.
//!
//! A file is read quickly where it can be (`quick.rs`: each record cut from the file and
//! parsed from its own bytes) and as a stream otherwise (`stream.rs`: a file that is not in
//! the plain shape, whose problems only the stream can place). The walker's places are
//! joined into paths only for a problem.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use serde_json::{Map, Value};

use super::enums::Identifier;
use super::model::{Case, Caseload, Victim};
use super::text::{forbidden_char, is_invisible, json_problem, shortened};

/// Earliest and latest dates accepted anywhere.
pub const MIN_DATE: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
pub const MAX_DATE: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap();
const MAX_ID_LEN: usize = 64;

/// One thing wrong with an input, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Ids that are already taken (in the store), against which a file is checked.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KnownIds {
    pub officers: HashSet<String>,
    pub cases: HashSet<String>,
    pub victims: HashSet<String>,
    /// Cases and victims erased from the store: not imported again without `replace`.
    pub erased_cases: HashSet<String>,
    pub erased_victims: HashSet<String>,
}

/// Reads and validates a caseload file held in memory. `known` are the ids already in the
/// store: they resolve references, and they are an error to reuse unless `replace`.
pub fn parse_caseload(
    text: &str,
    known: &KnownIds,
    replace: bool,
) -> Result<Caseload, Vec<Problem>> {
    // A byte-order mark is how some Windows editors start a UTF-8 file: not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_caseload(serde_json::Deserializer::from_str(text), known, replace)?;
    let (mut cases, mut victims) = (Vec::new(), Vec::new());
    let read = read_records(serde_json::Deserializer::from_str(text), &mut |incoming| {
        match incoming {
            Incoming::Case(c) => cases.push(c),
            Incoming::Victim(v) => victims.push(v),
        }
        Ok::<(), std::convert::Infallible>(())
    });
    let mut caseload = read.map_err(|e| match e {
        NotRead::File(problems) => problems,
        NotRead::Stopped(never) => match never {},
    })?;
    caseload.cases = cases;
    caseload.victims = victims;
    Ok(caseload)
}

/// The problem of a file that is not JSON, or not whole.
fn not_json(e: &serde_json::Error) -> Vec<Problem> {
    vec![Problem {
        path: String::new(),
        message: format!("the file is not valid JSON ({})", json_problem(e)),
    }]
}

/// Checks a caseload file, read from `de` (without a byte-order mark), against the ids
/// `known` (see [`parse_caseload`]): every problem, or none. It keeps nothing of the file but
/// its ids and references, so a file of any size is checked in little memory.
///
/// # Errors
/// The file's problems, each with its place.
pub fn check_caseload<'de, R>(
    de: serde_json::Deserializer<R>,
    known: &KnownIds,
    replace: bool,
) -> Result<(), Vec<Problem>>
where
    R: serde_json::de::Read<'de> + Send,
{
    let mut w = walked(|each| stream::read(de, stream::AsJson, each).map_err(|e| not_json(&e)))?;
    w.resolve(known, replace);
    if w.problems.is_empty() {
        Ok(())
    } else {
        Err(w.problems)
    }
}

/// Checks a caseload file as [`check_caseload`] does, read quickly (see `quick.rs`) from
/// `reader` (without a byte-order mark): `None` if the file is not in the plain shape the
/// quick read takes, and must be read by [`check_caseload`] for its problems.
pub fn check_caseload_quickly(
    reader: impl std::io::BufRead + Send,
    known: &KnownIds,
    replace: bool,
) -> Option<Result<(), Vec<Problem>>> {
    let mut w = walked(|each| quick::read(reader, stream::AsJson, each)).ok()?;
    w.resolve(known, replace);
    Some(if w.problems.is_empty() {
        Ok(())
    } else {
        Err(w.problems)
    })
}

/// The file read by `read` (each case, victim and other field handed to the function it is
/// given) and walked, its ids and references not yet resolved.
fn walked<E>(
    read: impl FnOnce(&mut dyn FnMut(stream::Found<Value, Value>) -> bool) -> Result<stream::Rest, E>,
) -> Result<Walker, E> {
    // The cases and the victims are checked as they are read, each list by a walker of its
    // own; the rest once it is read, then their findings after it, in the order of the file
    // format, then every key found twice.
    let mut rest = Map::new();
    let mut cases = Walker::default();
    let mut victims = Walker::default();
    let (mut c, mut v) = (0, 0);
    let read = read(&mut |found| {
        match found {
            stream::Found::Field(key, value) => {
                if key == "officers" {
                    victims.settle_officers(&value);
                }
                rest.insert(key, value);
            }
            stream::Found::Case(case) => {
                let declared = cases.ids.len();
                cases.case(&format!("cases[{c}]"), &case);
                c += 1;
                if let Some((_, _, id)) = cases.ids.get(declared) {
                    victims.settled.of(Kind::Case).insert(id.clone());
                }
            }
            stream::Found::Victim(victim) => {
                victims.victim(&format!("victims[{v}]"), &victim);
                v += 1;
            }
            stream::Found::Problem(p) if p.path == "cases" => cases.problems.push(p),
            stream::Found::Problem(p) => victims.problems.push(p),
        }
        true
    })?;
    let value = read.other.unwrap_or(Value::Object(rest));
    let mut w = Walker::default();
    w.caseload(&value);
    for list in [&mut cases, &mut victims] {
        w.problems.append(&mut list.problems);
        w.ids.append(&mut list.ids);
        w.refs.append(&mut list.refs);
    }
    w.problems.extend(read.twice);
    Ok(w)
}

/// Why a file's records were not all read.
#[derive(Debug)]
pub enum NotRead<E> {
    /// The file could not be read as records (it did not pass [`check_caseload`], or it
    /// changed since).
    File(Vec<Problem>),
    /// The one handed the victims stopped the read.
    Stopped(E),
}

/// A case or a victim of a file, as it is read.
#[derive(Debug)]
pub enum Incoming {
    Case(Case),
    Victim(Victim),
}

/// The records of a caseload file that passed [`check_caseload`], read from `de`: each case
/// and each victim handed to `each` as it is read (so that a large file is never held), the
/// rest returned, with no cases nor victims.
///
/// # Errors
/// The file could not be read as records, or `each` failed (and the read stopped there).
pub fn read_records<'de, R, E>(
    de: serde_json::Deserializer<R>,
    each: &mut dyn FnMut(Incoming) -> Result<(), E>,
) -> Result<Caseload, NotRead<E>>
where
    R: serde_json::de::Read<'de> + Send,
{
    records(
        |hand| stream::read(de, stream::AsRecord, hand).map_err(|e| unreadable(&e)),
        each,
    )
}

/// The records of a caseload file that passed [`check_caseload_quickly`], read quickly from
/// `reader` (see [`read_records`]). A file the quick read does not take is unreadable here.
///
/// # Errors
/// The file could not be read as records, or `each` failed (and the read stopped there).
pub fn read_records_quickly<E>(
    reader: impl std::io::BufRead + Send,
    each: &mut dyn FnMut(Incoming) -> Result<(), E>,
) -> Result<Caseload, NotRead<E>> {
    records(
        |hand| {
            quick::read(reader, stream::AsRecord, hand).map_err(|quick::NotPlain| {
                vec![Problem {
                    path: String::new(),
                    message: "the file could not be read (it is not what was checked)".into(),
                }]
            })
        },
        each,
    )
}

/// A read that failed: the file's problem.
fn unreadable(e: &serde_json::Error) -> Vec<Problem> {
    vec![Problem {
        path: String::new(),
        message: format!("the file could not be read ({})", json_problem(e)),
    }]
}

/// The records `read` hands on, each to `each`; the rest of the caseload.
fn records<E>(
    read: impl FnOnce(
        &mut dyn FnMut(stream::Found<Case, Victim>) -> bool,
    ) -> Result<stream::Rest, Vec<Problem>>,
    each: &mut dyn FnMut(Incoming) -> Result<(), E>,
) -> Result<Caseload, NotRead<E>> {
    let mut stopped = None;
    let mut odd = Vec::new();
    let mut hand = |incoming| match each(incoming) {
        Ok(()) => true,
        Err(e) => {
            stopped = Some(e);
            false
        }
    };
    let mut rest = Map::new();
    let read = read(&mut |found| match found {
        stream::Found::Field(key, value) => {
            rest.insert(key, value);
            true
        }
        stream::Found::Case(c) => hand(Incoming::Case(c)),
        stream::Found::Victim(v) => hand(Incoming::Victim(v)),
        stream::Found::Problem(p) => {
            odd.push(p);
            false
        }
    });
    if let Some(e) = stopped {
        return Err(NotRead::Stopped(e));
    }
    let read = read.map_err(NotRead::File)?;
    if !odd.is_empty() || !read.twice.is_empty() {
        odd.extend(read.twice);
        return Err(NotRead::File(odd));
    }
    if read.other.is_some() {
        return Err(NotRead::File(vec![Problem {
            path: String::new(),
            message: "the file could not be read (it is not a caseload object)".into(),
        }]));
    }
    serde_json::from_value(Value::Object(rest)).map_err(|e| NotRead::File(unreadable(&e)))
}

/// Checks one victim record (as JSON) by the rules of an import, against the ids `known`
/// (the store's): what a form runs before it saves. A `new` record's id must not be taken.
/// Paths are relative to the victim.
pub fn check_victim(victim: &Value, known: &KnownIds, new: bool) -> Vec<Problem> {
    let mut w = Walker::default();
    w.victim("", victim);
    w.finish(known, new)
}

/// Checks one case record (as JSON), as `check_victim` does a victim.
pub fn check_case(case: &Value, known: &KnownIds, new: bool) -> Vec<Problem> {
    let mut w = Walker::default();
    w.case("", case);
    w.finish(known, new)
}

/// Checks one contact (as JSON) by the rules of an import. Paths are relative to it.
pub fn check_contact(contact: &Value, known: &KnownIds) -> Vec<Problem> {
    let mut w = Walker::default();
    w.contact("", contact);
    w.resolve(known, true);
    w.problems
}

/// The problems of a victim's own fields by the rules of an import — control characters,
/// impossible dates, unknown values, lengths — leaving references to the store, which
/// resolves them itself. What the store checks every write against, whoever sends it, so
/// that nothing reaches it that an import would refuse.
pub fn victim_fields(victim: &super::model::Victim) -> Vec<Problem> {
    fields(victim, Walker::victim)
}

/// [`victim_fields`] for a case.
pub fn case_fields(case: &super::model::Case) -> Vec<Problem> {
    fields(case, Walker::case)
}

/// [`victim_fields`] for one log entry.
pub fn contact_fields(contact: &super::model::Contact) -> Vec<Problem> {
    fields(contact, Walker::contact)
}

fn fields<T: serde::Serialize>(record: &T, walk: fn(&mut Walker, &str, &Value)) -> Vec<Problem> {
    let Ok(value) = serde_json::to_value(record) else {
        return vec![Problem {
            path: String::new(),
            message: "the record could not be read".into(),
        }];
    };
    let mut w = Walker::default();
    walk(&mut w, "", &value);
    w.problems
}

/// A contact made from its fields as someone typed them (a form's, the command line's) —
/// `on`, `at`, `kind`, `method`, `direction`, `key_date`, `summary`, `by`; an absent or empty
/// one is left out — checked by the rules of an import.
pub fn contact_from_text<'a>(
    fields: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    known: &KnownIds,
) -> Result<super::model::Contact, Vec<Problem>> {
    let map: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(k, v)| {
            Some((
                k.to_owned(),
                Value::String(v.filter(|v| !v.is_empty())?.to_owned()),
            ))
        })
        .collect();
    let value = Value::Object(map);
    let problems = check_contact(&value, known);
    if !problems.is_empty() {
        return Err(problems);
    }
    serde_json::from_value(value).map_err(|e| {
        vec![Problem {
            path: String::new(),
            // Never serde_json's message: it quotes what was typed.
            message: format!("the record could not be made ({})", json_problem(&e)),
        }]
    })
}

/// One date as a form or the command line takes it: `YYYY-MM-DD`, 1900 to 2100.
pub fn check_date(text: &str) -> Result<NaiveDate, String> {
    let mut w = Walker::default();
    w.date_value("", &Value::String(text.to_owned()))
        .ok_or_else(|| w.problems.remove(0).message)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Officer,
    Case,
    Victim,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Officer => "officer",
            Kind::Case => "case",
            Kind::Victim => "victim",
        }
    }
}

#[derive(Default)]
struct Walker {
    problems: Vec<Problem>,
    /// Ids declared in the file, with their paths, in order.
    ids: Vec<(Kind, String, String)>,
    /// References to resolve, with their paths.
    refs: Vec<(Kind, String, String)>,
    /// Ids declared already, to which a reference needs no resolving: a large file's
    /// contacts name their officers over a million times, each path kept until the end
    /// otherwise. (What is declared earlier is declared: resolving finds no more.)
    settled: Settled,
}

/// Ids declared, by kind.
#[derive(Default)]
struct Settled {
    officers: HashSet<String>,
    cases: HashSet<String>,
    victims: HashSet<String>,
}

impl Settled {
    fn of(&mut self, kind: Kind) -> &mut HashSet<String> {
        match kind {
            Kind::Officer => &mut self.officers,
            Kind::Case => &mut self.cases,
            Kind::Victim => &mut self.victims,
        }
    }

    fn has(&self, kind: Kind, id: &str) -> bool {
        match kind {
            Kind::Officer => self.officers.contains(id),
            Kind::Case => self.cases.contains(id),
            Kind::Victim => self.victims.contains(id),
        }
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A field's place: its record's path and its key, joined only for a problem (a large
/// file's contacts have over ten million fields, nearly all without one).
#[derive(Clone, Copy)]
struct Field<'a> {
    parent: &'a str,
    key: &'a str,
}

/// Where a value is: a path, or a field's place.
trait Place {
    fn path(&self) -> String;
}

impl Place for str {
    fn path(&self) -> String {
        self.to_owned()
    }
}

impl Place for String {
    fn path(&self) -> String {
        self.clone()
    }
}

impl Place for Field<'_> {
    fn path(&self) -> String {
        child(self.parent, self.key)
    }
}

impl From<Field<'_>> for String {
    fn from(f: Field<'_>) -> String {
        f.path()
    }
}

/// A date as `YYYY-MM-DD`: digits where digits go read directly, anything else as chrono
/// reads it (the same answer, a fifth of the time).
fn ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0_u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A time as `HH:MM` (likewise).
fn hm(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit()) {
        let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
        return two(0) < 24 && two(3) < 60;
    }
    NaiveTime::parse_from_str(s, "%H:%M").is_ok()
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A key that could be a misspelt field name: letters and `_`, not too long.
fn looks_like_a_field(key: &str) -> bool {
    (1..=40).contains(&key.chars().count())
        && key.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

/// Why a key is not quoted: such a key (an address pasted where a field name goes) may hold
/// a victim's details, so a problem gives only its place and length.
fn unquoted(key: &str) -> String {
    format!(
        "its name, {} characters, is not a field name and is not repeated here",
        key.chars().count()
    )
}

/// A short, visible quotation of a value that is not free text (a date, an identifier).
fn quote(s: &str) -> String {
    format!("\"{}\"", shortened(s, 40))
}

impl Walker {
    fn report(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn object<'v>(
        &mut self,
        path: &str,
        v: &'v Value,
        fields: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = v.as_object() else {
            self.report(path, format!("expected an object, found {}", describe(v)));
            return None;
        };
        for key in map.keys() {
            if fields.contains(&key.as_str()) {
                continue;
            }
            if looks_like_a_field(key) {
                self.report(child(path, key), format!("unknown field {}", quote(key)));
            } else {
                self.report(path, format!("unknown field ({})", unquoted(key)));
            }
        }
        Some(map)
    }

    /// A field's value, if present and not null; reports a missing required field.
    fn field<'p, 'v>(
        &mut self,
        path: &'p str,
        map: &'v Map<String, Value>,
        key: &'p str,
        required: bool,
    ) -> Option<(Field<'p>, &'v Value)> {
        let p = Field { parent: path, key };
        match map.get(key) {
            Some(Value::Null) | None => {
                if required {
                    self.report(p, "missing required field");
                }
                None
            }
            Some(v) => Some((p, v)),
        }
    }

    /// [`Walker::field`] with its path joined: for a field that holds an object, whose own
    /// fields' places start from it.
    fn field_at<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
        required: bool,
    ) -> Option<(String, &'v Value)> {
        self.field(path, map, key, required)
            .map(|(p, v)| (p.path(), v))
    }

    fn string<'v>(&mut self, path: &(impl Place + ?Sized), v: &'v Value) -> Option<&'v str> {
        if let Value::String(s) = v {
            Some(s)
        } else {
            self.report(path.path(), format!("expected text, found {}", describe(v)));
            None
        }
    }

    /// Free text: any characters but control ones (newline and tab allowed). Never quoted.
    fn text<'v>(&mut self, path: &(impl Place + ?Sized), v: &'v Value) -> Option<&'v str> {
        let s = self.string(path, v)?;
        if let Some(c) = forbidden_char(s) {
            self.report(
                path.path(),
                format!(
                    "contains the control character U+{:04X}; only plain text is allowed",
                    u32::from(c)
                ),
            );
            return None;
        }
        Some(s)
    }

    fn opt_text(&mut self, path: &str, map: &Map<String, Value>, key: &str) {
        if let Some((p, v)) = self.field(path, map, key, false) {
            self.text(&p, v);
        }
    }

    /// A name: plain text that is not blank.
    fn name(&mut self, path: &str, map: &Map<String, Value>, key: &str, required: bool) {
        if let Some((p, v)) = self.field(path, map, key, required)
            && let Some(s) = self.text(&p, v)
            && s.trim().is_empty()
        {
            self.report(p, "must not be blank");
        }
    }

    /// An identifier: short, not blank, no control characters at all.
    fn id<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
        required: bool,
    ) -> Option<&'v str> {
        let (p, v) = self.field(path, map, key, required)?;
        let s = self.string(&p, v)?;
        if s.trim().is_empty() {
            self.report(p, "must not be blank");
        } else if s.chars().any(char::is_control) {
            self.report(
                p,
                "an id may not contain control characters, newlines or tabs",
            );
        } else if let Some(c) = s.chars().find(|&c| is_invisible(c)) {
            // `V-1` and `V-\u{200b}1` would look the same in every list and every message.
            self.report(
                p,
                format!(
                    "an id may not contain invisible characters (this one has U+{:04X}); retype it",
                    u32::from(c)
                ),
            );
        } else if s.trim() != s {
            self.report(p, format!("id {} has spaces at its start or end", quote(s)));
        } else if s.chars().count() > MAX_ID_LEN {
            self.report(p, format!("an id may be at most {MAX_ID_LEN} characters"));
        } else {
            return Some(s);
        }
        None
    }

    fn reference(
        &mut self,
        kind: Kind,
        path: &str,
        map: &Map<String, Value>,
        key: &str,
        required: bool,
    ) {
        if let Some(id) = self.id(path, map, key, required)
            && !self.settled.has(kind, id)
        {
            self.refs.push((kind, child(path, key), id.to_owned()));
        }
    }

    fn date_value(&mut self, path: &(impl Place + ?Sized), v: &Value) -> Option<NaiveDate> {
        let s = self.string(path, v)?;
        let parsed = (s.len() == 10).then(|| ymd(s)).flatten();
        match parsed {
            None => self.report(
                path.path(),
                format!("invalid date {} (expected YYYY-MM-DD)", quote(s)),
            ),
            Some(d) if !(MIN_DATE..=MAX_DATE).contains(&d) => {
                self.report(
                    path.path(),
                    format!("date {} is outside 1900-01-01 to 2100-12-31", quote(s)),
                );
            }
            Some(d) => return Some(d),
        }
        None
    }

    fn date(
        &mut self,
        path: &str,
        map: &Map<String, Value>,
        key: &str,
        required: bool,
    ) -> Option<NaiveDate> {
        let (p, v) = self.field(path, map, key, required)?;
        self.date_value(&p, v)
    }

    fn time(&mut self, path: &str, map: &Map<String, Value>, key: &str) {
        let Some((p, v)) = self.field(path, map, key, false) else {
            return;
        };
        let Some(s) = self.string(&p, v) else { return };
        if s.len() != 5 || !hm(s) {
            self.report(p, format!("invalid time {} (expected HH:MM)", quote(s)));
        }
    }

    fn enumeration<E: Identifier>(
        &mut self,
        path: &str,
        map: &Map<String, Value>,
        key: &str,
        required: bool,
    ) -> Option<E> {
        let (p, v) = self.field(path, map, key, required)?;
        let s = self.string(&p, v)?;
        let parsed = E::parse(s);
        if parsed.is_none() {
            self.report(
                p,
                format!(
                    "unknown value {} (expected one of: {})",
                    quote(s),
                    E::IDS.join(", ")
                ),
            );
        }
        parsed
    }

    fn boolean(&mut self, path: &str, map: &Map<String, Value>, key: &str) {
        if let Some((p, v)) = self.field(path, map, key, false)
            && !v.is_boolean()
        {
            self.report(p, format!("expected true or false, found {}", describe(v)));
        }
    }

    fn whole_number(
        &mut self,
        path: &str,
        map: &Map<String, Value>,
        key: &str,
        range: std::ops::RangeInclusive<u64>,
    ) {
        let Some((p, v)) = self.field(path, map, key, false) else {
            return;
        };
        match v.as_u64() {
            Some(n) if range.contains(&n) => {}
            _ => self.report(
                p,
                format!(
                    "expected a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            ),
        }
    }

    /// A list's items with their paths (an omitted or null list is empty).
    fn list<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Vec<(String, &'v Value)> {
        let Some((p, v)) = self.field(path, map, key, false) else {
            return Vec::new();
        };
        let Some(items) = v.as_array() else {
            self.report(p, format!("expected a list, found {}", describe(v)));
            return Vec::new();
        };
        let p = p.path();
        items
            .iter()
            .enumerate()
            .map(|(i, item)| (format!("{p}[{i}]"), item))
            .collect()
    }

    /// The officers' ids, declared as the walker would declare them, settled for the
    /// references that follow them.
    fn settle_officers(&mut self, officers: &Value) {
        let mut scratch = Walker::default();
        for officer in officers.as_array().into_iter().flatten() {
            scratch.officer("", officer);
        }
        for (kind, _, id) in scratch.ids {
            self.settled.of(kind).insert(id);
        }
    }

    fn declare(&mut self, kind: Kind, path: &str, map: &Map<String, Value>) {
        if let Some(id) = self.id(path, map, "id", true) {
            self.ids.push((kind, child(path, "id"), id.to_owned()));
        }
    }

    /// The problems of one record: for a record being changed its own id is no clash.
    fn finish(mut self, known: &KnownIds, new: bool) -> Vec<Problem> {
        if !new {
            self.ids.clear();
        }
        self.resolve(known, false);
        self.problems
    }

    /// Ids unique in the file and new to the store (unless replacing); references resolve.
    fn resolve(&mut self, known: &KnownIds, replace: bool) {
        let known_set = |kind: Kind| match kind {
            Kind::Officer => &known.officers,
            Kind::Case => &known.cases,
            Kind::Victim => &known.victims,
        };
        let mut first: HashMap<(Kind, &str), &str> = HashMap::new();
        let mut problems = Vec::new();
        for (kind, path, id) in &self.ids {
            if let Some(earlier) = first.get(&(*kind, id.as_str())) {
                problems.push(Problem {
                    path: path.clone(),
                    message: format!(
                        "{} id {} appears twice (first at {earlier})",
                        kind.noun(),
                        quote(id)
                    ),
                });
                continue;
            }
            first.insert((*kind, id.as_str()), path.as_str());
            let erased = match kind {
                Kind::Officer => false,
                Kind::Case => known.erased_cases.contains(id),
                Kind::Victim => known.erased_victims.contains(id),
            };
            if !replace && erased {
                problems.push(Problem {
                    path: path.clone(),
                    message: format!(
                        "{} {} was erased from this store, so it is not imported again \
                         (use --replace to bring it back, if it must come back)",
                        kind.noun(),
                        quote(id)
                    ),
                });
            }
            if !replace && known_set(*kind).contains(id) {
                problems.push(Problem {
                    path: path.clone(),
                    message: format!(
                        "{} {} is already in the store (use --replace to overwrite it)",
                        kind.noun(),
                        quote(id)
                    ),
                });
            }
        }
        for (kind, path, id) in &self.refs {
            if !first.contains_key(&(*kind, id.as_str())) && !known_set(*kind).contains(id) {
                problems.push(Problem {
                    path: path.clone(),
                    message: format!("no {} {} in the file or the store", kind.noun(), quote(id)),
                });
            }
        }
        self.problems.extend(problems);
    }
}

mod casework;
mod dupes;
mod quick;
mod records;
mod stream;

#[cfg(test)]
mod tests;
