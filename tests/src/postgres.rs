//! A throwaway PostgreSQL server from Debian's `postgresql` package: a fresh cluster in a
//! temporary directory on a free loopback port, killed on drop. PostgreSQL refuses to run as
//! root, so as root the cluster belongs to the `postgres` system user.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::process::{Child, Command};

use crate::process::wait_for_line;

/// The role the tests connect as (trusted on loopback, no password).
const ROLE: &str = "switchboard";
/// How long initdb + start may take.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Where Debian installs the server binaries (`SWITCHBOARD_PG_BIN` overrides).
fn pg_bin(tool: &str) -> PathBuf {
    let dir = std::env::var_os("SWITCHBOARD_PG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"));
    dir.join(tool)
}

/// A running PostgreSQL server.
pub struct TestPostgres {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl TestPostgres {
    /// Creates a cluster and starts it; returns once it accepts connections.
    pub async fn start() -> anyhow::Result<TestPostgres> {
        let dir = tempfile::tempdir()?;
        let data = dir.path().join("data");
        let as_root = is_root().await?;
        if as_root {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(dir.path()))
            .await?;
        }
        run(as_owner(as_root, &pg_bin("initdb"))
            .args([
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
                "-U",
                ROLE,
                "-D",
            ])
            .arg(&data))
        .await
        .context("initdb failed (is Debian's postgresql package installed?)")?;
        let port = crate::urls::free_port()?;
        let mut child = as_owner(as_root, &pg_bin("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-k"])
            .arg(dir.path())
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("cannot start postgres")?;
        let log = child.stderr.take().context("stderr is piped")?;
        wait_for_line(
            log,
            "ready to accept connections",
            "postgres",
            START_TIMEOUT,
        )
        .await?;
        Ok(TestPostgres {
            child,
            port,
            _dir: dir,
        })
    }

    /// Creates an empty database and returns its URL.
    pub async fn create_database(&self, name: &str) -> anyhow::Result<String> {
        let url = self.url("postgres");
        run(Command::new("psql")
            .args(["-q", "-v", "ON_ERROR_STOP=1", &url, "-c"])
            .arg(format!("CREATE DATABASE \"{name}\"")))
        .await?;
        Ok(self.url(name))
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

async fn is_root() -> anyhow::Result<bool> {
    let output = Command::new("id").arg("-u").output().await?;
    Ok(String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// The command, run as the `postgres` user when the tests run as root.
fn as_owner(as_root: bool, program: &Path) -> Command {
    if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

async fn run(command: &mut Command) -> anyhow::Result<()> {
    let output = command.stdin(Stdio::null()).output().await?;
    if !output.status.success() {
        bail!("{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(())
}
