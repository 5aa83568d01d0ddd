//! What each pane draws, as text snapshots over ratatui's `TestBackend`, plus checks of the
//! colours that carry meaning. The date is fixed at the sample's anchor.

mod common;

use common::screens::{app_with, press, sample_caseload, type_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use vlu::tui::app::App;
use vlu::tui::draw::draw;

fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, app)).unwrap();
    terminal
}

fn sample() -> App {
    app_with(sample_caseload(), Vec::new(), true)
}

#[path = "screens/friction.rs"]
mod friction;

#[test]
fn layout_at_120x40() {
    insta::assert_snapshot!(render(&sample(), 120, 40).backend());
}

#[test]
fn layout_at_80x24() {
    insta::assert_snapshot!(render(&sample(), 80, 24).backend());
}

#[test]
fn layout_at_40x12() {
    insta::assert_snapshot!(render(&sample(), 40, 12).backend());
}

#[test]
fn layout_at_1x1_and_other_tiny_sizes_never_panic() {
    insta::assert_snapshot!(render(&sample(), 1, 1).backend());
    let mut app = sample();
    for (w, h) in [(10, 4), (29, 7), (30, 8), (0, 0), (2, 40), (200, 2)] {
        render(&app, w, h);
    }
    press(&mut app, "a");
    for (w, h) in [(10, 4), (30, 8), (1, 1)] {
        render(&app, w, h);
    }
}

#[test]
fn diary_pane_narrow() {
    let mut app = sample();
    press(&mut app, "tab");
    insta::assert_snapshot!(render(&app, 80, 24).backend());
}

#[test]
fn contacts_pane_narrow() {
    let mut app = sample();
    press(&mut app, "/");
    type_text(&mut app, "helen marsh");
    press(&mut app, "enter tab tab");
    insta::assert_snapshot!(render(&app, 80, 24).backend());
}

/// The caseload narrowed to the victims who never answered, with a release within 12
/// months: what a manager plans the tracing work from. The help key stays in the footer.
#[test]
fn caseload_of_victims_who_never_answered_before_release() {
    let mut app = sample();
    press(&mut app, "u");
    let names: Vec<&str> = app
        .list()
        .rows
        .iter()
        .map(|&i| app.caseload().victims[i].name.as_str())
        .collect();
    assert_eq!(names, ["Lynne Askew", "Kayleigh Burns"]);
    insta::assert_snapshot!(render(&app, 120, 12).backend());
    press(&mut app, "u");
    assert_eq!(
        app.list().rows.len(),
        app.caseload().victims.len(),
        "u again: all"
    );
}

/// A summary far longer than the screen: its last line is reached by scrolling, and the
/// entry scrolls back to its top.
#[test]
fn a_long_contact_summary_scrolls_to_its_end() {
    let mut caseload = sample_caseload();
    let long: Vec<String> = (1..=60)
        .map(|n| format!("Line {n} of what was said."))
        .chain(["The very last line.".to_owned()])
        .collect();
    let victim = caseload
        .victims
        .iter_mut()
        .find(|v| v.name == "Helen Marsh")
        .unwrap();
    for contact in &mut victim.contacts {
        contact.summary = Some(long.join("\n"));
    }
    let mut app = app_with(caseload, Vec::new(), false);
    press(&mut app, "/");
    type_text(&mut app, "helen marsh");
    press(&mut app, "enter tab tab enter");
    let top = format!("{}", render(&app, 80, 24).backend());
    // (The pane behind shows each entry's first line.)
    assert!(
        top.contains("Line 2 of") && !top.contains("The very last line."),
        "{top}"
    );
    press(
        &mut app,
        "pagedown pagedown pagedown pagedown pagedown down down",
    );
    let end = render(&app, 80, 24);
    let text = format!("{}", end.backend());
    assert!(text.contains("The very last line."), "{text}");
    assert!(!text.contains("Line 2 of"), "{text}");
    insta::assert_snapshot!(end.backend());
    press(&mut app, "home");
    let again = format!("{}", render(&app, 80, 24).backend());
    assert!(again.contains("Line 2 of"), "{again}");
    press(&mut app, "esc");
    assert!(
        app.screen().overlays.is_empty(),
        "esc still closes the entry"
    );
}

