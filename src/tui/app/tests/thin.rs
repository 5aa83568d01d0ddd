//! Thin screens (the unit service holds the unit, the screens what they show) against
//! screens that hold the whole unit: the same rows, diary, counts and moves.

use super::*;
use crate::unit::lens::Lens;

/// Thin screens on `caseload`, and the lens that answers them as the service would.
fn thin_on(caseload: &Caseload, today: NaiveDate, officer: &str) -> (App, Lens) {
    let mut setup = Setup::new(Caseload::default(), today, officer);
    setup.facts = Some(Vec::new());
    setup.thin = true;
    let lens = Lens::new(
        caseload.clone(),
        None,
        Snoozes::default(),
        today,
        setup.lead,
        setup.days.clone(),
    );
    (App::new(setup), lens)
}

/// Answers what the screens want, as the loop asks the service before a frame. How many
/// victim records were sent.
fn serve(app: &mut App, lens: &mut Lens) -> usize {
    let mut sent = 0;
    while let Some(ask) = app.window_wanted() {
        lens.on(ask.today, ask.lead, &ask.days);
        let window = lens.window(&ask);
        sent += window.victims.len();
        app.on_outcome(Outcome::Window(Box::new(window)));
    }
    sent
}

fn whole_on(caseload: &Caseload, today: NaiveDate, officer: &str) -> App {
    App::new(Setup::new(caseload.clone(), today, officer))
}

