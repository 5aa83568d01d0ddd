//! Faults a unit will meet sooner or later: a full disk, a directory it cannot read, one
//! others can write to, a damaged store, two imports at once. Each must leave the store as
//! it was (or restorable), and say what happened in one sentence.
//!
//! The disk-full tests mount a small tmpfs, which needs root: CI runs as root. Elsewhere they
//! say that they did not run; under CI a refused mount fails them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use common::{Sandbox, sample_path, set_mode};

/// A tmpfs of `megabytes`, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` (and a line saying so) where this test may not mount; under CI that fails.
    fn mount(megabytes: u32) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Process::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={megabytes}m,mode=0700"))
            .arg("tmpfs")
            .arg(dir.path())
            .output();
        match mounted {
            Ok(out) if out.status.success() => Some(Self { dir }),
            other => {
                let why = match other {
                    Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
                    Err(e) => e.to_string(),
                };
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI runs as root and must be able to mount a tmpfs: {why}"
                );
                eprintln!("NOT RUN: a small tmpfs could not be mounted ({why}); run as root");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn resize(&self, megabytes: u32) {
        let ok = Process::new("mount")
            .args(["-o"])
            .arg(format!("remount,size={megabytes}m"))
            .arg(self.path())
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Fills the disk to the last byte with a file, removed by the caller.
    fn fill(&self) -> PathBuf {
        let ballast = self.path().join("ballast");
        let _ = Process::new("dd")
            .arg("if=/dev/zero")
            .arg(format!("of={}", ballast.display()))
            .args(["bs=64k", "status=none"])
            .stderr(std::process::Stdio::null())
            .status();
        ballast
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // The unit service a command started holds the store on this disk: stopped first.
        common::stop_service(&self.path().join("data"));
        let _ = Process::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// A sandbox whose store lives on `disk`.
fn on_disk(disk: &SmallDisk) -> (Sandbox, impl Fn() -> assert_cmd::Command) {
    let s = Sandbox::new();
    let data = disk.path().join("data");
    let config = s.root.path().join("config");
    let vlu = move || {
        let mut cmd = assert_cmd::Command::cargo_bin("vlu").unwrap();
        cmd.env("VLU_DATA_DIR", &data)
            .env("VLU_IDLE_SECONDS", common::IDLE)
            .env("XDG_CONFIG_HOME", &config)
            .env_remove("VLU_CONFIG");
        cmd
    };
    (s, vlu)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A generated unit written to a file in the sandbox.
fn generated(s: &Sandbox, victims: u32) -> PathBuf {
    let path = s.root.path().join(format!("generated-{victims}.json"));
    s.vlu()
        .args(["generate", "--victims", &victims.to_string(), "--out"])
        .arg(&path)
        .assert()
        .success();
    path
}

/// The reproducer: a failed import on a full disk, then commands that open the store
/// while the disk is still full. Before, every victim was lost 9 times out of 9; now every
/// open is refused with the figures, and once space is freed the store is whole.
#[test]
fn a_full_disk_never_destroys_the_store() {
    let Some(disk) = SmallDisk::mount(4) else {
        return;
    };
    let (s, vlu) = on_disk(&disk);
    vlu().arg("import").arg(sample_path()).assert().success();
    let before = stdout(&vlu().arg("export").output().unwrap());
    let big = generated(&s, 20_000);
    let out = vlu().arg("import").arg(&big).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("free space"), "{}", stderr(&out));
    // The service that answered so far keeps the store open; stopped, every command must
    // open the store again. Whatever is left of the disk, filled: now every open meets a
    // full disk.
    common::stop_service(&disk.path().join("data"));
    let ballast = disk.fill();
    for command in [&["diary"][..], &["check"], &["export"], &["backup"]] {
        let out = vlu().args(command).output().unwrap();
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {said}");
        assert!(
            said.contains("not enough free space")
                && said.contains(&*disk.path().to_string_lossy()),
            "{command:?} names the directory and the shortage: {said}"
        );
        assert_eq!(said.lines().count(), 1, "one sentence: {said}");
    }
    std::fs::remove_file(ballast).unwrap();
    disk.resize(200);
    let out = vlu().arg("check").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("45 victims"), "{}", stdout(&out));
    assert_eq!(stdout(&vlu().arg("export").output().unwrap()), before);
}

/// A disk that fills while an import writes: the import ends (no hang holding the lock) with
/// a sentence, and the store holds all of the file or none of it.
#[test]
fn an_import_on_a_filling_disk_ends_and_is_all_or_nothing() {
    let Some(disk) = SmallDisk::mount(48) else {
        return;
    };
    let (s, vlu) = on_disk(&disk);
    vlu().arg("import").arg(sample_path()).assert().success();
    let file = generated(&s, 4_000);
    let mut import = std::process::Command::new(env!("CARGO_BIN_EXE_vlu"));
    import
        .env("VLU_IDLE_SECONDS", common::IDLE)
        .env("VLU_DATA_DIR", disk.path().join("data"))
        .env("XDG_CONFIG_HOME", s.root.path().join("config"))
        .arg("import")
        .arg(&file)
        .stderr(std::process::Stdio::piped());
    let log = disk.path().join("data/db/db");
    let allocated = || {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&log).map_or(0, |m| m.blocks() * 512)
    };
    let at_start = allocated();
    let mut child = import.spawn().unwrap();
    // Once the import has written its first megabytes, the disk fills under it.
    let waiting = std::time::Instant::now();
    while allocated() < at_start + 3 * 1024 * 1024 && waiting.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let running = child.try_wait().unwrap().is_none();
    let ballast = disk.fill();
    let out = wait_at_most(child, Duration::from_secs(90));
    let said = stderr(&out);
    eprintln!("the import said: {said}");
    assert!(!said.contains("panicked"), "{said}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{said}");
    assert!(running, "the disk filled while the import ran");
    std::fs::remove_file(ballast).unwrap();
    let out = vlu().arg("check").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(
        summary.contains(" 45 victims") || summary.contains(" 4045 victims"),
        "all or nothing: {summary}"
    );
}

/// The child's output, or a failure (and the child killed) if it runs past `limit`: a hang
/// fails the test instead of stopping CI.
fn wait_at_most(mut child: std::process::Child, limit: Duration) -> std::process::Output {
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().ok();
            panic!("still running after {limit:?}: a write hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A data directory that cannot be read is an error naming it — never an empty caseload,
/// and never an empty export written over yesterday's backup.
#[test]
fn an_unreadable_data_directory_is_an_error_not_an_empty_unit() {
    let s = Sandbox::new();
    let user = Unprivileged::new(&s);
    user.vlu(&["import", &sample_path().to_string_lossy()])
        .assert()
        .success();
    let backup = s.root.path().join("backup.json");
    user.vlu(&["export", &backup.to_string_lossy()])
        .assert()
        .success();
    let yesterday = std::fs::read(&backup).unwrap();
    set_mode(&s.data_dir(), 0o000);
    for command in [
        &["diary"][..],
        &["check"],
        &["export", &backup.to_string_lossy()],
    ] {
        let out = user.vlu(command).output().unwrap();
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {said}");
        assert!(
            said.contains(&*s.data_dir().to_string_lossy()),
            "{command:?}: {said}"
        );
        assert!(!stdout(&out).contains("Nothing is overdue"), "{command:?}");
    }
    // An import must not take the unreadable directory for a new one (it once panicked).
    let out = user
        .vlu(&["import", &sample_path().to_string_lossy()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
    assert_eq!(std::fs::read(&backup).unwrap(), yesterday);
    assert_eq!(
        mode(&s.data_dir()),
        0o000,
        "the directory's mode is not vlu's to change"
    );
    set_mode(&s.data_dir(), 0o700);
}

/// vlu sets modes only on what it makes; a directory anyone may write to is refused; the
/// store's own files are private.
#[test]
fn data_directory_modes_are_kept_and_the_store_is_private() {
    let s = Sandbox::new();
    let shared = s.root.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    set_mode(&shared, 0o755);
    let vlu = |dir: &Path| {
        let mut cmd = s.vlu();
        cmd.env("VLU_DATA_DIR", dir);
        cmd
    };
    vlu(&shared)
        .arg("import")
        .arg(sample_path())
        .assert()
        .success();
    assert_eq!(mode(&shared), 0o755, "an existing directory keeps its mode");
    assert_eq!(mode(&shared.join("db")), 0o700);
    for entry in std::fs::read_dir(shared.join("db")).unwrap() {
        let path = entry.unwrap().path();
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), expected, "{}", path.display());
    }
    assert_eq!(mode(&shared.join("lock")), 0o600);

    let open_to_all = s.root.path().join("tmp-like");
    std::fs::create_dir(&open_to_all).unwrap();
    set_mode(&open_to_all, 0o1777);
    let out = vlu(&open_to_all)
        .arg("import")
        .arg(sample_path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("can be written by any user"),
        "{}",
        stderr(&out)
    );
    assert_eq!(mode(&open_to_all), 0o1777);
    assert_eq!(
        std::fs::read_dir(&open_to_all).unwrap().count(),
        0,
        "nothing written"
    );

    let file = s.file("not-a-dir", "x");
    let out = vlu(&file).arg("diary").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a directory"),
        "{}",
        stderr(&out)
    );
}

/// Two imports into a new data directory at once: one store, no panic, and every id either
/// imported once or refused with a sentence.
#[test]
fn two_imports_into_a_new_store_at_once_do_not_panic() {
    let s = Sandbox::new();
    let slow = generated(&s, 3_000);
    for _ in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let run = |file: &Path| {
            std::process::Command::new(env!("CARGO_BIN_EXE_vlu"))
                .env("VLU_IDLE_SECONDS", common::IDLE)
                .env("VLU_DATA_DIR", dir.path().join("data"))
                .env("XDG_CONFIG_HOME", s.root.path().join("config"))
                .arg("import")
                .arg(file)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let first = run(&slow);
        let second = run(&sample_path());
        let mut imported = 0;
        for (child, victims) in [(first, 3_000), (second, 45)] {
            let out = wait_at_most(child, Duration::from_secs(90));
            let said = stderr(&out);
            assert!(!said.contains("panicked"), "{said}");
            assert!(matches!(out.status.code(), Some(0..=3)), "{said}");
            if out.status.success() {
                imported += victims;
            }
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vlu"))
            .env("VLU_IDLE_SECONDS", common::IDLE)
            .env("VLU_DATA_DIR", dir.path().join("data"))
            .arg("check")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stdout(&out).contains(&format!(" {imported} victims")),
            "one store, holding what the imports that succeeded said: {}",
            stdout(&out)
        );
    }
}

/// A damaged store says so with its directory and what to do; `vlu restore` brings back the
/// last backup, keeping the damaged store aside; a damaged backup is refused and changes
/// nothing.
#[test]
fn a_damaged_store_is_restored_from_the_latest_backup() {
    let s = Sandbox::with_sample();
    let backups = s.data_dir().join("backups");
    let taken: Vec<_> = std::fs::read_dir(&backups).unwrap().collect();
    assert_eq!(taken.len(), 1, "an import takes a backup");
    let backup = taken.into_iter().next().unwrap().unwrap().path();
    assert_eq!(mode(&backup), 0o600);
    let before = s.export();

    common::stop_service(&s.data_dir());
    std::fs::write(s.data_dir().join("db/db"), b"not a store").unwrap();
    let out = s.vlu().arg("check").output().unwrap();
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains(&*s.data_dir().to_string_lossy()), "{said}");
    assert!(said.contains("vlu restore"), "{said}");
    assert!(!said.contains("backtrace"), "{said}");

    // A backup cut short is refused whole.
    let bytes = std::fs::read(&backup).unwrap();
    let cut = s.file("cut.backup", &bytes[..bytes.len() / 2]);
    let out = s.vlu().arg("restore").arg(&cut).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(std::fs::read(s.data_dir().join("db/db")).unwrap() == b"not a store");

    let out = s.vlu().args(["restore", "--list"]).output().unwrap();
    assert!(
        stdout(&out).contains(&*backup.to_string_lossy()),
        "{}",
        stdout(&out)
    );
    s.vlu().arg("restore").assert().success();
    s.vlu().arg("check").assert().success();
    assert_eq!(s.export(), before);
    let kept = std::fs::read_dir(s.data_dir())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("db.before-restore-")
        });
    assert!(kept, "the damaged store is kept aside");
}