#[test]
fn victim_view_masks_contact_details() {
    let mut app = sample();
    press(&mut app, "/");
    type_text(&mut app, "joan mercer");
    press(&mut app, "enter enter");
    let terminal = render(&app, 120, 40);
    let text = format!("{}", terminal.backend());
    assert!(text.contains("address ••• · phone •••"), "{text}");
    assert!(
        !text.contains("Cranmore Road") && !text.contains("900101"),
        "{text}"
    );
    assert!(text.contains("every key stage"));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_release_month_victim_is_said_plainly() {
    let mut app = sample();
    press(&mut app, "/");
    type_text(&mut app, "bilal");
    press(&mut app, "enter enter");
    let text = format!("{}", render(&app, 120, 40).backend());
    assert!(
        text.contains("release month only — never give the exact date"),
        "{text}"
    );
}

#[test]
fn a_form_with_a_validation_error() {
    let mut app = sample();
    press(&mut app, "a backspace backspace");
    type_text(&mut app, "31");
    press(
        &mut app,
        "backspace backspace backspace backspace backspace",
    );
    type_text(&mut app, "02-31");
    press(&mut app, "ctrl-s");
    insta::assert_snapshot!(render(&app, 100, 30).backend());
}

#[test]
fn the_help_overlay_comes_from_the_keymap() {
    let mut app = sample();
    press(&mut app, "?");
    insta::assert_snapshot!(render(&app, 100, 40).backend());
}

/// Every cell of the first occurrence of `text` in the buffer, or a panic.
fn cells_of<'a>(buffer: &'a Buffer, text: &str) -> Vec<&'a ratatui::buffer::Cell> {
    let width = buffer.area.width as usize;
    let symbols: Vec<&str> = buffer
        .content
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    let wanted: Vec<String> = text.chars().map(String::from).collect();
    for start in 0..symbols.len() {
        if start % width + wanted.len() <= width
            && wanted
                .iter()
                .enumerate()
                .all(|(i, c)| symbols[start + i] == c)
        {
            return (start..start + wanted.len())
                .map(|i| &buffer.content[i])
                .collect();
        }
    }
    panic!("{text:?} is not on screen");
}

#[test]
fn overdue_is_red_and_today_yellow_but_not_under_no_color() {
    let terminal = render(&sample(), 120, 40);
    let buffer = terminal.backend().buffer();
    for cell in cells_of(buffer, "Overdue (17)") {
        assert_eq!(cell.fg, Color::Red);
        assert!(cell.modifier.contains(Modifier::BOLD));
    }
    for cell in cells_of(buffer, "Today (4)") {
        assert_eq!(cell.fg, Color::Yellow);
    }
    for cell in cells_of(buffer, "17 overdue") {
        assert_eq!(cell.fg, Color::Red);
    }
    let plain = app_with(sample_caseload(), Vec::new(), false);
    let terminal = render(&plain, 120, 40);
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "NO_COLOR: no colour anywhere"
    );
    for cell in cells_of(buffer, "Overdue (17)") {
        assert!(
            cell.modifier.contains(Modifier::BOLD),
            "emphasis stays without colour"
        );
    }
}

#[test]
fn control_characters_in_stored_text_never_reach_the_terminal() {
    let mut caseload = sample_caseload();
    caseload.victims[0].name = "Evil\u{1b}[2J\u{1b}]0;pwned\u{7}Name".into();
    let evil = vlu::domain::model::Contact {
        summary: Some("line\u{1b}[31m red".into()),
        ..caseload.victims[0].contacts[0].clone()
    };
    caseload.victims[0].contacts.push(evil);
    let mut app = app_with(caseload, Vec::new(), true);
    press(&mut app, "/");
    type_text(&mut app, "evil");
    press(&mut app, "enter");
    for script in ["", "enter", "esc tab tab", "enter"] {
        if !script.is_empty() {
            press(&mut app, script);
        }
        let terminal = render(&app, 120, 40);
        let buffer = terminal.backend().buffer();
        assert!(
            buffer
                .content
                .iter()
                .all(|c| !c.symbol().chars().any(char::is_control)),
            "a control character reached the screen after {script:?}"
        );
        // The name, made visible, wherever it shows (a contact's pop-up does not name them).
        let entry_open = matches!(
            app.screen().overlays.last(),
            Some(vlu::tui::app::Overlay::Entry(_))
        );
        assert!(entry_open || format!("{}", terminal.backend()).contains("Evil�[2J�]0;pwned�Name"));
    }
}

