//! The file transfer benchmark: a 100 MB upload into a chat and its download through the real
//! server (with the client crate the desktop app uses), beside a raw HTTP upload of the same
//! file to a bare receiver that streams it to the same disk, in the same run.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use switchboard_client::FileTransfers;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::TcpListener;

use crate::peers;
use crate::server::BenchServer;

/// Size of the benchmark file: the largest file a chat may share.
const FILE_BYTES: u64 = switchboard_protocol::limits::MAX_FILE_BYTES;
/// The bare receiver's write buffer (the same the server uses).
const WRITE_BUFFER: usize = 512 * 1024;

/// Runs the benchmark against `server` and prints the figures.
pub async fn run(server: &BenchServer) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let source = work.path().join("upload.bin");
    write_pattern(&source).await?;

    let (operator, token) = peers::operator_session(server, 0).await?;
    let chats = peers::start_chats(server, vec![operator], 1).await?;
    let conversation = chats.ids.first().context("one chat started")?;
    let base = url::Url::parse(&format!("http://{}/", server.address()))?;
    let transfers = FileTransfers::new(base, token)?;

    let raw = raw_upload(&source, work.path()).await?;
    let started = Instant::now();
    let status = transfers
        .upload(conversation, &source, |_| {}, Arc::new(|_| {}))
        .await?;
    let upload = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let received = transfers
        .download(
            &status.id,
            &work.path().join("download.bin"),
            Arc::new(|_| {}),
        )
        .await?;
    let download = started.elapsed().as_secs_f64();
    if received != FILE_BYTES {
        bail!("downloaded {received} bytes, expected {FILE_BYTES}");
    }

    let mb = FILE_BYTES as f64 / (1024.0 * 1024.0);
    println!("files: {mb:.0} MB on loopback, same disk");
    println!(
        "  raw HTTP upload (bare receiver → disk): {:.2} s = {:.0} MB/s",
        raw,
        mb / raw
    );
    println!(
        "  switchboard upload (announce + stream + commit): {:.2} s = {:.0} MB/s = {:.0}% of raw",
        upload,
        mb / upload,
        100.0 * raw / upload
    );
    println!(
        "  switchboard download: {:.2} s = {:.0} MB/s",
        download,
        mb / download
    );
    drop(chats);
    Ok(())
}

async fn write_pattern(path: &Path) -> anyhow::Result<()> {
    let mut file = BufWriter::new(tokio::fs::File::create(path).await?);
    let chunk: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
    for _ in 0..FILE_BYTES / chunk.len() as u64 {
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    Ok(())
}

/// Uploads `source` with a plain HTTP PUT to a bare receiver that writes it into `dir` (and
/// syncs it, as the server does); returns the seconds taken.
async fn raw_upload(source: &Path, dir: &Path) -> anyhow::Result<f64> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let target = dir.join("raw.bin");
    let receiver = tokio::spawn(async move {
        let (stream, _) = listener.accept().await?;
        let mut reader = BufReader::new(stream);
        let mut length = 0u64;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).await?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse()?;
                }
            }
        }
        let file = tokio::fs::File::create(&target).await?;
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
        let copied = tokio::io::copy(&mut (&mut reader).take(length), &mut out).await?;
        out.flush().await?;
        out.get_ref().sync_data().await?;
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await?;
        anyhow::Ok(copied)
    });
    let file = tokio::fs::File::open(source).await?;
    let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(
        file,
        256 * 1024,
    ));
    let started = Instant::now();
    reqwest::Client::new()
        .put(format!("http://{address}/raw"))
        .header("content-length", FILE_BYTES.to_string())
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    let seconds = started.elapsed().as_secs_f64();
    let copied = receiver.await??;
    if copied != FILE_BYTES {
        bail!("the raw receiver got {copied} bytes");
    }
    Ok(seconds)
}
