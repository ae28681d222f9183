//! A throwaway NATS server from Debian's `nats-server` package on a free loopback port,
//! killed on drop.

use std::process::Stdio;
use std::time::Duration;

use anyhow::Context;
use tokio::process::{Child, Command};

use crate::process::wait_for_line;

/// How long the broker may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running NATS server.
pub struct TestNats {
    child: Child,
    port: u16,
}

impl TestNats {
    /// Starts the broker; returns once it accepts clients.
    pub async fn start() -> anyhow::Result<TestNats> {
        let port = crate::urls::free_port()?;
        let mut child = Command::new("nats-server")
            .args(["-a", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("cannot start nats-server (is Debian's nats-server package installed?)")?;
        let log = child.stderr.take().context("stderr is piped")?;
        wait_for_line(log, "Server is ready", "nats-server", START_TIMEOUT).await?;
        Ok(TestNats { child, port })
    }

    /// `nats://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

impl Drop for TestNats {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
