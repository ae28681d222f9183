//! The server under test: started from its binary on a free port with a temporary data
//! directory; its resident memory read from /proc.

use std::path::Path;
use std::process::Stdio;

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// Password of the benchmark's operators.
pub const PASSWORD: &str = "bench-password";

/// A running server process.
pub struct BenchServer {
    child: Child,
    bin: std::path::PathBuf,
    data_dir: tempfile::TempDir,
    address: String,
    flags: Vec<String>,
}

impl BenchServer {
    /// Starts the server and waits until it listens.
    pub async fn start(bin: &Path) -> anyhow::Result<Self> {
        Self::start_with(bin, &[]).await
    }

    /// Starts the server with extra flags (e.g. a cluster's database and broker), which its
    /// command line gets too.
    pub async fn start_with(bin: &Path, flags: &[String]) -> anyhow::Result<Self> {
        let data_dir = tempfile::tempdir()?;
        let mut child = Command::new(bin)
            // every benchmark visitor comes from this machine's one address
            .args(["--max-visitor-sockets-per-ip", "0"])
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir.path())
            .args(flags)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {} (build it with --release)", bin.display()))?;
        let mut lines = BufReader::new(child.stdout.take().context("stdout is piped")?).lines();
        let mut address = None;
        while let Some(line) = lines.next_line().await? {
            if let Some(found) = line.strip_prefix("switchboard-server: listening on http://") {
                address = Some(found.to_string());
                break;
            }
        }
        let Some(address) = address else {
            bail!("the server exited before listening")
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self {
            child,
            bin: bin.to_path_buf(),
            data_dir,
            address,
            flags: flags.to_vec(),
        })
    }

    /// `127.0.0.1:PORT`
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or_default()
    }

    /// Resident memory of the server process, in KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .context("VmRSS not found")
    }

    /// Adds an operator with [`PASSWORD`] through the server's command line.
    pub async fn add_operator(&self, email: &str) -> anyhow::Result<()> {
        let mut child = Command::new(&self.bin)
            .args([
                "operator",
                "add",
                "--email",
                email,
                "--name",
                email,
                "--password-stdin",
                "--data-dir",
            ])
            .arg(self.data_dir.path())
            .args(&self.flags)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        let mut stdin = child.stdin.take().context("stdin is piped")?;
        stdin.write_all(format!("{PASSWORD}\n").as_bytes()).await?;
        drop(stdin);
        if !child.wait().await?.success() {
            bail!("adding operator {email} failed");
        }
        Ok(())
    }
}