#[test]
fn invisible_characters_in_stored_text_are_drawn_written_out() {
    let mut caseload = sample_caseload();
    caseload.victims[0].name = "Joan \u{202e}recreM".into();
    let line_sep = vlu::domain::model::Contact {
        summary: Some("first\u{2028}second\u{200b}".into()),
        ..caseload.victims[0].contacts[0].clone()
    };
    caseload.victims[0].contacts.push(line_sep);
    if let Some(o) = caseload.officers.iter_mut().find(|o| o.id == "sahmed") {
        o.name = "Sara\u{feff} Ahmed".into();
    }
    let mut app = app_with(caseload, Vec::new(), true);
    press(&mut app, "/");
    type_text(&mut app, "recrem");
    press(&mut app, "enter");
    for script in ["", "enter", "esc tab tab", "enter"] {
        if !script.is_empty() {
            press(&mut app, script);
        }
        app.say("The record of V-1\u{2066} could not be read.".into());
        let terminal = render(&app, 120, 40);
        let buffer = terminal.backend().buffer();
        assert!(
            buffer.content.iter().all(|c| !c
                .symbol()
                .chars()
                .any(|c| c.is_control() || vlu::domain::text::is_invisible(c))),
            "an invisible character reached the screen after {script:?}"
        );
        // The name, written out, wherever it shows (a contact's pop-up does not name them).
        if !matches!(
            app.screen().overlays.last(),
            Some(vlu::tui::app::Overlay::Entry(_))
        ) {
            cells_of(buffer, "Joan <U+202E>recreM");
        }
        cells_of(buffer, "Sara<U+FEFF> Ahmed");
        cells_of(buffer, "V-1<U+2066> could not");
    }
}

