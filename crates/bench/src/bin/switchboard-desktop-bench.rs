//! `switchboard-desktop-bench`: cold start and memory of the desktop app (release build),
//! beside a bare Tauri window measured in the same run. Needs a display, a session bus and a
//! keychain, so run it inside the desktop session script:
//!
//! ```text
//! npm --prefix ui run build
//! cargo build --release -p switchboard-server -p switchboard-desktop -p switchboard-bench --bins --example bare_window
//! scripts/desktop-session.sh target/release/switchboard-desktop-bench
//! ```

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use futures_util::future::try_join_all;
use futures_util::{SinkExt, StreamExt};
use switchboard_bench::desktop::Launched;
use switchboard_bench::peers::{self, Socket};
use switchboard_bench::server::{BenchServer, PASSWORD};
use switchboard_bench::{memory, stats};
use switchboard_protocol::{AgentRequest, VisitorEvent, VisitorRequest};
use tokio_tungstenite::tungstenite::Message;

/// Cold start and memory benchmark of the desktop app.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Directory holding the release binaries.
    #[arg(long, default_value = "target/release")]
    release_dir: PathBuf,
    /// Cold starts to time for each screen.
    #[arg(long, default_value_t = 5)]
    starts: usize,
    /// Open chats for the memory measurement.
    #[arg(long, default_value_t = 20)]
    chats: usize,
    /// Messages per chat (half from the visitor, half from the operator).
    #[arg(long, default_value_t = 200)]
    messages: u32,
    /// Seconds to let memory settle before each reading.
    #[arg(long, default_value_t = 5)]
    settle: u64,
}

const OPERATOR: &str = "bench-operator@bench.example";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let app = args.release_dir.join("switchboard-desktop");
    let server = BenchServer::start(&args.release_dir.join("switchboard-server")).await?;
    server.add_operator(OPERATOR).await?;
    let server_url = format!("http://{}", server.address());
    let logged_in = [
        ("SWITCHBOARD_SERVER_URL", server_url.clone()),
        ("SWITCHBOARD_EMAIL", OPERATOR.to_string()),
        ("SWITCHBOARD_PASSWORD", PASSWORD.to_string()),
        ("SWITCHBOARD_PROFILE", "bench-logged-in".to_string()),
    ];

    let mut login_times = Vec::new();
    for n in 0..args.starts {
        let fresh_profile = [("SWITCHBOARD_PROFILE", format!("bench-cold-{n}"))];
        let mut launched = Launched::start(&app, &fresh_profile)?;
        login_times.push(
            launched
                .wait_for("switchboard-desktop: ready login-screen")
                .await?,
        );
        launched.stop().await?;
    }
    let mut chat_list_times = Vec::new();
    for _ in 0..args.starts {
        let mut launched = Launched::start(&app, &logged_in)?;
        chat_list_times.push(
            launched
                .wait_for("switchboard-desktop: ready chat-list")
                .await?,
        );
        launched.stop().await?;
    }
    println!(
        "cold start to the login screen: median {:.0} ms",
        median_ms(login_times)
    );
    println!(
        "cold start to the chat list (auto-login): median {:.0} ms",
        median_ms(chat_list_times)
    );

    let settle = Duration::from_secs(args.settle);
    let mut launched = Launched::start(&app, &logged_in)?;
    launched
        .wait_for("switchboard-desktop: ready chat-list")
        .await?;
    tokio::time::sleep(settle).await;
    let (idle_kib, idle_parts) = memory::tree_pss_kib(launched.pid())?;
    println!("app idle: {idle_kib} KiB PSS = {}", idle_parts.join(" + "));

    // the visitors stay on the site until the reading: twenty chats going on
    let visitors = fill_chats(&server, args.chats, args.messages).await?;
    tokio::time::sleep(settle).await;
    let (busy_kib, busy_parts) = memory::tree_pss_kib(launched.pid())?;
    println!(
        "app with {} chats of {} messages: {busy_kib} KiB PSS = {}",
        args.chats,
        args.messages,
        busy_parts.join(" + ")
    );
    launched.stop().await?;
    drop(visitors);

    let page = format!("http://{}/api/v1/health", server.address());
    let bare_window = args.release_dir.join("examples/bare_window");
    let bare_kib = measure_bare_window(&bare_window, &page, &[], settle).await?;
    println!(
        "ratio (app with chats / bare window): {:.2}",
        busy_kib as f64 / bare_kib.max(1) as f64
    );
    if cfg!(target_os = "linux") {
        // the app turns WebKitGTK's accelerated compositing off; the same for the bare window
        let drawn_alike = [("WEBKIT_DISABLE_COMPOSITING_MODE", "1".to_string())];
        let alike_kib = measure_bare_window(&bare_window, &page, &drawn_alike, settle).await?;
        println!(
            "ratio (app with chats / bare window without compositing): {:.2}",
            busy_kib as f64 / alike_kib.max(1) as f64
        );
    }
    Ok(())
}

