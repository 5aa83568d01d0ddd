//! Backups a hostile group member has had a hand in: only what this unit's store signed is
//! restored, and a restore never undoes an erasure nor loses the audit trail since.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::Sandbox;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use vlu::store::backup;

/// A sandbox with the sample, and its newest backup.
fn backed_up() -> (Sandbox, PathBuf) {
    let s = Sandbox::with_sample();
    s.vlu().arg("backup").assert().success();
    let newest = backup::list(&s.data_dir().join("backups")).unwrap();
    let path = newest[0].path.clone();
    (s, path)
}

/// What a forger makes of a backup: every record read, `change` applied to each, and the
/// file written again in vlu's format with its count and CRC recomputed — as a CRC allows
/// anyone to.
fn forged(from: &Path, to: &Path, change: impl Fn(&[u8], Vec<u8>) -> Vec<u8>) {
    let mut header = Vec::new();
    let mut gz = GzDecoder::new(std::fs::File::open(from).unwrap());
    let mut whole = Vec::new();
    gz.read_to_end(&mut whole).unwrap();
    let end = whole.iter().position(|b| *b == b'\n').unwrap();
    header.extend_from_slice(&whole[..=end]);
    let mut records = Vec::new();
    backup::read(from, |k, v| {
        let v = change(&k, v);
        records.push((k, v));
        Ok(())
    })
    .unwrap();
    let mut out = GzEncoder::new(
        std::fs::File::create(to).unwrap(),
        flate2::Compression::default(),
    );
    out.write_all(&header).unwrap();
    let mut crc = crc32fast::Hasher::new();
    for (k, v) in &records {
        for part in [k, v] {
            let len = u32::try_from(part.len()).unwrap().to_be_bytes();
            crc.update(&len);
            crc.update(part);
            out.write_all(&len).unwrap();
            out.write_all(part).unwrap();
        }
    }
    out.write_all(&u32::MAX.to_be_bytes()).unwrap();
    out.write_all(&(records.len() as u64).to_be_bytes())
        .unwrap();
    out.write_all(&crc.finalize().to_be_bytes()).unwrap();
    out.finish().unwrap();
}

/// A forger's change to one record (key, value) → new value.
type Change = dyn Fn(&[u8], Vec<u8>) -> Vec<u8>;

fn replace(v: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    String::from_utf8(v.clone())
        .map(|s| s.replace(from, to).into_bytes())
        .unwrap_or(v)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn a_backup_changed_by_anyone_is_refused_whatever_its_crc_says() {
    let (s, taken) = backed_up();
    let before = s.export();
    let folder = s.data_dir().join("backups");
    let signature: Vec<u8> = {
        let bytes = std::fs::read(&taken).unwrap();
        bytes[bytes.len() - 40..].to_vec()
    };
    // The attacks: an address changed, a VLO made an administrator, a record dropped; each
    // with the CRC recomputed, bare or with the genuine signature (or a made-up one) after.
    let changes: [(&str, Box<Change>); 3] = [
        ("address", Box::new(|_, v| replace(v, "Mercer", "Merser"))),
        (
            "role",
            Box::new(|_, v| replace(v, "\"role\":\"vlo\"", "\"role\":\"admin\"")),
        ),
        (
            "dropped",
            Box::new(|k, v| if k.starts_with(b"e") { Vec::new() } else { v }),
        ),
    ];
    let mut tried = 0;
    for (what, change) in changes {
        for tail in [Vec::new(), signature.clone(), {
            let mut t = signature.clone();
            t[20] ^= 0xff;
            t
        }] {
            let path = folder.join(format!("vlu-forged-{what}-{}.backup", tail.len()));
            forged(&taken, &path, &change);
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap()
                .write_all(&tail)
                .unwrap();
            private(&path);
            let out = s.vlu().arg("restore").arg(&path).output().unwrap();
            let said = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{what}: {said}");
            assert!(
                said.contains("was not restored") || said.contains("not restored"),
                "{said}"
            );
            assert_eq!(said.lines().count(), 1, "{said}");
            tried += 1;
        }
    }
    assert_eq!(tried, 9);
    assert_eq!(s.export(), before, "nothing changed");
    // The genuine backup still restores.
    s.vlu().arg("restore").arg(&taken).assert().success();
    assert_eq!(s.export(), before);
}

#[test]
fn another_units_backup_is_named_as_such_and_refused() {
    let (ours, _) = backed_up();
    let (theirs, their_backup) = backed_up();
    let copy = ours.data_dir().join("backups").join("vlu-theirs.backup");
    std::fs::copy(&their_backup, &copy).unwrap();
    private(&copy);
    let out = ours.vlu().arg("restore").arg(&copy).output().unwrap();
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("was taken by another unit"), "{said}");
    drop(theirs);
}

