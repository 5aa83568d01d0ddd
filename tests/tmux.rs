//! One end-to-end run of the real binary in tmux: what a person at a terminal sees and does.
//! `.ci/run` installs tmux; without it (outside CI) the test says so and passes.

mod common;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::Sandbox;

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

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}

#[test]
fn a_vlo_finds_a_victim_reveals_details_logs_a_call_and_quits() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must install tmux");
        eprintln!("tmux is not installed: skipping the end-to-end test");
        return;
    }
    let s = Sandbox::with_sample();
    let tmux = Tmux {
        socket: format!("vlu-test-{}", std::process::id()),
    };
    let command = format!(
        "env VLU_DATA_DIR='{}' XDG_CONFIG_HOME='{}' USER=sahmed NO_COLOR= '{}'; echo EXITED $?; sleep 60",
        s.data_dir().display(),
        s.root.path().join("config").display(),
        env!("CARGO_BIN_EXE_vlu"),
    );
    let started = tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "100",
        "-y",
        "30",
        &command,
    ]);
    assert!(started.status.success(), "{started:?}");
    tmux.cmd(&["set-option", "-s", "escape-time", "0"]);

    let first = tmux.wait_for("Caseload");
    assert!(first.contains("Sara Ahmed (sahmed)"), "{first}");

    tmux.keys(&["/"]);
    tmux.text("zoe");
    tmux.keys(&["Enter"]);
    tmux.wait_for("1 of 43");
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
    let store = vlu::store::Store::open(&s.data_dir(), "checker").unwrap();
    let actions: Vec<String> = store
        .audit()
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions[actions.len() - 2..],
        ["reveal-contact-details", "log-contact"]
    );
}
