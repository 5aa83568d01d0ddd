//! The diary worked out from the store's digest, and written in its three forms: text for a
//! person at 9am, JSON (FORMAT.md §3), iCalendar. The command line writes them when it holds
//! the store, the unit service when it does.

use std::collections::HashMap;
use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::ink::{Ink, paint};
use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::enums::{DiaryStatus, KeyDateKind, ReminderKind, TaskKind};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload, Victim};
use crate::domain::reminders::{DiaryItem, DiaryQuery, Rules, diary_from_facts};
use crate::domain::text::{first_line, visible};
use crate::error::Error;
use crate::store::Digest;
use crate::store::Snooze;

/// The diary's three forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Grouped lines for people, coloured where asked.
    Text,
    /// One object (FORMAT.md §3), for scripts.
    Json,
    /// An iCalendar file of all-day events.
    Ics,
}

impl Format {
    /// The form by its name on the wire (`text`, `json`, `ics`).
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "text" => Some(Self::Text),
            "json" => Some(Self::Json),
            "ics" => Some(Self::Ics),
            _ => None,
        }
    }

    /// Its name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
            Self::Ics => "ics",
        }
    }
}

/// The diary's items for `query` from a digest, by the unit's lead times and calendar.
pub fn items_of(
    digest: &Digest,
    config: &Config,
    query: &DiaryQuery<'_>,
) -> Result<Vec<DiaryItem>, Error> {
    items_from(&digest.caseload, digest.joined(), config, query)
}

/// The diary's items for `query` from a unit's head (`caseload`: its officers and days off)
/// and each victim `joined` with its facts and case.
pub fn items_from<'v>(
    caseload: &Caseload,
    joined: impl Iterator<Item = (&'v Victim, &'v LogFacts, &'v Case)>,
    config: &Config,
    query: &DiaryQuery<'_>,
) -> Result<Vec<DiaryItem>, Error> {
    if let Some(o) = query.officer
        && !caseload.officers.iter().any(|x| x.id == o)
    {
        return Err(Error::Usage(format!(
            "there is no officer \"{o}\" in the store"
        )));
    }
    let calendar = calendar_of(caseload, config);
    let rules = Rules {
        calendar: &calendar,
        lead: &config.lead_times,
    };
    Ok(diary_from_facts(joined, query, rules))
}

/// The unit's working days: the store's days off (`caseload`'s) and the configuration's.
pub fn calendar_of(caseload: &Caseload, config: &Config) -> Calendar {
    Calendar::with_changes(
        caseload
            .extra_non_working_days
            .iter()
            .chain(&config.days.non_working)
            .copied(),
        config.days.working.iter().copied(),
    )
}

/// The diary as `format` writes it.
pub fn render(
    format: Format,
    caseload: &Caseload,
    snoozes: &[Snooze],
    query: &DiaryQuery<'_>,
    items: &[DiaryItem],
    colour: bool,
) -> String {
    match format {
        Format::Json => json(query, items),
        Format::Ics => ics(query, items),
        Format::Text => text(caseload, snoozes, query, items, colour),
    }
}

#[derive(Serialize)]
struct JsonDiary<'a> {
    date: NaiveDate,
    days: u32,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    kind: ReminderKind,
    victim_id: &'a str,
    case_id: &'a str,
    officer: Option<&'a str>,
    due: NaiveDate,
    status: DiaryStatus,
    key_date: Option<KeyDateKind>,
    sensitive: Option<&'a str>,
    /// vlu's own: a `task`'s kind; absent from every other item, so that a diary of the
    /// contract's records is the contract's, field for field.
    #[serde(skip_serializing_if = "Option::is_none")]
    task: Option<TaskKind>,
}

