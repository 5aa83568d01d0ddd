//! Start-up and key-to-frame times of the screens on the sample unit, drawn to a 120x40
//! `TestBackend` (the terminal's own write time is not included); and thin screens (the
//! unit service holds the unit) on a generated unit of `VLU_BENCH_SIZES` victims (default
//! 100,000), answered by the lens the service keeps, in process: each key that needs rows
//! not held asks for them before its frame. Run with `cargo bench --bench screens`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vlu::domain::validate::{KnownIds, parse_caseload};
use vlu::store::Store;
use vlu::tui::app::{App, Setup};
use vlu::tui::draw::draw;
use vlu::tui::keymap::Key;
use vlu::unit::lens::{Lens, Snoozes};

#[path = "support/unit.rs"]
mod unit;

fn app(store: &Store) -> App {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    App::new(Setup {
        snoozes: store.snoozes().unwrap(),
        ..Setup::new(store.load().unwrap(), today, "sahmed")
    })
}

fn key(app: &mut App, k: &str) {
    let _ = app.on_key(&Key::parse(k).unwrap().to_event());
}

fn frame(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|f| draw(f, black_box(app))).unwrap();
}

fn screens(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sample-data/northshire.json"
        ))
        .unwrap();
        let caseload = parse_caseload(&text, &KnownIds::default(), false).unwrap();
        Store::open(&path, "bench")
            .unwrap()
            .import(&caseload, false)
            .unwrap();
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();

    c.bench_function("sample: open store, load, first frame", |b| {
        b.iter(|| {
            let store = Store::open(&path, "bench").unwrap();
            let app = app(&store);
            frame(&mut terminal, &app);
        });
    });

    let store = Store::open(&path, "bench").unwrap();
    let mut a = app(&store);
    c.bench_function("sample: key to frame, move down", |b| {
        b.iter(|| {
            key(&mut a, "down");
            frame(&mut terminal, &a);
        });
    });
    c.bench_function("sample: key to frame, open and close a victim", |b| {
        b.iter(|| {
            key(&mut a, "enter");
            frame(&mut terminal, &a);
            key(&mut a, "esc");
        });
    });
    c.bench_function("sample: key to frame, search keystroke", |b| {
        key(&mut a, "/");
        b.iter(|| {
            key(&mut a, "e");
            frame(&mut terminal, &a);
            key(&mut a, "backspace");
        });
    });
}

/// Answers what thin screens want, as the unit service does (without the socket).
fn serve(app: &mut App, lens: &mut Lens) {
    while let Some(ask) = app.window_wanted() {
        lens.on(ask.today, ask.lead, &ask.days);
        let window = lens.window(&ask);
        app.on_outcome(vlu::tui::app::Outcome::Window(Box::new(window)));
    }
}

fn thin_app(today: NaiveDate, officer: &str) -> App {
    App::new(Setup {
        facts: Some(Vec::new()),
        thin: true,
        ..Setup::new(vlu::domain::model::Caseload::default(), today, officer)
    })
}

fn thin(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for n in unit::sizes("100000") {
        let caseload = vlu::generate::generate(n, 11, today);
        let officer = caseload.officers[0].id.clone();
        let setup = Setup::new(vlu::domain::model::Caseload::default(), today, "x");
        let mut lens = Lens::new(
            caseload,
            None,
            Snoozes::default(),
            today,
            setup.lead,
            setup.days,
        );
        // The loop sets the page from a 40-line terminal.
        let page = 32;
        c.bench_function(&format!("thin, {n} victims: first window and frame"), |b| {
            b.iter(|| {
                let mut app = thin_app(today, &officer);
                app.set_page(page);
                serve(&mut app, &mut lens);
                frame(&mut terminal, &app);
            });
        });
        let mut app = thin_app(today, &officer);
        app.set_page(page);
        serve(&mut app, &mut lens);
        for (what, k) in [("move down", "down"), ("page down", "pagedown")] {
            c.bench_function(&format!("thin, {n} victims: key to frame, {what}"), |b| {
                b.iter(|| {
                    key(&mut app, k);
                    serve(&mut app, &mut lens);
                    frame(&mut terminal, &app);
                });
            });
            key(&mut app, "home");
            serve(&mut app, &mut lens);
        }
        key(&mut app, "/");
        c.bench_function(
            &format!("thin, {n} victims: key to frame, a search keystroke and its undoing"),
            |b| {
                b.iter(|| {
                    for k in ["e", "backspace"] {
                        key(&mut app, k);
                        serve(&mut app, &mut lens);
                        frame(&mut terminal, &app);
                    }
                });
            },
        );
    }
}

criterion_group!(benches, screens, thin);
criterion_main!(benches);
