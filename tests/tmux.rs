//! One end-to-end run of the real binary in tmux: what a person at a terminal sees and does.
//! `.ci/run` installs tmux; without it (outside CI) the test says so and passes.

mod common;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{Sandbox, set_mode};

/// A shell command that runs the real vlu on the sandbox's store in a UTF-8 locale (with
/// `env_extra`, such as `NO_COLOR=` or `LC_ALL=C`), then `after` (such as
/// `echo EXITED $?; sleep 60`).
fn vlu_in(s: &Sandbox, env_extra: &str, after: &str) -> String {
    format!(
        "env VLU_IDLE_SECONDS=5 VLU_DATA_DIR='{}' XDG_CONFIG_HOME='{}' LC_ALL=C.UTF-8 {env_extra} '{}'; {after}",
        s.data_dir().display(),
        s.root.path().join("config").display(),
        env!("CARGO_BIN_EXE_vlu"),
    )
}

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd(&["send-keys", "-t", "t", k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn text(&self, text: &str) {
        self.cmd(&["send-keys", "-t", "t", "-l", text]);
        std::thread::sleep(Duration::from_millis(60));
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// Waits until the screen shows `text`, and returns the screen.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "waited for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Tmux {
    /// A tmux server of its own running `command` in a 100×30 pane, or `None` without tmux.
    fn start(command: &str) -> Option<Self> {
        static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(std::env::var_os("CI").is_none(), "CI must install tmux");
            eprintln!("tmux is not installed: skipping the end-to-end test");
            return None;
        }
        let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let tmux = Tmux {
            socket: format!("vlu-test-{}-{n}", std::process::id()),
        };
        let started = tmux.cmd(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "100",
            "-y",
            "30",
            command,
        ]);
        assert!(started.status.success(), "{started:?}");
        tmux.cmd(&["set-option", "-s", "escape-time", "0"]);
        Some(tmux)
    }

    fn display(&self, format: &str) -> String {
        let out = self.cmd(&["display", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// The process the pane's shell is running (vlu).
    fn child_pid(&self) -> String {
        let shell = self.display("#{pane_pid}");
        let children = format!("/proc/{shell}/task/{shell}/children");
        let start = Instant::now();
        loop {
            let pids = std::fs::read_to_string(&children).unwrap_or_default();
            if let Some(pid) = pids.split_whitespace().next() {
                return pid.to_owned();
            }
            assert!(start.elapsed() < Duration::from_secs(15), "no vlu process");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[path = "tmux/friction.rs"]
mod friction;

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}

#[test]
fn a_vlo_finds_a_victim_reveals_details_logs_a_call_and_quits() {
    let s = Sandbox::with_sample();
    s.sign_in_as("sahmed");
    let command = vlu_in(&s, "NO_COLOR=", "echo EXITED $?; sleep 60");
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };

    let first = tmux.wait_for("Caseload");
    assert!(first.contains("Sara Ahmed (sahmed)"), "{first}");

    tmux.keys(&["/"]);
    tmux.text("zoe");
    tmux.keys(&["Enter"]);
    tmux.wait_for("1 of 45");
    tmux.keys(&["Enter"]);
    let view = tmux.wait_for("Contact details: address •••");
    assert!(view.contains("Zoë Ó Súilleabháin"), "{view}");
    assert!(!view.contains("Lighthouse Lane"), "{view}");

    tmux.keys(&["r"]);
    tmux.wait_for("3 Lighthouse Lane");
    tmux.keys(&["Escape", "Enter"]);
    let again = tmux.wait_for("Contact details: address •••");
    assert!(
        !again.contains("Lighthouse Lane"),
        "the mask returns on leaving the view"
    );

    tmux.keys(&["Escape", "a"]);
    tmux.wait_for("Log a contact");
    tmux.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]);
    tmux.text("Left a voicemail asking her to call back.");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Contact saved.");

    tmux.keys(&["q"]);
    let after = tmux.wait_for("EXITED 0");
    assert!(
        !after.contains("Caseload"),
        "the terminal is restored on quit:\n{after}"
    );
    drop(tmux);

    assert!(
        s.export()
            .contains("Left a voicemail asking her to call back.")
    );
    let store = s.store();
    // (The export above is the last entry: a disclosure.)
    let actions: Vec<String> = store
        .audit()
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .filter(|a| a != "disclose")
        .collect();
    assert_eq!(
        actions[actions.len() - 3..],
        ["consult-victim", "reveal-contact-details", "log-contact"]
    );
}

/// A closed SSH session (SIGHUP), `kill` (SIGTERM), `kill -INT` or `kill -QUIT` while the
/// screens are up: the terminal is put back as it was and the demo's copy is gone.
#[test]
fn a_signal_restores_the_terminal_and_removes_the_demo_copy() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2), ("QUIT", 3)] {
        let s = Sandbox::new();
        let tmp = s.root.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let command = format!(
            "env TMPDIR='{}' VLU_DATA_DIR='{}' XDG_CONFIG_HOME='{}' '{}' demo; echo EXITED $?; stty -a; sleep 60",
            tmp.display(),
            s.data_dir().display(),
            s.root.path().join("config").display(),
            env!("CARGO_BIN_EXE_vlu"),
        );
        let Some(tmux) = Tmux::start(&command) else {
            return;
        };
        tmux.wait_for("Caseload");
        assert_eq!(tmux.display("#{alternate_on}"), "1");
        let pid = tmux.child_pid();
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(kill.success());
        let after = tmux.wait_for("baud"); // the first line of `stty -a`
        assert!(
            after.contains(&format!("EXITED {}", 128 + number)),
            "SIG{signal}: {after}"
        );
        assert_eq!(
            tmux.display("#{alternate_on}"),
            "0",
            "SIG{signal} leaves the alternate screen"
        );
        let joined =
            String::from_utf8_lossy(&tmux.cmd(&["capture-pane", "-p", "-J", "-t", "t"]).stdout)
                .into_owned();
        assert!(
            joined.contains(" icanon") && joined.contains(" echo "),
            "SIG{signal} leaves raw mode:\n{joined}"
        );
        assert_eq!(
            std::fs::read_dir(&tmp).unwrap().count(),
            0,
            "SIG{signal} removes the demo's copy"
        );
    }
}