fn sample() -> Caseload {
    sample_app().caseload().clone()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// The ids of the rows held, and where the first stands in the whole list.
fn rows(app: &App) -> (usize, Vec<String>) {
    let ids = app
        .list
        .rows
        .iter()
        .map(|&i| app.caseload().victims[i].id.clone())
        .collect();
    (app.list_span().0, ids)
}

fn selected_id(app: &App) -> Option<String> {
    app.selected_victim().map(|v| v.id.clone())
}

fn selected_item(app: &App) -> Option<String> {
    app.diary
        .items
        .get(app.diary.selected)
        .map(|i| i.reminder.identity())
}

/// The rows a thin screen holds are the whole list's, at the place it says.
fn same_rows(thin: &App, whole: &App) {
    let (before, held) = rows(thin);
    let (_, all) = rows(whole);
    assert_eq!(thin.list_span().1, all.len(), "how many the filters show");
    assert_eq!(held, all[before..before + held.len()], "the rows held");
}

#[test]
fn thin_screens_show_what_screens_holding_the_unit_show() {
    let caseload = sample();
    let (mut thin, mut lens) = thin_on(&caseload, day(), "sahmed");
    let whole = whole_on(&caseload, day(), "sahmed");
    // Nothing is held before the service answers.
    assert_eq!(thin.caseload().victims.len(), 0);
    assert!(thin.window_wanted().is_some());
    serve(&mut thin, &mut lens);
    same_rows(&thin, &whole);
    assert_eq!(selected_id(&thin), selected_id(&whole));
    assert_eq!(thin.counts(), whole.counts());
    assert_eq!(thin.counts(), (17, 4, 15));
    assert_eq!(thin.victims_in_unit(), whole.caseload().victims.len());
    // The sample's diary is short: all of it is sent.
    assert_eq!(thin.diary.items, whole.diary.items);
    let dates = |app: &App| -> Vec<(NaiveDate, String)> {
        app.diary
            .key_dates_ahead
            .iter()
            .map(|&(d, c, _)| (d, app.caseload().cases[c].id.clone()))
            .collect()
    };
    assert_eq!(dates(&thin), dates(&whole));
    assert!(thin.window_wanted().is_none(), "nothing more to ask");
}

#[test]
fn thin_screens_move_filter_and_search_as_screens_holding_the_unit_do() {
    let caseload = crate::generate::generate(3_000, 7, day());
    let officer = caseload.officers[0].id.clone();
    let (mut thin, mut lens) = thin_on(&caseload, day(), &officer);
    let mut whole = whole_on(&caseload, day(), &officer);
    for app in [&mut thin, &mut whole] {
        app.set_page(5);
    }
    serve(&mut thin, &mut lens);
    let script = "down down pagedown pagedown pagedown pagedown pagedown pagedown pagedown up pageup end up up pageup home down m pagedown pagedown pagedown m tab down pagedown pagedown pagedown pagedown pagedown pagedown pagedown pagedown down down pageup end up home down shift-tab";
    for key in script.split(' ') {
        keys(&mut thin, key);
        keys(&mut whole, key);
        serve(&mut thin, &mut lens);
        assert_eq!(selected_id(&thin), selected_id(&whole), "after {key}");
        assert_eq!(selected_item(&thin), selected_item(&whole), "after {key}");
        assert_eq!(thin.counts(), whole.counts(), "after {key}");
        same_rows(&thin, &whole);
    }
    // A search as it is typed, a letter at a time.
    keys(&mut thin, "/");
    keys(&mut whole, "/");
    for c in ["m", "a", "r"] {
        type_text(&mut thin, c);
        type_text(&mut whole, c);
        serve(&mut thin, &mut lens);
        same_rows(&thin, &whole);
        assert_eq!(selected_id(&thin), selected_id(&whole), "searching {c}");
    }
    assert!(thin.list_span().1 < 3_000, "the search narrowed the list");
}

#[test]
fn a_change_reaches_thin_screens_through_what_the_store_holds() {
    let caseload = sample();
    let store = sample_store();
    let mut setup = Setup::new(Caseload::default(), day(), "sahmed");
    setup.facts = Some(Vec::new());
    setup.thin = true;
    let mut thin = App::new(setup);
    assert!(crate::tui::run::load_window(&store.store, &mut thin));
    let whole = whole_on(&caseload, day(), "sahmed");
    let first = selected_id(&thin).unwrap();
    assert_eq!(Some(first.clone()), selected_id(&whole));
    crate::tui::run::load_records(&store.store, &mut thin);
    // The most urgent victim's due letter, logged: they move down the list.
    let contact = Contact {
        on: day(),
        at: None,
        kind: ContactKind::Update,
        method: crate::domain::enums::Medium::Letter,
        direction: crate::domain::enums::Direction::Outbound,
        summary: None,
        by: None,
        key_date: None,
        corrects: None,
        follows: None,
        to: None,
    };
    let effect = Effect::Save(Command::LogContact {
        victim: first.clone(),
        contact,
    });
    store.save(&mut thin, &effect);
    assert!(
        thin.window_wanted().is_some(),
        "the change asks for the window again"
    );
    assert!(crate::tui::run::load_window(&store.store, &mut thin));
    assert_eq!(
        selected_id(&thin),
        Some(first),
        "the selection stays on the victim"
    );
    let again = whole_on(&store.store.load().unwrap(), day(), "sahmed");
    assert_eq!(thin.counts(), again.counts());
    same_rows(&thin, &again);
}

/// The point of thin screens: what the first frame reads follows what it shows, not the
/// size of the unit. The same rows are read at 10,000 and 100,000 victims, each diary group
/// the items it shows (a smaller unit has fewer due today), and every record read is one a
/// row or an item names: the same bound at both sizes.
#[test]
fn a_first_frame_reads_as_many_records_at_100_000_victims_as_at_10_000() {
    const PAGE: usize = 30;
    // The rows below the first one selected, and the lines a pane shows.
    let (cap, lines) = (2 * PAGE + 8 + 1, PAGE + 8);
    let first_frame = |victims: usize| {
        let caseload = crate::generate::generate(victims, 11, day());
        let officer = caseload.officers[0].id.clone();
        let (mut thin, mut lens) = thin_on(&caseload, day(), &officer);
        thin.set_page(PAGE);
        let ask = thin.window_wanted().unwrap();
        lens.on(ask.today, ask.lead, &ask.days);
        let window = lens.window(&ask);
        for g in &window.groups {
            let shown = if g.status == ask.diary_at.0 {
                cap
            } else {
                lines
            };
            assert_eq!(g.items.len(), g.len.min(shown), "{victims}: {:?}", g.status);
        }
        assert_eq!(window.key_dates.len(), window.key_dates_total.min(lines));
        let items: usize = window.groups.iter().map(|g| g.items.len()).sum();
        let counted = (
            window.rows.len(),
            window.key_dates.len(),
            window.victims.len() + window.cases.len(),
            items,
        );
        thin.on_outcome(Outcome::Window(Box::new(window)));
        assert!(thin.window_wanted().is_none());
        counted
    };
    let small = first_frame(10_000);
    let large = first_frame(100_000);
    // The first row selected: the rows below it, as many at both sizes.
    assert_eq!(small.0, cap, "the rows around the selection");
    assert_eq!(small.0, large.0);
    // A victim and its case for each row and each item, at most; four groups at most.
    let bound = 2 * (cap + cap + 3 * lines) + lines;
    for (rows, dates, records, items) in [small, large] {
        assert!(records <= 2 * (rows + items) + dates, "{records} records");
        assert!(records <= bound, "{records} records of {bound}");
    }
}

#[test]
fn a_move_in_an_empty_list_asks_for_nothing() {
    let (mut thin, mut lens) = thin_on(&sample(), day(), "sahmed");
    serve(&mut thin, &mut lens);
    keys(&mut thin, "/");
    type_text(&mut thin, "nobody-is-called-this\n");
    serve(&mut thin, &mut lens);
    assert_eq!(thin.list_span(), (0, 0));
    for key in ["down", "pagedown", "end", "up", "home"] {
        keys(&mut thin, key);
        assert!(thin.window_wanted().is_none(), "{key} asked again");
    }
}