/// Backups roll: `keep` newest are kept.
#[test]
fn backups_roll_keeping_the_newest() {
    let s = Sandbox::with_sample();
    let config = s.file("config.toml", "[backup]\nkeep = 2\n");
    for _ in 0..4 {
        s.vlu()
            .env("VLU_CONFIG", &config)
            .arg("backup")
            .assert()
            .success();
    }
    let kept = std::fs::read_dir(s.data_dir().join("backups"))
        .unwrap()
        .count();
    assert_eq!(kept, 2);
}

// --- running as an unprivileged user, so that file modes mean what they say -------------

/// Root reads any directory whatever its mode; to see what a VLO sees, the test runs vlu as
/// `nobody` when it is root.
struct Unprivileged {
    prefix: Vec<String>,
    data: PathBuf,
    config: PathBuf,
}

impl Unprivileged {
    fn new(s: &Sandbox) -> Self {
        let root = is_root();
        let prefix = if root {
            // The sandbox must be reachable by nobody.
            set_mode(s.root.path(), 0o777);
            vec![
                "setpriv".into(),
                "--reuid=65534".into(),
                "--regid=65534".into(),
                "--clear-groups".into(),
            ]
        } else {
            Vec::new()
        };
        Self {
            prefix,
            data: s.data_dir(),
            config: s.root.path().join("config"),
        }
    }