/// The real screens, killed with SIGKILL: a contact the screen said was saved is in the store
/// every time, and one killed mid-save leaves a sound store with the contact there or not.
#[test]
fn kill_9_of_the_screens_loses_no_contact_they_reported_saved() {
    let s = Sandbox::with_sample();
    s.sign_in_as("sahmed");
    let command = vlu_in(&s, "NO_COLOR=", "sleep 60");
    for round in 0..4 {
        let Some(tmux) = Tmux::start(&command) else {
            return;
        };
        tmux.wait_for("Caseload");
        tmux.keys(&["a"]);
        tmux.wait_for("Log a contact");
        tmux.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]);
        let summary = format!("Round {round}: called, no answer.");
        tmux.text(&summary);
        let pid = tmux.child_pid();
        tmux.keys(&["C-s"]);
        // Even rounds: killed once the screen says saved; odd rounds: killed at once.
        if round % 2 == 0 {
            tmux.wait_for("Contact saved.");
        }
        let killed = Command::new("kill").args(["-9", &pid]).status().unwrap();
        assert!(killed.success());
        drop(tmux);
        s.vlu().arg("check").assert().success();
        if round % 2 == 0 {
            assert!(
                s.export().contains(&summary),
                "round {round}: the screen said saved, so the store has it"
            );
        }
    }
}

/// The real screens on a store whose backup is due: they take it before they open (the one
/// signal watcher then covers both), and a signal still puts the terminal back.
#[test]
fn the_screens_take_the_days_backup_and_a_signal_still_restores_the_terminal() {
    let s = Sandbox::with_sample();
    s.sign_in_as("sahmed");
    let backups = s.data_dir().join("backups");
    std::fs::remove_dir_all(&backups).unwrap();
    let command = vlu_in(&s, "", "echo EXITED $?; sleep 60");
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    tmux.wait_for("Caseload");
    let taken: Vec<_> = std::fs::read_dir(&backups).unwrap().collect();
    assert_eq!(taken.len(), 1, "the day's backup, and no temporary file");
    let pid = tmux.child_pid();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let after = tmux.wait_for("EXITED");
    assert!(after.contains("EXITED 143"), "{after}");
    assert_eq!(tmux.display("#{alternate_on}"), "0");
}

/// The real binary under faketime, started at 23:59:55 (a few seconds to spare for a loaded
/// machine to draw the first frame): with no key pressed the header shows the next day within
/// 5 seconds of midnight, and what falls due that day moves from this week to today.
#[test]
fn the_real_screens_move_to_the_new_day_at_midnight() {
    if Command::new("faketime").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must install faketime");
        eprintln!("faketime is not installed: skipping the midnight test");
        return;
    }
    let s = Sandbox::with_sample();
    s.sign_in_as("sahmed");
    // libfaketime's monotonic clock is left alone: the loop's sleep is measured on it.
    let command = format!(
        "env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '@2026-11-24 23:59:55' env VLU_IDLE_SECONDS=5 VLU_DATA_DIR='{}' XDG_CONFIG_HOME='{}' '{}'; sleep 60",
        s.data_dir().display(),
        s.root.path().join("config").display(),
        env!("CARGO_BIN_EXE_vlu"),
    );
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    let before = tmux.wait_for("Tue 24 No"); // the 100-column header cuts the year
    assert!(before.contains("17 overdue · 4 today"), "{before}");
    let start = Instant::now();
    let after = tmux.wait_for("Wed 25 No");
    assert!(start.elapsed() < Duration::from_secs(5 + 5), "{after}");
    assert!(after.contains("21 overdue · 2 today"), "{after}");
    // The service those screens started lives on faked time: stopped here, not left behind.
    drop(tmux);
    common::stop_service(&s.data_dir());
}

