//! Where `export`, `diary --out` and `generate --out` write: nothing or a regular file is
//! replaced atomically; `-` is standard output; anything else at the path — a symbolic
//! link, a FIFO, a device, a directory, a socket — is refused with exit 2 and left as it was.

#![cfg(unix)]

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use common::{Sandbox, minimal};
use predicates::prelude::*;

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

fn file_type(path: &Path) -> std::fs::FileType {
    std::fs::symlink_metadata(path).unwrap().file_type()
}

/// The one sentence a refused target gets.
fn refusal(path: &Path, what: &str) -> String {
    format!(
        "vlu: {} is {what}, which vlu does not write over; name a regular file, or - for standard output\n",
        path.display()
    )
}

/// Every command that writes a file, each aimed at `path`.
fn writers(path: &Path) -> Vec<Vec<String>> {
    let p = path.display().to_string();
    vec![
        vec!["export".into(), p.clone()],
        vec![
            "diary".into(),
            "--date".into(),
            "2026-11-24".into(),
            "--out".into(),
            p.clone(),
        ],
        vec![
            "generate".into(),
            "--victims".into(),
            "3".into(),
            "--out".into(),
            p,
        ],
    ]
}

#[test]
fn a_symbolic_link_is_refused_and_neither_it_nor_its_file_changes() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let target = s.file("backup-2026.json", "old");
    let link = s.root.path().join("latest.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for args in writers(&link) {
        s.vlu()
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(refusal(&link, "a symbolic link"));
    }
    assert!(file_type(&link).is_symlink(), "the link is kept");
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
}

#[test]
fn dev_null_and_dev_full_are_refused_and_stay_devices() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    for device in [Path::new("/dev/null"), Path::new("/dev/full")] {
        for args in writers(device) {
            s.vlu()
                .args(&args)
                .assert()
                .code(2)
                .stderr(refusal(device, "a device"));
        }
        assert!(file_type(device).is_char_device());
    }
}

/// As root (CI), a device node of one's own: refused, and still there.
#[test]
fn a_device_node_is_refused() {
    let s = Sandbox::new();
    let null = s.root.path().join("null");
    let made = std::process::Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .status();
    if !made.is_ok_and(|m| m.success()) {
        eprintln!("mknod needs root: skipping");
        return;
    }
    s.import_value(&minimal());
    s.vlu()
        .arg("export")
        .arg(&null)
        .assert()
        .code(2)
        .stderr(refusal(&null, "a device"));
    assert!(
        file_type(&null).is_char_device(),
        "the device is still there"
    );
}

#[test]
fn a_fifo_is_refused_and_stays_a_fifo() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let fifo = s.root.path().join("pipe");
    mkfifo(&fifo);
    // Refused before it is opened: an open would wait for ever for a reader.
    for args in writers(&fifo) {
        s.vlu()
            .args(&args)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2)
            .stderr(refusal(&fifo, "a FIFO (a named pipe)"));
    }
    assert!(file_type(&fifo).is_fifo());
}

#[test]
fn a_directory_a_socket_or_a_dangling_link_is_refused_with_exit_2() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let dir = s.root.path().join("dir");
    std::fs::create_dir(&dir).unwrap();
    let socket = s.root.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let dangling = s.root.path().join("dangling.json");
    std::os::unix::fs::symlink(s.root.path().join("nothing"), &dangling).unwrap();
    for (path, what) in [
        (&dir, "a directory"),
        (&socket, "a socket"),
        (&dangling, "a symbolic link"),
    ] {
        s.vlu()
            .arg("export")
            .arg(path)
            .assert()
            .code(2)
            .stderr(refusal(path, what));
    }
    assert!(dir.is_dir() && std::fs::read_dir(&dir).unwrap().count() == 0);
    assert!(file_type(&dangling).is_symlink());
    assert!(!s.root.path().join("nothing").exists());
}

#[test]
fn a_dash_is_standard_output_for_every_writer() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let exported = s.export();
    s.vlu()
        .current_dir(s.root.path())
        .args(["export", "-"])
        .assert()
        .success()
        .stdout(exported);
    let generated = s
        .vlu()
        .args(["generate", "--victims", "3"])
        .assert()
        .success();
    s.vlu()
        .current_dir(s.root.path())
        .args(["generate", "--victims", "3", "--out", "-"])
        .assert()
        .success()
        .stdout(generated.get_output().stdout.clone());
    let diary = s
        .vlu()
        .args(["diary", "--date", "2026-11-24", "--format", "json"])
        .assert()
        .success();
    s.vlu()
        .current_dir(s.root.path())
        .args([
            "diary",
            "--date",
            "2026-11-24",
            "--format",
            "json",
            "--out",
            "-",
        ])
        .assert()
        .success()
        .stdout(diary.get_output().stdout.clone());
    s.vlu()
        .current_dir(s.root.path())
        .args(["export", "/dev/stdout"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Joan Mercer"));
    assert!(!s.root.path().join("-").exists(), "no file named -");
}

#[test]
fn a_regular_file_is_replaced_atomically_and_privately() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    s.import_value(&minimal());
    let file = s.file("out.json", "old");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    s.vlu().arg("export").arg(&file).assert().success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), s.export());
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::read_dir(s.root.path()).unwrap().count(),
        3,
        "no temporary left"
    );
}
