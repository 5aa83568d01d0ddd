//! The unit service as a test starts it: `vlu serve` on a sandbox's store, as a real
//! process over a real socket.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vlu::service::client::Client;

use super::Sandbox;

/// `vlu serve` on the sandbox's store, stopped (SIGTERM) when dropped.
pub struct Service {
    child: Child,
}

impl Service {
    /// The service, once it answers this test's user.
    pub fn start(s: &Sandbox) -> Self {
        Self::start_until(s, || {
            Client::connect(&s.data_dir()).ok().flatten().is_some()
        })
    }

    /// A service that refuses this test's user: ready once its socket exists.
    pub fn start_refusing(s: &Sandbox) -> Self {
        Self::start_until(s, || s.data_dir().join("vlu.sock").exists())
    }

    pub fn start_until(s: &Sandbox, ready: impl Fn() -> bool) -> Self {
        // Not one a command of the test started on its own.
        super::stop_service(&s.data_dir());
        let mut command = Command::new(env!("CARGO_BIN_EXE_vlu"));
        match &s.store_url {
            Some(url) => command.env("VLU_STORE", url),
            None => command.env_remove("VLU_STORE"),
        };
        let child = command
            .env("VLU_DATA_DIR", s.data_dir())
            .env("XDG_CONFIG_HOME", s.root.path().join("config"))
            .arg("serve")
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while !ready() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the service never became ready"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child }
    }

    /// Whether the service has ended (by itself, or now by SIGTERM).
    pub fn stop_or_gone(mut self) -> bool {
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(10) {
                return self.stop().is_some();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }

    /// SIGTERM: the service stops cleanly, removing its socket; its exit status.
    pub fn stop(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        self.child.wait().unwrap().code()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