/// Two screens on one store as two OS users (made here: CI runs as root): a contact one logs
/// reaches the other within a second, named; each header shows the other; `USER` changes
/// nobody. Not root (a developer's machine): says so and does not run.
#[test]
fn two_users_share_one_store_live() {
    let s = Sandbox::new();
    let Some(data) = common::unit_of_two_accounts(&s) else {
        return;
    };
    let root = s.root.path();
    let config = root.join("unit.toml");
    std::fs::write(
        &config,
        "[officers]\nvlu-anna = \"sahmed\"\nvlu-ben = \"jokafor\"\n",
    )
    .unwrap();
    set_mode(&config, 0o644);
    let as_user = |user: &str, args: &str| {
        format!(
            "setpriv --reuid={user} --regid=vlu-unit --init-groups env HOME='{home}' USER=sahmed VLU_DATA_DIR='{data}' VLU_CONFIG='{config}' VLU_IDLE_SECONDS=5 '{vlu}' {args}",
            home = root.display(),
            data = data.display(),
            config = config.display(),
            vlu = env!("CARGO_BIN_EXE_vlu"),
        )
    };
    let sample = common::sample_path();
    let imported = Command::new("sh")
        .arg("-c")
        .arg(as_user(
            "vlu-anna",
            &format!("import '{}'", sample.display()),
        ))
        .output()
        .unwrap();
    assert!(imported.status.success(), "{imported:?}");
    let Some(anna) = Tmux::start(&format!("{}; sleep 60", as_user("vlu-anna", ""))) else {
        return;
    };
    anna.cmd(&["resize-window", "-t", "t", "-x", "170", "-y", "30"]);
    anna.wait_for("Sara Ahmed (sahmed)");
    let ben = Tmux::start(&format!("{}; sleep 60", as_user("vlu-ben", ""))).unwrap();
    ben.cmd(&["resize-window", "-t", "t", "-x", "170", "-y", "30"]);
    // USER=sahmed in both: Ben is still Ben.
    ben.wait_for("James Okafor (jokafor)");
    anna.wait_for("also in: vlu-ben");
    ben.wait_for("also in: vlu-anna");
    ben.keys(&["a"]);
    ben.wait_for("Log a contact");
    ben.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]);
    ben.text("Ben rang her back.");
    ben.keys(&["C-s"]);
    ben.wait_for("Contact saved.");
    let saved = Instant::now();
    let seen = anna.wait_for("Updated: a change by vlu-ben.");
    assert!(
        saved.elapsed() < Duration::from_secs(1) + Duration::from_millis(200),
        "within a second (and tmux's polling): {seen}"
    );
    drop(anna);
    drop(ben);
    // The audit trail names Ben, from the kernel. (Root is no officer of this unit, so the
    // service refuses it: Anna, who owns the store, stops the service.)
    let stopped = Command::new("sh")
        .arg("-c")
        .arg(as_user("vlu-anna", "serve --stop"))
        .output()
        .unwrap();
    assert!(stopped.status.success(), "{stopped:?}");
    let start = Instant::now();
    while data.join("vlu.sock").exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let store = vlu::store::Store::open(&data, "checker").unwrap();
    let last = store.audit().unwrap().pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.user.as_str()),
        ("log-contact", "vlu-ben")
    );
}

/// The unit service killed under open screens: they say they are reconnecting, carry on with
/// the next service (started by the first vlu that finds none), and lose nothing saved.
#[test]
fn the_screens_carry_on_when_the_service_is_killed() {
    let s = Sandbox::with_sample();
    s.sign_in_as("sahmed");
    let command = vlu_in(&s, "NO_COLOR=", "sleep 60");
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    tmux.wait_for("Caseload");
    let service = |dir: &std::path::Path| {
        let out = Command::new("pgrep")
            .args(["-f", &format!("{} serve", dir.display())])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let pid = service(&s.data_dir());
    assert!(!pid.is_empty(), "the screens started a service");
    assert!(
        Command::new("kill")
            .args(["-9", &pid])
            .status()
            .unwrap()
            .success()
    );
    tmux.wait_for("reconnecting");
    tmux.keys(&["a"]);
    tmux.wait_for("Log a contact");
    tmux.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]);
    tmux.text("After the service was killed.");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Contact saved.");
    let again = service(&s.data_dir());
    assert!(!again.is_empty() && again != pid, "a new service: {again}");
    drop(tmux);
    assert!(s.export().contains("After the service was killed."));
    s.vlu().arg("check").assert().success();
}

/// In the C locale (no UTF-8), what a person sees is ASCII: `+-|` borders, `***` masks.
#[test]
fn a_console_that_is_not_utf8_shows_ascii_borders_and_masks() {
    let s = Sandbox::with_sample();
    s.sign_in_as("sahmed");
    let command = vlu_in(&s, "LC_ALL=C", "sleep 60");
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    let first = tmux.wait_for("+ Caseload");
    assert!(first.is_ascii(), "{first}");
    assert!(
        first.contains("--+") && first.contains("|Victim"),
        "{first}"
    );
    tmux.keys(&["/"]);
    tmux.text("joan");
    tmux.keys(&["Enter", "Enter"]);
    let view = tmux.wait_for("Contact details: address ***");
    assert!(view.is_ascii(), "{view}");
    tmux.keys(&["q", "q", "q"]);
}