pub fn json(query: &DiaryQuery<'_>, items: &[DiaryItem]) -> String {
    let diary = JsonDiary {
        date: query.date,
        days: query.days,
        items: items
            .iter()
            .map(|i| {
                let r = &i.reminder;
                JsonItem {
                    kind: r.kind,
                    victim_id: &r.victim_id,
                    case_id: &r.case_id,
                    officer: r.officer.as_deref(),
                    due: r.due,
                    status: i.status,
                    key_date: r.key_date,
                    sensitive: r.sensitive.as_deref(),
                    task: r.task,
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&diary).expect("the diary always serialises");
    out.push('\n');
    out
}

/// The calendar's product id: vlu and its version (RFC 5545 §3.7.3).
const PRODID: &str = concat!("-//vlu//vlu diary ", env!("CARGO_PKG_VERSION"), "//EN");

/// An iCalendar file of the same items, one all-day event each on its due date, marked free
/// time (`TRANSP:TRANSPARENT`: a reminder is not a meeting and must not block the day) and
/// private (`CLASS:PRIVATE`: a shared calendar shows others only that the time is taken). It
/// carries ids, never names or any text from a victim's record — not even a sensitive
/// date's label, which can name a person ("John's birthday"): calendars are synced to
/// phones and shared. Each event's UID is [`calendar_uid`]: the same reminder keeps it from
/// one diary to the next, and no two events of a file share one.
pub fn ics(query: &DiaryQuery<'_>, items: &[DiaryItem]) -> String {
    use icalendar::{Calendar, Component, EventLike};
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name("vlu diary");
    let mut uids = std::collections::HashSet::new();
    for item in items {
        let r = &item.reminder;
        let mut description = format!(
            "{}.\nVictim {}, case {}",
            r.action(),
            r.victim_id,
            r.case_id
        );
        if let Some(o) = &r.officer {
            let _ = write!(description, ", officer {o}");
        }
        if r.sensitive.is_some() {
            description.push_str(
                ".\nNear one of the victim's sensitive dates: see the victim's record before any contact",
            );
        }
        let _ = write!(description, ".\nFrom the diary of {}.", query.date);
        let overdue = if item.status == DiaryStatus::Overdue {
            "Overdue: "
        } else {
            ""
        };
        let event = icalendar::Event::new()
            .uid(&calendar_uid(r, &mut uids))
            .summary(&format!("{overdue}{} for {}", r.label(), r.victim_id))
            .description(&description)
            .starts(r.due)
            // All-day events end, exclusively, on the next day (RFC 5545 §3.6.1).
            .ends(r.due.succ_opt().unwrap_or(r.due))
            .add_property("TRANSP", "TRANSPARENT")
            .class(icalendar::Class::Private)
            .done();
        cal.push(event);
    }
    folded(&cal.done().to_string())
}

/// The longest a line of an iCalendar file may be, in octets, without its CRLF (RFC 5545
/// §3.1).
pub const ICS_LINE_OCTETS: usize = 75;

/// An iCalendar text with every content line folded anew at [`ICS_LINE_OCTETS`] octets
/// (the icalendar crate counts one too many), never inside a UTF-8 character: a line is
/// continued on the next after CRLF and one space (RFC 5545 §3.1).
fn folded(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 64);
    for line in unfolded.split_terminator("\r\n") {
        let mut room = ICS_LINE_OCTETS;
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > room {
                out.push_str("\r\n ");
                // The space that continues a line is one of its octets.
                room = ICS_LINE_OCTETS - 1;
                used = 0;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

/// A reminder's calendar UID: a hash of what makes it that reminder — its kind, victim, key
/// date kind, the date it is about and the licence request it comes from — as 32 hex digits
/// `@vlu`. The same reminder gets the same UID in every diary; the UID itself says nothing
/// of the victim. Two reminders alike in all of that (two calls logged on one day) are told
/// apart by their order in the diary, which is fixed: a second gets `#2` hashed in, and so
/// on, so that no UID of a file is used twice (`used`).
fn calendar_uid(
    r: &crate::domain::reminders::Reminder,
    used: &mut std::collections::HashSet<String>,
) -> String {
    use sha2::{Digest, Sha256};
    let base = format!(
        "vlu diary 1\n{}\n{}\n{}\n{}\n{}",
        r.kind,
        r.victim_id,
        r.key_date.map_or("-", KeyDateKind::as_str),
        r.about.map_or_else(|| "-".to_owned(), |d| d.to_string()),
        r.entry.map_or_else(|| "-".to_owned(), |e| e.to_string()),
    );
    let mut n = 1u32;
    loop {
        let text = if n == 1 {
            base.clone()
        } else {
            format!("{base}\n#{n}")
        };
        let hash = Sha256::digest(text.as_bytes());
        let mut uid = String::with_capacity(40);
        for byte in &hash[..16] {
            let _ = write!(uid, "{byte:02x}");
        }
        uid.push_str("@vlu");
        if used.insert(uid.clone()) {
            return uid;
        }
        n += 1;
    }
}

#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, ink: Ink, text: &str) -> String {
        paint(self.0, ink, text)
    }
}

fn heading_colour(status: DiaryStatus) -> Ink {
    match status {
        DiaryStatus::Overdue => Ink::Red,
        DiaryStatus::DueToday => Ink::Yellow,
        DiaryStatus::DueSoon => Ink::Cyan,
        DiaryStatus::Upcoming => Ink::Bold,
    }
}

/// The diary as a VLO reads it at 9am: grouped Overdue / Today / This week / Later.
pub fn text(
    caseload: &Caseload,
    snoozes: &[Snooze],
    query: &DiaryQuery<'_>,
    items: &[DiaryItem],
    colour: bool,
) -> String {
    let paint = Paint(colour);
    let (victims, cases) = caseload.by_id();
    let unit = caseload
        .unit
        .as_ref()
        .and_then(|u| u.name.as_deref())
        .unwrap_or("vlu");
    let whose = query
        .officer
        .map_or_else(|| "all officers".to_owned(), |o| format!("officer {o}"));
    let mut out = format!(
        "{} — diary for {}, next {} days, {}\n",
        paint.wrap(Ink::Bold, &visible(unit)),
        query.date.format("%A %-d %B %Y"),
        query.days,
        visible(&whose)
    );
    if items.is_empty() {
        let _ = writeln!(
            out,
            "\nNothing is overdue or due in the next {} days.",
            query.days
        );
        return out;
    }
    for status in DiaryStatus::ALL {
        let group: Vec<&DiaryItem> = items.iter().filter(|i| i.status == *status).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            paint.wrap(
                heading_colour(*status),
                &format!("{} ({})", status.label(), group.len())
            )
        );
        for item in group {
            text_line(&mut out, item, (&victims, &cases), snoozes, query, paint);
        }
    }
    out
}

/// One item of the text diary, without its newline.
fn text_line(
    out: &mut String,
    item: &DiaryItem,
    (victims, cases): (&HashMap<&str, &Victim>, &HashMap<&str, &Case>),
    snoozes: &[Snooze],
    query: &DiaryQuery<'_>,
    paint: Paint,
) {
    let r = &item.reminder;
    let name = victims
        .get(r.victim_id.as_str())
        .map_or("", |v| v.name.as_str());
    let offender = cases
        .get(r.case_id.as_str())
        .map_or("", |c| c.offender.name.as_str());
    let late = match (query.date - r.due).num_days() {
        n if n > 0 => format!(" ({n} days late)"),
        _ => String::new(),
    };
    let _ = write!(
        out,
        "  {}{late}  {} ({}) · case {} ({}) · {}",
        r.due.format("%a %-d %b %Y"),
        visible(name),
        visible(&r.victim_id),
        visible(&r.case_id),
        visible(offender),
        r.action(),
    );
    if let Some(o) = &r.officer {
        let _ = write!(out, " · {}", visible(o));
    }
    if let Some(s) = &r.sensitive {
        let _ = write!(
            out,
            " {}",
            paint.wrap(
                Ink::Magenta,
                &format!("⚠ near a sensitive date: {}", visible(s))
            )
        );
    }
    let identity = r.identity();
    if let Some(s) = snoozes
        .iter()
        .find(|s| s.reminder == identity && s.until > query.date)
    {
        let _ = write!(
            out,
            " (snoozed to {} by {}: {})",
            s.until.format("%-d %b %Y"),
            visible(&s.by),
            first_line(&s.reason)
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::{ICS_LINE_OCTETS, folded};

    #[test]
    fn a_line_folds_at_75_octets_and_never_inside_a_character() {
        let exact = format!("{}\r\n", "a".repeat(75));
        assert_eq!(folded(&exact), exact);
        let over = format!("{}\r\n", "a".repeat(76));
        assert_eq!(folded(&over), format!("{}\r\n a\r\n", "a".repeat(75)));
        // 74 octets, then a two-octet letter that would make 76: it moves whole.
        let split = format!("{}é\r\n", "a".repeat(74));
        assert_eq!(folded(&split), format!("{}\r\n é\r\n", "a".repeat(74)));
        // A line folded elsewhere (at 76) is unfolded and folded again.
        let long = "DESCRIPTION:".to_owned() + &"ø€𝄞x".repeat(60);
        let refolded = folded(&format!("{}\r\n {}\r\n", &long[..10], &long[10..]));
        for line in refolded.split_terminator("\r\n") {
            assert!(line.len() <= ICS_LINE_OCTETS, "{line}");
        }
        assert_eq!(refolded.replace("\r\n ", ""), format!("{long}\r\n"));
    }
}
