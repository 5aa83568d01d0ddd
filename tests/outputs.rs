//! Where `export` and `generate --out` write: a file is replaced atomically; a FIFO or a
//! device is written straight to and never replaced; `-` is standard output; anything else
//! is refused with exit 2.

#![cfg(unix)]

mod common;

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

#[test]
fn an_export_into_a_fifo_goes_through_it_and_leaves_the_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let s = Sandbox::new();
    s.import_value(&minimal());
    let fifo = s.root.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    s.vlu().arg("export").arg(&fifo).assert().success();
    // Before the join: a FIFO replaced by a file would leave the reader waiting for ever.
    assert!(file_type(&fifo).is_fifo(), "the FIFO is still a FIFO");
    assert_eq!(reader.join().unwrap(), s.export());
}

#[test]
fn an_export_to_dev_null_leaves_the_device() {
    use std::os::unix::fs::FileTypeExt;
    let s = Sandbox::new();
    s.import_value(&minimal());
    s.vlu().args(["export", "/dev/null"]).assert().success();
    assert!(file_type(Path::new("/dev/null")).is_char_device());
}

/// As root (CI), a device node of one's own, so that a failure breaks nothing shared.
#[test]
fn a_device_node_is_written_to_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
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
    s.vlu().arg("export").arg(&null).assert().success();
    s.vlu()
        .args(["generate", "--victims", "3", "--out"])
        .arg(&null)
        .assert()
        .success();
    assert!(
        file_type(&null).is_char_device(),
        "the device is still there"
    );
    assert_eq!(std::fs::read_dir(s.root.path()).unwrap().count(), 3);
}

#[test]
fn a_full_device_is_an_error_and_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let s = Sandbox::new();
    s.vlu()
        .args(["generate", "--victims", "3", "--out", "/dev/full"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("vlu: cannot write /dev/full: "));
    assert!(file_type(Path::new("/dev/full")).is_char_device());
}

#[test]
fn an_export_through_a_symlink_replaces_the_file_and_keeps_the_link() {
    let s = Sandbox::new();
    s.import_value(&minimal());
    let target = s.file("backup-2026.json", "old");
    let link = s.root.path().join("latest.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    s.vlu().arg("export").arg(&link).assert().success();
    assert!(file_type(&link).is_symlink(), "the link is kept");
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), s.export());
}

#[test]
fn a_dash_is_standard_output() {
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
    s.vlu()
        .current_dir(s.root.path())
        .args(["export", "/dev/stdout"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Joan Mercer"));
    assert!(!s.root.path().join("-").exists(), "no file named -");
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
        (&dangling, "a symbolic link to nothing"),
    ] {
        s.vlu()
            .arg("export")
            .arg(path)
            .assert()
            .code(2)
            .stderr(format!(
                "vlu: {} is {what}, which vlu does not write over; name a file, or - for standard output\n",
                path.display()
            ));
    }
    assert!(dir.is_dir() && std::fs::read_dir(&dir).unwrap().count() == 0);
    assert!(file_type(&dangling).is_symlink());
}
