//! `switchboard-bench`: starts a real `switchboard-server` (release build recommended), opens
//! N idle visitor sockets and M chatting visitor/operator pairs, and reports server memory per
//! idle connection, message throughput, and visitor → operator latency percentiles
//! (send → committed → pushed → received on loopback).
//!
//! ```text
//! cargo build --release -p switchboard-server -p switchboard-bench
//! target/release/switchboard-bench --idle 10000 --pairs 1000 --rate 1000 --seconds 20
//! ```
//!
//! `--nodes 3` runs a cluster instead of one server (PostgreSQL and NATS from Debian's packages,
//! started here): the first node is the hub, visitors connect to the second and operators to
//! the last, so every message crosses the broker twice. Memory is then the visitors' node's.
//!
//! `--files` runs the file transfer benchmark instead: a 100 MB upload and download through the
//! server beside a raw HTTP upload to the same disk.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use switchboard_bench::cluster::BenchCluster;
use switchboard_bench::{files, peers, server, stats};

/// Load benchmark for switchboard-server.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The server binary to benchmark.
    #[arg(long, default_value = "target/release/switchboard-server")]
    server_bin: std::path::PathBuf,
    /// Idle visitor connections (hello only).
    #[arg(long, default_value_t = 1000)]
    idle: usize,
    /// Chatting visitor/operator pairs.
    #[arg(long, default_value_t = 100)]
    pairs: usize,
    /// Operators sharing the chats.
    #[arg(long, default_value_t = 10)]
    operators: usize,
    /// Total visitor messages per second across all pairs.
    #[arg(long, default_value_t = 1000)]
    rate: u32,
    /// Length of the chatting phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Server nodes: 1 is a single server on SQLite; more make a cluster on PostgreSQL + NATS.
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    /// Run the file transfer benchmark (100 MB up and down, beside a raw HTTP upload) instead.
    #[arg(long)]
    files: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let wanted_files = (args.idle + 2 * args.pairs + args.operators) as u64 * 2 + 1024;
    rlimit::increase_nofile_limit(wanted_files)?;
    let (single, cluster);
    let (server, operators_at) = if args.nodes > 1 {
        cluster = BenchCluster::start(&args.server_bin, args.nodes).await?;
        let nodes = &cluster.nodes;
        println!(
            "cluster of {} nodes: hub pid {}, visitors on pid {}, operators on pid {}",
            nodes.len(),
            nodes[0].pid(),
            nodes[1].pid(),
            nodes[nodes.len() - 1].pid()
        );
        (&nodes[1], &nodes[nodes.len() - 1])
    } else {
        single = server::BenchServer::start(&args.server_bin).await?;
        println!("server pid {} on {}", single.pid(), single.address());
        (&single, &single)
    };
    if args.files {
        return files::run(server).await;
    }

    let operators = peers::connect_operators(operators_at, args.operators).await?;
    let base_kib = server.rss_kib()?;
    let started = Instant::now();
    let idle = peers::open_idle_visitors(server, args.idle).await?;
    let idle_kib = server.rss_kib()?;
    let per_idle = (idle_kib.saturating_sub(base_kib)) as f64 * 1024.0 / args.idle.max(1) as f64;
    println!(
        "idle: {} visitors connected in {:.1} s; server RSS {} KiB → {} KiB; {:.1} KiB per idle connection",
        idle.len(),
        started.elapsed().as_secs_f64(),
        base_kib,
        idle_kib,
        per_idle / 1024.0
    );

    let clock = Arc::new(Instant::now());
    let chats = peers::start_chats(server, operators, args.pairs).await?;
    let duration = Duration::from_secs(args.seconds);
    let result = peers::chat(chats, clock, args.rate, duration).await?;
    let busy_kib = server.rss_kib()?;
    let latency = stats::Percentiles::of(result.latencies_us);
    println!(
        "chatting: {} pairs, {} messages sent, {} received by operators in {:.1} s = {:.0} msg/s",
        args.pairs,
        result.sent,
        latency.count,
        duration.as_secs_f64(),
        latency.count as f64 / duration.as_secs_f64()
    );
    println!(
        "visitor → operator latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; server RSS {} KiB",
        latency.p50_ms(),
        latency.p99_ms(),
        latency.max_ms(),
        busy_kib
    );
    drop(idle);
    Ok(())
}