/// The sample with the monitoring return shown: `R` asks for the quarter to date, answered
/// here by the domain's own function, which the store calls.
fn with_report(colour: bool) -> App {
    use vlu::domain::calendar::Calendar;
    use vlu::domain::reminders::Rules;
    use vlu::domain::rules::LeadTimes;
    use vlu::tui::app::Effect;
    let mut app = app_with(sample_caseload(), Vec::new(), colour);
    let effects = press(&mut app, "R");
    let [Effect::Report(ask)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let c = sample_caseload();
    let calendar = Calendar::new(c.extra_non_working_days.iter().copied());
    let lead = LeadTimes::default();
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let unit = c.unit.as_ref().and_then(|u| u.name.as_deref());
    let report = vlu::domain::report::report(&c.cases, &c.victims, &ask.query, rules, unit);
    app.on_outcome(vlu::tui::app::Outcome::ReportLoaded(Box::new(report)));
    app
}

#[test]
fn the_monitoring_return_at_120x40() {
    let app = with_report(true);
    let terminal = render(&app, 120, 40);
    insta::assert_snapshot!(terminal.backend());
    // The weekly bars are red, as overdue items are everywhere; not under NO_COLOR.
    let bar = |buffer: &Buffer| {
        buffer
            .content()
            .iter()
            .find(|c| c.symbol() == "█")
            .map(|c| c.fg)
    };
    assert_eq!(bar(terminal.backend().buffer()), Some(Color::Red));
    let plain = render(&with_report(false), 120, 40);
    assert_eq!(bar(plain.backend().buffer()), Some(Color::Reset));
    // On a terminal that is not UTF-8, every cell ASCII, the bars in #, = and _.
    let mut ascii = with_report(false);
    ascii.settings_mut().ascii = true;
    for (w, h) in [(120, 40), (80, 24)] {
        let drawn = render(&ascii, w, h);
        let cells = &drawn.backend().buffer().content;
        assert!(
            cells.iter().all(|c| c.symbol().is_ascii()),
            "{}",
            drawn.backend()
        );
        assert!(
            cells.iter().any(|c| c.symbol() == "#"),
            "{}",
            drawn.backend()
        );
        // Nothing drawn that ASCII had no stand-in for (the footer's `?` is the help key).
        let above_footer = &cells[..cells.len() - usize::from(w)];
        assert!(
            !above_footer.iter().any(|c| c.symbol() == "?"),
            "{}",
            drawn.backend()
        );
    }
}

#[test]
fn the_monitoring_return_at_80x24_scrolls_its_figures() {
    let mut app = with_report(true);
    insta::assert_snapshot!(render(&app, 80, 24).backend());
    // The equality breakdown is three pages (of ten lines) below the first figures.
    press(&mut app, "pagedown pagedown pagedown");
    let scrolled = format!("{:?}", render(&app, 80, 24).backend());
    assert!(
        scrolled.contains("Equality: referred / opted in"),
        "{scrolled}"
    );
    assert!(!scrolled.contains("Victims referred"), "{scrolled}");
    press(&mut app, "home");
    let top = format!("{:?}", render(&app, 80, 24).backend());
    assert!(top.contains("Victims referred"), "{top}");
    for (w, h) in [(1, 1), (30, 8), (40, 12), (100, 10), (200, 60), (52, 30)] {
        render(&app, w, h);
    }
}

/// On a terminal whose locale is not UTF-8: every cell ASCII, borders of `+-|`, the
/// contact details masked with `***`, and a snapshot of what a `C`-locale console shows.
#[test]
fn a_terminal_that_is_not_utf8_gets_ascii_only() {
    let ascii = |mut app: App| {
        app.settings_mut().ascii = true;
        app
    };
    let app = ascii(sample());
    let whole = render(&app, 120, 40);
    let cells = &whole.backend().buffer().content;
    assert!(
        cells.iter().all(|c| c.symbol().is_ascii()),
        "{}",
        whole.backend()
    );
    let text = format!("{}", whole.backend());
    assert!(text.contains("+ Caseload"), "{text}");
    assert!(text.contains("-+"), "{text}");
    insta::assert_snapshot!(whole.backend());
    let mut app = ascii(sample());
    press(&mut app, "/");
    type_text(&mut app, "joan");
    press(&mut app, "enter enter");
    let view = format!("{}", render(&app, 120, 40).backend());
    assert!(view.contains("address *** - phone ***"), "{view}");
    assert!(view.is_ascii());
    for (w, h) in [(1, 1), (40, 12), (80, 24)] {
        let small = render(&app, w, h);
        assert!(
            small
                .backend()
                .buffer()
                .content
                .iter()
                .all(|c| c.symbol().is_ascii())
        );
    }
}

#[test]
fn the_workload_view_for_a_manager() {
    let mut app = sample();
    app.settings_mut().officer = "pdevi".into();
    press(&mut app, "W");
    insta::assert_snapshot!(render(&app, 100, 30).backend());
}

/// The header and the diary pane count overdue work alike once something is snoozed.
#[test]
fn a_snoozed_item_is_counted_alike_in_the_header_and_the_diary_pane() {
    let plain = sample();
    let first = plain.diary().items.first().unwrap().reminder.identity();
    let snooze = vlu::store::Snooze {
        reminder: first,
        until: "2026-12-15".parse().unwrap(),
        reason: "waiting for the police".into(),
        by: "sahmed".into(),
    };
    let app = app_with(sample_caseload(), vec![snooze], true);
    let (overdue, ..) = app.counts();
    let text: String = render(&app, 120, 40)
        .backend()
        .buffer()
        .content
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(text.contains(&format!("{overdue} overdue")), "the header");
    assert!(
        text.contains(&format!("Overdue ({overdue}; 1 snoozed)")),
        "the pane's heading"
    );
}

/// A long overdue list no longer hides the other groups: each keeps its heading and some of
/// its items, with a line saying how many more.
#[test]
fn every_diary_group_shows_at_120x40_however_long_the_overdue_list() {
    let app = sample();
    let text: String = render(&app, 120, 40)
        .backend()
        .buffer()
        .content
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    for heading in [
        "Overdue (17)",
        "Today (4)",
        "This week (15)",
        "Later (2)",
        "Key sentence dates",
    ] {
        assert!(text.contains(heading), "{heading} is missing");
    }
    assert!(text.contains("… and 13 more"));
}

/// Two licence requests decided the same day give two reminders that say which is which.
#[test]
fn two_licence_outcomes_of_one_day_read_apart() {
    use vlu::domain::enums::LicenceOutcome;
    let mut caseload = sample_caseload();
    let joan = caseload
        .victims
        .iter_mut()
        .find(|v| v.id == "V-0001")
        .unwrap();
    assert_eq!(joan.licence_requests.len(), 2);
    for r in &mut joan.licence_requests {
        r.outcome = Some(LicenceOutcome::Granted);
        r.outcome_on = Some("2026-11-20".parse().unwrap());
    }
    let app = app_with(caseload, Vec::new(), true);
    // Tall enough for every diary line.
    let text: String = render(&app, 400, 150)
        .backend()
        .buffer()
        .content
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    for which in ["(no contact)", "(exclusion zone)"] {
        assert!(
            text.contains(&format!("Joan Mercer — Tell the victim the licence-condition decision {which} of 20 Nov 2026")),
            "{which}"
        );
    }
}

/// The victim view shows each casework record's row.
#[test]
fn the_victim_view_shows_the_casework_rows() {
    use vlu::domain::enums::{ComplaintOutcome, LicenceCondition, LicenceOutcome, NonDisclosure};
    use vlu::domain::model::{Complaint, LicenceRequest, RestrictedPatient, Vps};
    let d = |s: &str| Some(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let mut caseload = sample_caseload();
    let v = caseload
        .victims
        .iter_mut()
        .find(|v| v.name == "Nadia Kowalska")
        .unwrap();
    v.vps = Some(Box::new(Vps {
        offered_on: d("2026-11-02"),
        submitted_on: d("2026-11-20"),
        non_disclosure_asked_on: d("2026-11-20"),
        non_disclosure_decision: Some(NonDisclosure::Granted),
        non_disclosure_decided_on: d("2026-11-23"),
        ..Vps::default()
    }));
    v.complaints = vec![
        Complaint {
            received_on: d("2026-10-01"),
            acknowledged_on: d("2026-10-05"),
            answered_on: d("2026-10-20"),
            outcome: Some(ComplaintOutcome::Upheld),
            summary: Some("the offer letter named the wrong person".into()),
        },
        Complaint {
            received_on: d("2026-11-20"),
            ..Complaint::default()
        },
    ];
    v.licence_requests.push(LicenceRequest {
        condition: Some(LicenceCondition::ExclusionZone),
        requested_on: d("2026-10-12"),
        submitted_on: d("2026-10-19"),
        outcome: Some(LicenceOutcome::Granted),
        outcome_on: d("2026-11-16"),
        granted: Some("not to enter Hartley town centre".into()),
        map_file: Some("maps/V-0005-hartley.pdf".into()),
        ..LicenceRequest::default()
    });
    let case = caseload
        .cases
        .iter_mut()
        .find(|c| c.id == "C-2019-112")
        .unwrap();
    case.restricted_patient = Some(Box::new(RestrictedPatient {
        tribunal_on: d("2027-03-09"),
        representations_due: d("2027-02-09"),
        ..RestrictedPatient::default()
    }));
    let mut app = app_with(caseload, Vec::new(), false);
    press(&mut app, "/");
    type_text(&mut app, "nadia kowalska");
    press(&mut app, "enter enter");
    let terminal = render(&app, 120, 48);
    let text = format!("{}", terminal.backend());
    for row in [
        "Licence request: exclusion zone — granted · requested 12 Oct 2026 · submitted 19 Oct 2026",
        "granted: not to enter Hartley town centre",
        "Personal statement: offered 2 Nov 2026 · sent 20 Nov 2026 · non-disclosure asked",
        "Complaint: received 1 Oct 2026 · acknowledged 5 Oct 2026 · answered 20 Oct 2026: upheld",
        "Complaint: received 20 Nov 2026 · open",
        "Restricted patient: not registered with MHCS · tribunal 9 Mar 2027",
    ] {
        assert!(text.contains(row), "{row}\n{text}");
    }
    insta::assert_snapshot!(terminal.backend());
}

/// Nothing of the panes beneath shows beside a pop-up: its body is cleared.
#[test]
fn nothing_of_the_panes_shows_beside_a_pop_up() {
    let mut app = sample();
    press(&mut app, "enter");
    let text = format!("{}", render(&app, 120, 40).backend());
    let line = text
        .lines()
        .find(|l| l.contains("· victim · statutory ·"))
        .expect("the victim view is open");
    // Left of the pop-up's border and right of it: blank, not the panes' cut-off words.
    let inside = line.trim_matches('"');
    let start = inside.find("│V-0").expect("the pop-up's left border");
    let left = &inside[..start];
    let end = inside.rfind("│").expect("the pop-up's right border");
    let right = &inside[end + '│'.len_utf8()..];
    assert!(left.chars().all(|c| c == ' '), "{line}");
    assert!(right.chars().all(|c| c == ' '), "{line}");
}

/// An escape not yet told heads the header and the diary, whoever's victim and whatever
/// the filters.
#[test]
fn an_escape_tops_the_header_and_the_diary_whatever_the_filters() {
    use vlu::domain::enums::KeyDateKind;
    use vlu::domain::model::KeyDate;
    let mut caseload = sample_caseload();
    // Hannah Price's case (jokafor's victim); Sara Ahmed is signed in.
    let case = caseload
        .cases
        .iter_mut()
        .find(|c| c.id == "C-2022-088")
        .unwrap();
    case.key_dates.push(KeyDate {
        kind: KeyDateKind::Escape,
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        confirmed: Some(true),
        note: None,
    });
    let mut app = app_with(caseload, Vec::new(), false);
    for filter in [None, Some("m")] {
        if let Some(key) = filter {
            press(&mut app, key);
        }
        let text = format!("{}", render(&app, 120, 40).backend());
        let header = text.lines().next().unwrap();
        assert!(header.contains("1 URGENT · "), "{filter:?}: {header}");
        let heading = text.find("URGENT (1)").unwrap_or_else(|| panic!("{text}"));
        let line = text
            .find("Hannah Price (V-0025) — URGENT: the o")
            .unwrap_or_else(|| panic!("{text}"));
        let overdue = text.find("Overdue (").unwrap();
        assert!(heading < line && line < overdue, "{text}");
    }
}

/// A risk on record heads the victim's record and marks their name in the caseload.
#[test]
fn a_risk_on_record_marks_the_caseload_and_heads_the_record() {
    use vlu::domain::model::Risk;
    let mut caseload = sample_caseload();
    let v = caseload
        .victims
        .iter_mut()
        .find(|v| v.name == "Joan Mercer")
        .unwrap();
    v.risk = Some(Box::new(Risk {
        reason: Some("the offender's brother seen outside her house".into()),
        recorded_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20),
        by: Some("sahmed".into()),
    }));
    let mut app = app_with(caseload, Vec::new(), false);
    let text = format!("{}", render(&app, 120, 40).backend());
    assert!(text.contains("│⚠ Joan Mercer "), "{text}");
    press(&mut app, "/");
    type_text(&mut app, "joan mercer");
    press(&mut app, "enter enter");
    let text = format!("{}", render(&app, 120, 40).backend());
    let risk = text
        .find("⚠ RISK: the offender's brother seen outside her house — recorded by sahmed on 20 Nov 2026")
        .unwrap_or_else(|| panic!("{text}"));
    let first = text.find("V-0001 · victim").unwrap();
    assert!(risk < first, "{text}");
}
