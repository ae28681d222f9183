//! Waiting for a started program to say it is ready.

use std::time::Duration;

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

/// Reads `output` line by line until a line contains `ready` (returned); then keeps draining
/// it in the background so the program never blocks on a full pipe.
pub async fn wait_for_line(
    output: impl AsyncRead + Unpin + Send + 'static,
    ready: &str,
    program: &str,
    timeout: Duration,
) -> anyhow::Result<String> {
    let mut lines = BufReader::new(output).lines();
    let line = tokio::time::timeout(timeout, async {
        while let Some(line) = lines.next_line().await? {
            if line.contains(ready) {
                return Ok(line);
            }
        }
        bail!("{program} exited before it was ready")
    })
    .await
    .with_context(|| format!("{program} did not start in time"))??;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(line)
}