    fn vlu(&self, args: &[&str]) -> assert_cmd::Command {
        let bin = env!("CARGO_BIN_EXE_vlu");
        let mut cmd = match self.prefix.split_first() {
            Some((first, rest)) => {
                let mut c = assert_cmd::Command::new(first);
                c.args(rest).arg(bin);
                c
            }
            None => assert_cmd::Command::new(bin),
        };
        cmd.env("VLU_DATA_DIR", &self.data)
            .env("XDG_CONFIG_HOME", &self.config)
            .env("HOME", "/nonexistent")
            .env("VLU_IDLE_SECONDS", common::IDLE)
            .env_remove("VLU_CONFIG")
            .args(args);
        cmd
    }
}

fn is_root() -> bool {
    Process::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// A restore stopped between its two renames (the old store moved aside, the new one not yet
/// in place) is finished by the next vlu, never read as an empty unit; one stopped before
/// its store was whole leaves the old store, and its half-made copy is cleared away.
#[test]
fn a_restore_stopped_part_way_is_finished_or_forgotten_never_empty() {
    let s = Sandbox::with_sample();
    let data = s.data_dir();
    let before = s.export();
    let copy = |from: &Path, to: &Path| {
        let ok = Process::new("cp")
            .arg("-a")
            .arg(from)
            .arg(to)
            .status()
            .unwrap();
        assert!(ok.success());
    };
    common::stop_service(&data);
    // Stopped after the marker and the first rename.
    copy(&data.join("db"), &data.join("db.restoring"));
    std::fs::write(data.join("restore.ready"), b"").unwrap();
    std::fs::rename(data.join("db"), data.join("db.before-restore-test")).unwrap();
    let out = s
        .vlu()
        .args(["diary", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"victim_id\""),
        "not an empty diary: {}",
        stdout(&out)
    );
    assert!(!data.join("restore.ready").exists());
    assert!(!data.join("db.restoring").exists());
    assert_eq!(s.export(), before);

    // Stopped while the backup was still being read in: no marker.
    common::stop_service(&data);
    copy(&data.join("db"), &data.join("db.restoring"));
    s.vlu().arg("check").assert().success();
    assert!(
        !data.join("db.restoring").exists(),
        "the half-made copy is cleared"
    );
    assert_eq!(s.export(), before);
}
