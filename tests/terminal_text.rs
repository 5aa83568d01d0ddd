//! Text for people as a terminal shows it: ASCII where the locale is not UTF-8 (the screens'
//! rule, applied to the diary, the status line, the monitoring return and the errors), and
//! colour only where it shows (a terminal, `TERM` not dumb, `NO_COLOR` unset).

#![cfg(unix)]

mod common;

use common::Sandbox;

/// `vlu ARGS` in the sample unit with the locale `locale` (every locale variable else unset).
fn in_locale(s: &Sandbox, locale: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = s
        .vlu()
        .env_remove("LANG")
        .env_remove("LC_CTYPE")
        .env("LC_ALL", locale)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_text_outputs_are_ascii_where_the_locale_is_not_utf8() {
    let s = Sandbox::with_sample();
    s.sign_in_as("sahmed");
    let outputs: [&[&str]; 4] = [
        &["diary", "--date", "2026-11-24"],
        &["status", "--date", "2026-11-24"],
        &["report", "--from", "2026-07-01", "--to", "2026-09-30"],
        &[
            "diary",
            "--date",
            "2026-11-24",
            "--officer",
            "sahmed",
            "--days",
            "28",
        ],
    ];
    let mut tried = 0;
    for args in outputs {
        let (code, utf8, _) = in_locale(&s, "C.UTF-8", args);
        assert_eq!(code, Some(0), "{args:?}");
        assert!(
            !utf8.is_ascii(),
            "{args:?}: a UTF-8 terminal gets the marks: {utf8}"
        );
        for locale in ["C", "POSIX", "en_GB.ISO-8859-1"] {
            let (code, plain, _) = in_locale(&s, locale, args);
            assert_eq!(code, Some(0), "{args:?} {locale}");
            assert!(plain.is_ascii(), "{args:?} in {locale}: {plain}");
            assert_eq!(plain.lines().count(), utf8.lines().count(), "{args:?}");
            tried += 1;
        }
    }
    assert_eq!(tried, 12);
    let (_, diary, _) = in_locale(&s, "C", &["diary", "--date", "2026-11-24"]);
    assert!(diary.contains("Unit - diary for Tuesday"), "{diary}");
    assert!(diary.contains("! near a sensitive date"), "{diary}");
    let (_, status, _) = in_locale(&s, "C", &["status", "--date", "2026-11-24"]);
    assert_eq!(status, "5 overdue - 1 today - 3 this week\n");
    // An error's sentence too (it quotes what was typed).
    let (code, _, said) = in_locale(&s, "C", &["diary", "--officer", "Zoë—x"]);
    assert_eq!(code, Some(2));
    assert!(said.is_ascii() && said.contains("\"Zoe-x\""), "{said}");
    // Machine formats are never changed: they are UTF-8 whatever the terminal.
    let (_, json, _) = in_locale(
        &s,
        "C",
        &["diary", "--date", "2026-11-24", "--format", "json"],
    );
    let (_, json_utf8, _) = in_locale(
        &s,
        "C.UTF-8",
        &["diary", "--date", "2026-11-24", "--format", "json"],
    );
    assert_eq!(json, json_utf8);
}

/// `vlu ARGS` on a pseudo-terminal (util-linux `script`) with `env`: what the terminal got.
fn on_a_terminal(s: &Sandbox, env: &[(&str, &str)], args: &str) -> Option<String> {
    let mut cmd = std::process::Command::new("script");
    cmd.args([
        "-qec",
        &format!("'{}' {args}", env!("CARGO_BIN_EXE_vlu")),
        "/dev/null",
    ])
    .env("VLU_DATA_DIR", s.data_dir())
    .env("XDG_CONFIG_HOME", s.root.path().join("config"))
    .env("LC_ALL", "C.UTF-8")
    .env_remove("NO_COLOR")
    .env_remove("CLICOLOR")
    .env_remove("CLICOLOR_FORCE")
    .env_remove("CI")
    .env("VLU_IDLE_SECONDS", "5");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn colour_only_on_a_terminal_that_shows_it() {
    let s = Sandbox::with_sample();
    let diary = "diary --date 2026-11-24";
    let Some(coloured) = on_a_terminal(&s, &[("TERM", "xterm-256color")], diary) else {
        eprintln!("NOT RUN: no script(1) for a pseudo-terminal");
        return;
    };
    assert!(
        coloured.contains("\u{1b}["),
        "a colour terminal gets colour: {coloured}"
    );
    assert!(coloured.contains("Overdue"), "{coloured}");
    let plain: [&[(&str, &str)]; 3] = [
        &[("TERM", "dumb")],
        &[("TERM", "xterm-256color"), ("NO_COLOR", "1")],
        &[("TERM", "dumb"), ("NO_COLOR", "1")],
    ];
    for env in plain {
        let shown = on_a_terminal(&s, env, diary).unwrap();
        assert!(shown.contains("Overdue"), "{env:?}: {shown}");
        assert!(
            !shown.contains('\u{1b}'),
            "{env:?}: no escape at all: {shown:?}"
        );
    }
    // And none into a pipe, whatever TERM says.
    let piped = s
        .vlu()
        .env("TERM", "xterm-256color")
        .args(["diary", "--date", "2026-11-24"])
        .output()
        .unwrap();
    assert!(!piped.stdout.contains(&0x1b));
}