#[test]
fn a_backup_in_a_folder_others_may_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let (s, taken) = backed_up();
    let folder = s.data_dir().join("backups");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o770)).unwrap();
    let out = s.vlu().arg("restore").arg(&taken).output().unwrap();
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("is not the store's own"), "{said}");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    // A backups folder swapped for a link to someone else's.
    let theirs = s.root.path().join("theirs");
    std::fs::rename(&folder, &theirs).unwrap();
    std::os::unix::fs::symlink(&theirs, &folder).unwrap();
    let out = s
        .vlu()
        .arg("restore")
        .arg(folder.join(taken.file_name().unwrap()))
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_unsigned_backup_needs_an_administrators_word_and_the_trail_says_so() {
    let (s, taken) = backed_up();
    let old = s.data_dir().join("backups").join("vlu-old.backup");
    forged(&taken, &old, |_, v| v);
    private(&old);
    let out = s.vlu().arg("restore").arg(&old).output().unwrap();
    assert!(stderr(&out).contains("--unverified"), "{}", stderr(&out));
    s.vlu()
        .args(["restore", "--unverified"])
        .arg(&old)
        .assert()
        .success();
    let store = s.store();
    let trail = store.audit().unwrap();
    let restore = trail.iter().rev().find(|e| e.action == "restore").unwrap();
    assert!(
        restore.fields.iter().any(|f| f.starts_with("unverified")),
        "{:?}",
        restore.fields
    );
}

#[test]
fn a_restore_keeps_every_erasure_and_the_whole_trail_since_the_backup() {
    let (s, taken) = backed_up();
    s.vlu()
        .args([
            "erase", "--victim", "V-0001", "--reason", "request", "--yes",
        ])
        .assert()
        .success();
    let since: Vec<String> = {
        let store = s.store();
        let trail = store.audit().unwrap();
        let at = backup::list_one(&taken).unwrap().taken;
        trail
            .into_iter()
            .filter(|e| e.at > at)
            .map(|e| format!("{} {}", e.action, e.subject.unwrap_or_default()))
            .collect()
    };
    assert!(since.iter().any(|e| e == "erase V-0001"), "{since:?}");
    // Two restores of the old backup at once: both finish, one after the other.
    let restores: Vec<_> = (0..2)
        .map(|_| spawn(&s, &["restore".as_ref(), taken.as_os_str()]))
        .collect();
    for r in restores {
        let out = r.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = s.store();
    assert!(store.victim("V-0001").unwrap().is_none(), "still erased");
    let trail = store.audit().unwrap();
    let said: Vec<String> = trail
        .iter()
        .map(|e| format!("{} {}", e.action, e.subject.clone().unwrap_or_default()))
        .collect();
    for entry in &since {
        assert!(said.contains(entry), "{entry} lost: {said:?}");
    }
    let erase = trail
        .iter()
        .find(|e| e.action == "erase" && e.subject.as_deref() == Some("V-0001"))
        .unwrap();
    assert!(
        erase.fields.iter().any(|f| f.contains("asked for erasure")),
        "the erasure's reason kept: {:?}",
        erase.fields
    );
    assert_eq!(
        trail.iter().filter(|e| e.action == "restore").count(),
        2,
        "both restores audited"
    );
    assert!(store.check().unwrap().is_empty());
}

/// Every byte a backup holds, decompressed.
fn plain(path: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut all)
        .unwrap();
    all
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn an_erasure_with_purge_backups_leaves_no_backup_holding_the_person() {
    let (s, first) = backed_up();
    std::thread::sleep(std::time::Duration::from_millis(20));
    s.vlu().arg("backup").assert().success();
    // An old, unsigned backup of the unit holds her too.
    let old = s
        .data_dir()
        .join("backups")
        .join("vlu-20200101T000000.000Z.backup");
    forged(&first, &old, |_, v| v);
    private(&old);
    let name = "Joan Mercer";
    let all = backup::list(&s.data_dir().join("backups")).unwrap();
    let signed = all.len() - 1;
    for b in &all {
        assert!(holds(&plain(&b.path), name), "the sample names her");
    }
    let out = s
        .vlu()
        .args([
            "erase",
            "--victim",
            "V-0001",
            "--reason",
            "request",
            "--yes",
            "--purge-backups",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        said.contains(&format!("Backups: {signed} rewritten")),
        "{said}"
    );
    assert!(said.contains("1 removed"), "{said}");
    let left = backup::list(&s.data_dir().join("backups")).unwrap();
    assert_eq!(left.len(), signed);
    for b in &left {
        assert!(
            !holds(&plain(&b.path), name),
            "{} holds her",
            b.path.display()
        );
        s.vlu().arg("restore").arg(&b.path).assert().success();
        assert!(s.store().victim("V-0001").unwrap().is_none());
    }
    let trail = s.store().audit().unwrap();
    assert!(trail.iter().any(|e| e.action == "purge-backups"));
}

/// `vlu ARGS` on the sandbox's store, started and left running.
fn spawn(s: &Sandbox, args: &[&std::ffi::OsStr]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_vlu"))
        .env("VLU_DATA_DIR", s.data_dir())
        .env("XDG_CONFIG_HOME", s.root.path().join("config"))
        .env_remove("VLU_CONFIG")
        .env("VLU_IDLE_SECONDS", common::IDLE)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}
