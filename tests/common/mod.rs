//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod screens;
pub mod service;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

/// The sample unit shipped with vlu.
pub fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/northshire.json")
}

/// The victim `id` of a caseload (a file or an export), as JSON.
pub fn victim_in(unit: &serde_json::Value, id: &str) -> serde_json::Value {
    unit["victims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("no victim {id}"))
        .clone()
}

/// A throw-away data directory and configuration home.
pub struct Sandbox {
    pub root: tempfile::TempDir,
    /// The PostgreSQL unit the records are kept in (`None`: the data directory).
    pub store_url: Option<String>,
}

impl Sandbox {
    /// The sample unit in a store owned by another account (`nobody`), this user signed in
    /// as `officer`: so no administrator by owning the files. `None` where the tests do not
    /// run as root, who alone can give a directory away (CI runs as root).
    pub fn sample_owned_by_someone_else(officer: &str) -> Option<Self> {
        if me() != "root" {
            assert!(std::env::var_os("CI").is_none(), "CI runs as root");
            eprintln!("NOT RUN: giving the data directory to another owner needs root");
            return None;
        }
        let s = Self::with_sample();
        stop_service(&s.data_dir());
        let chown = std::process::Command::new("chown")
            .arg("65534")
            .arg(s.data_dir())
            .status()
            .unwrap();
        assert!(chown.success());
        s.sign_in_as(officer);
        Some(s)
    }

    /// Waits for the service to stop on its own, idle (one a non-administrator cannot stop):
    /// the next one reads who is who afresh.
    pub fn wait_for_the_service_to_go(&self) {
        let start = std::time::Instant::now();
        while self.data_dir().join("vlu.sock").exists() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "the service stayed"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    pub fn new() -> Self {
        Self {
            root: tempfile::tempdir().unwrap(),
            store_url: None,
        }
    }

    /// A sandbox whose records are kept in a PostgreSQL unit of its own (`None`: no server
    /// for the tests, outside CI; see `vlu::store::pg_testing`).
    pub fn in_postgres() -> Option<Self> {
        Some(Self::on_host_of(&vlu::store::pg_testing::unit()?.url))
    }

    /// The sample unit in a PostgreSQL unit of its own.
    pub fn with_sample_in_postgres() -> Option<Self> {
        let s = Self::in_postgres()?;
        s.vlu().arg("import").arg(sample_path()).assert().success();
        Some(s)
    }

    /// Another host of the unit whose records are at `url`: a data directory of its own
    /// (its service, its socket), the same records.
    pub fn on_host_of(url: &str) -> Self {
        let s = Self {
            root: tempfile::tempdir().unwrap(),
            store_url: Some(url.to_owned()),
        };
        std::fs::create_dir_all(s.data_dir()).unwrap();
        set_mode(&s.data_dir(), 0o700);
        s
    }

    /// Where the sandbox keeps its records.
    pub fn place(&self) -> vlu::store::Place {
        self.store_url
            .clone()
            .map_or(vlu::store::Place::Embedded, vlu::store::Place::Postgres)
    }

    /// A sandbox whose store holds the sample unit.
    pub fn with_sample() -> Self {
        let s = Self::new();
        s.vlu().arg("import").arg(sample_path()).assert().success();
        s
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// `vlu` run against this sandbox's store, with no user configuration.
    pub fn vlu(&self) -> Command {
        Command::from_std(self.process())
    }

    /// [`Sandbox::vlu`] as a plain process, for a test that wires its standard streams.
    pub fn process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("vlu"));
        cmd.env("VLU_DATA_DIR", self.data_dir())
            .env("XDG_CONFIG_HOME", self.root.path().join("config"))
            .env_remove("VLU_CONFIG")
            .env_remove("NO_COLOR")
            .env_remove("VLU_LOG")
            // Text for people is ASCII where the locale is not UTF-8: the tests read it in UTF-8
            // whatever the machine's locale (those of the ASCII fallback set their own).
            .env("LC_ALL", "C.UTF-8")
            .env("VLU_IDLE_SECONDS", IDLE);
        match &self.store_url {
            Some(url) => cmd.env("VLU_STORE", url),
            None => cmd.env_remove("VLU_STORE"),
        };
        cmd
    }

    /// The store itself, opened by the test: the unit service a command started (which
    /// holds the store) is stopped first.
    pub fn store(&self) -> vlu::store::Store {
        self.store_as("checker")
    }

    /// [`Sandbox::store`], its changes made in `user`'s name.
    pub fn store_as(&self, user: &str) -> vlu::store::Store {
        stop_service(&self.data_dir());
        let start = std::time::Instant::now();
        loop {
            match vlu::store::Store::open_at(&self.data_dir(), &self.place(), user) {
                Err(vlu::store::StoreError::InUse(_))
                    if start.elapsed() < std::time::Duration::from_secs(10) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other.unwrap(),
            }
        }
    }

    /// Writes a file in the sandbox and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Maps the OS user running the tests to `officer` in the sandbox's configuration: who
    /// you are comes from the kernel, never from `USER`.
    pub fn sign_in_as(&self, officer: &str) {
        let dir = self.root.path().join("config/vlu");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config.toml"),
            format!("[officers]\n\"{}\" = \"{officer}\"\n", me()),
        )
        .unwrap();
    }

    /// Gives the sandbox's configuration the fictional unit's letterhead (`[unit]`, as
    /// `vlu::letters::sample::letterhead` has it), which every built-in letter needs. Call it
    /// after [`Sandbox::sign_in_as`], which writes the file anew.
    pub fn set_letterhead(&self) {
        let dir = self.root.path().join("config/vlu");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        if text.contains("[unit]") {
            return;
        }
        text.push_str(
            "[unit]\naddress = [\"PO Box 4120\", \"Northtown NT1 4ZZ\"]\nphone = \"0113 496 0458\"\n\
             email = \"victim.liaison@northshire-probation.example\"\n\
             support = \"the Northshire Victims' Hub (0113 496 0792, victimshub.example), free and confidential\"\n",
        );
        std::fs::write(path, text).unwrap();
    }

    pub fn import_value(&self, v: &Value) {
        let path = self.file("caseload.json", v.to_string());
        self.vlu().arg("import").arg(path).assert().success();
    }

    pub fn export(&self) -> String {
        let out = self.vlu().arg("export").assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
}

/// How long a service started by a test's vlu waits for another client: short, so that
/// tests leave no services behind for long.
pub const IDLE: &str = "5";

/// Stops the unit service running on the store in `dir`, if one is, and waits until it has
/// let the store go (it closes the store, then removes its socket).
pub fn stop_service(dir: &Path) {
    let Ok(Some(service)) = vlu::service::client::Client::connect(dir) else {
        return;
    };
    let _ = service.stop();
    let start = std::time::Instant::now();
    while dir.join("vlu.sock").exists() && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// An internal note logged by sahmed on 24 November 2026, saying `summary`.
pub fn note(summary: &str) -> vlu::domain::model::Contact {
    use vlu::domain::enums::{ContactKind, Direction, Medium};
    vlu::domain::model::Contact {
        on: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        at: None,
        kind: ContactKind::Note,
        method: Medium::None,
        direction: Direction::Internal,
        summary: Some(summary.into()),
        by: Some("sahmed".into()),
        key_date: None,
        corrects: None,
        follows: None,
        to: None,
    }
}

/// The name of the OS user running the tests.
pub fn me() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A small valid caseload: one officer, one case, one victim with two contacts.
pub fn minimal() -> Value {
    json!({
        "format": "vlu-caseload",
        "version": 1,
        "unit": { "name": "Test Unit" },
        "officers": [ { "id": "sahmed", "name": "Sara Ahmed", "role": "vlo" },
                      { "id": "jokafor", "name": "James Okafor", "role": "vlo" } ],
        "cases": [ {
            "id": "C-1",
            "offender": { "name": "Daniel Reeve", "aliases": ["Danny Reeves"] },
            "offence": { "category": "violent" },
            "sentence": { "kind": "sds", "imposed_on": "2026-09-01" },
            "key_dates": [ { "kind": "crd", "date": "2027-01-05" }, { "kind": "parole_hearing", "date": "2027-02-16" } ]
        } ],
        "victims": [
            { "id": "V-1", "case_id": "C-1", "name": "Joan Mercer", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-09-10", "status": "referred",
              "status_since": "2026-09-10", "allocated_to": "sahmed",
              "contact_details": { "address": "1 Fictional Row, Northtown NS1 1AA", "phone": "07700 900123" } },
            { "id": "V-2", "case_id": "C-1", "name": "Peter Mercer", "role": "victim",
              "eligibility": "statutory", "referred_on": "2026-09-10", "status": "opted_in",
              "status_since": "2026-10-01", "allocated_to": "jokafor",
              "preferences": { "information": "key_stages" },
              "sensitive_dates": [ { "date": "2020-11-27", "label": "anniversary of the offence", "yearly": true } ],
              "contacts": [
                { "on": "2026-09-20", "kind": "initial_offer", "method": "letter", "direction": "outbound", "by": "jokafor" },
                { "on": "2026-10-01", "kind": "opt_in", "method": "phone", "direction": "inbound", "by": "jokafor" },
                { "on": "2026-10-05", "kind": "licence_conditions", "method": "letter", "direction": "outbound", "by": "jokafor" }
              ] }
        ]
    })
}

/// The casework commands the tests make most, said as calls: each is one
/// [`vlu::unit::command::Command`] executed, as the screens and the command line make it.
pub trait Casework: vlu::unit::api::UnitStore {
    fn append_contact(
        &self,
        victim: &str,
        contact: &vlu::domain::model::Contact,
    ) -> Result<vlu::store::Changed, vlu::store::StoreError> {
        self.execute(&vlu::unit::command::Command::LogContact {
            victim: victim.to_owned(),
            contact: contact.clone(),
        })
        .map(|saved| saved.changed)
    }

    fn save_victim(
        &self,
        victim: &vlu::domain::model::Victim,
        base: u64,
    ) -> Result<vlu::store::Changed, vlu::store::StoreError> {
        self.execute(&vlu::unit::command::Command::SaveVictim {
            victim: Box::new(victim.clone()),
            base,
            contact: None,
        })
        .map(|saved| saved.changed)
    }
}

impl<T: vlu::unit::api::UnitStore + ?Sized> Casework for T {}

/// Sets a file's or folder's permission bits.
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A data directory in `s` as a unit of two accounts has it: `vlu-anna` owns it, she and
/// `vlu-ben` are of the group `vlu-unit`, which may enter it (2750). The accounts are made
/// here (one left by an earlier run, or by another test, is fine). `None`, having said so,
/// where this is not root and so cannot make accounts (a developer's machine; CI runs as
/// root).
pub fn unit_of_two_accounts(s: &Sandbox) -> Option<PathBuf> {
    if me() != "root" {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root");
        eprintln!("NOT RUN: making OS users needs root");
        return None;
    }
    for cmd in [
        &["groupadd", "-f", "vlu-unit"][..],
        &["useradd", "-M", "-N", "-g", "vlu-unit", "vlu-anna"],
        &["useradd", "-M", "-N", "-g", "vlu-unit", "vlu-ben"],
    ] {
        let _ = std::process::Command::new(cmd[0]).args(&cmd[1..]).output();
    }
    let root = s.root.path();
    set_mode(root, 0o755);
    let data = root.join("unit");
    std::fs::create_dir(&data).unwrap();
    let chowned = std::process::Command::new("chown")
        .arg("vlu-anna:vlu-unit")
        .arg(&data)
        .status()
        .unwrap();
    assert!(chowned.success());
    set_mode(&data, 0o2750);
    Some(data)
}
