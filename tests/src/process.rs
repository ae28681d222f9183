//! Waiting for a started program to say it is ready, by reading what it prints.

use std::time::Duration;

use anyhow::{bail, Context};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, BufReader, Lines};

/// Reads `output` until a line contains `text` and returns that line; fails if the program
/// ends first or `timeout` passes.
pub async fn next_line_containing<R: AsyncBufRead + Unpin>(
    output: &mut Lines<R>,
    text: &str,
    program: &str,
    timeout: Duration,
) -> anyhow::Result<String> {
    tokio::time::timeout(timeout, async {
        while let Some(line) = output.next_line().await? {
            if line.contains(text) {
                return Ok(line);
            }
        }
        bail!("{program} exited before printing {text:?}")
    })
    .await
    .with_context(|| format!("{program} did not print {text:?} in time"))?
}

/// Reads `output` line by line until a line contains `ready` (returned); then keeps draining
/// it in the background so the program never blocks on a full pipe.
pub async fn wait_for_line(
    output: impl AsyncRead + Unpin + Send + 'static,
    ready: &str,
    program: &str,
    timeout: Duration,
) -> anyhow::Result<String> {
    let mut lines = BufReader::new(output).lines();
    let line = next_line_containing(&mut lines, ready, program, timeout).await?;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(line)
}
