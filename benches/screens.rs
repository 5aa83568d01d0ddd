//! Start-up and key-to-frame times of the screens on the sample unit, drawn to a 120x40
//! `TestBackend` (the terminal's own write time is not included). Run with `cargo bench`.

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

criterion_group!(benches, screens);
criterion_main!(benches);