/// Starts the bare Tauri window on `page` with extra environment, lets it settle and returns
/// its memory (KiB PSS), printing the parts.
async fn measure_bare_window(
    bin: &std::path::Path,
    page: &str,
    env: &[(&str, String)],
    settle: Duration,
) -> anyhow::Result<u64> {
    let mut environment = vec![("BARE_WINDOW_URL", page.to_string())];
    environment.extend_from_slice(env);
    let mut bare = Launched::start(bin, &environment)?;
    bare.wait_for("bare-window: ready").await?;
    tokio::time::sleep(settle).await;
    let (kib, parts) = memory::tree_pss_kib(bare.pid())?;
    let drawn = env
        .iter()
        .map(|(key, value)| format!(" ({key}={value})"))
        .collect::<String>();
    println!(
        "bare Tauri window{drawn}: {kib} KiB PSS = {}",
        parts.join(" + ")
    );
    bare.stop().await?;
    Ok(kib)
}

fn median_ms(samples: Vec<Duration>) -> f64 {
    let micros = samples.iter().map(|d| d.as_micros() as u64).collect();
    stats::Percentiles::of(micros).p50_ms()
}

/// Opens `chats` chats accepted by the benchmark operator and fills each with `messages`
/// messages; returns once the app (the operator's other session) has received every one, as
/// its delivered receipts show, with the visitors' sockets (the chats end when they close).
async fn fill_chats(
    server: &BenchServer,
    chats: usize,
    messages: u32,
) -> anyhow::Result<Vec<Socket>> {
    let http = reqwest::Client::new();
    let mut pairs = Vec::with_capacity(chats);
    for _ in 0..chats {
        let (mut operator, _) = peers::operator_socket(server, &http, OPERATOR).await?;
        let mut visitor = peers::visitor(server).await?;
        peers::send(
            &mut visitor,
            &VisitorRequest::StartChat {
                req: 1,
                survey: vec![],
            },
        )
        .await?;
        let id = loop {
            if let VisitorEvent::Ack {
                conversation: Some(c),
                ..
            } = peers::next(&mut visitor).await?
            {
                break c.id;
            }
        };
        peers::send(
            &mut operator,
            &AgentRequest::Accept {
                req: 2,
                conversation_id: id.clone(),
            },
        )
        .await?;
        pairs.push((id, operator, visitor));
    }
    let visitors = try_join_all(
        pairs
            .into_iter()
            .map(|(id, operator, visitor)| converse(id, operator, visitor, messages)),
    )
    .await?;
    Ok(visitors)
}

/// Alternates visitor and operator messages at a pace under the per-connection rate limit,
/// then waits for the app's delivered receipt of the last one; returns the visitor's socket.
async fn converse(
    id: String,
    operator: Socket,
    mut visitor: Socket,
    messages: u32,
) -> anyhow::Result<Socket> {
    // The operator's bench socket gets every event of all chats: drain it so it keeps up.
    let (mut to_server, mut from_server) = operator.split();
    let drain = tokio::spawn(async move { while let Some(Ok(_)) = from_server.next().await {} });
    let mut pace = tokio::time::interval(Duration::from_millis(60));
    // a late tick waits: a burst of catch-up messages would trip the server's flood limit
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for n in 0..messages {
        pace.tick().await;
        let text = format!("message {n} of a long support conversation about an order");
        if n % 2 == 0 {
            peers::send(
                &mut visitor,
                &VisitorRequest::Send {
                    req: n,
                    client_msg_id: format!("v{n}"),
                    text,
                },
            )
            .await?;
        } else {
            let send = AgentRequest::Send {
                req: n,
                conversation_id: id.clone(),
                client_msg_id: format!("o{n}"),
                text,
            };
            to_server
                .send(Message::text(serde_json::to_string(&send)?))
                .await?;
        }
    }
    // Started and OperatorJoined come first, then every message.
    let last_seq = messages + 2;
    loop {
        match peers::next::<VisitorEvent>(&mut visitor).await? {
            VisitorEvent::Receipt { delivered, .. } if delivered >= last_seq => break,
            VisitorEvent::Error { error, .. } => anyhow::bail!("chat {id}: {error}"),
            _ => {}
        }
    }
    drain.abort();
    Ok(visitor)
}
