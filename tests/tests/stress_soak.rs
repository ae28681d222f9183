//! Fault soak: visitor/operator pairs chat while the server is killed with SIGKILL and started
//! again on the same data directory and port, and a chaos proxy drops connections at random.
//! Now and then the proxy also cuts everyone off for a few seconds (a network partition) while
//! the server stays up. When the chaos stops, every acknowledged message is stored exactly once at the seq it was
//! acknowledged with, in the order its sender wrote it, and both sides hold every event of
//! their chat exactly once and in order.
//!
//! The same soak runs on a cluster of two nodes (PostgreSQL + NATS), killing them in turn.
//!
//! Operators use the client crate (reconnect, resume, outbox). Visitors are small resuming
//! widgets written here: they keep their token and last seq, resume after every loss and send
//! an unacknowledged message again with the same `client_msg_id`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, ensure, Context};
use switchboard_client::{login, AgentClient, ClientEvent, ConnectionState, Delivery};
use switchboard_protocol::{
    AgentEvent, AgentRequest, ConversationEvent, EventBody, Status, VisitorEvent, VisitorRequest,
    PROTOCOL_VERSION,
};
use switchboard_tests::chaos_proxy::ChaosProxy;
use switchboard_tests::cluster::TestCluster;
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{demo_page, RawAgent, RawVisitor};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{sleep, sleep_until, timeout, Instant};
use url::Url;

/// Visitor/operator pairs chatting at once.
const PAIRS: usize = 6;
/// How long the server is killed and connections are dropped.
const CHAOS: Duration = Duration::from_secs(55);
/// Time between two outages (a server kill or a network partition), in milliseconds.
const OUTAGE_EVERY_MS: Range<u64> = 3_000..8_000;
/// How long a network partition lasts, in milliseconds: long enough for the operators'
/// outboxes to fill up past what the pacer sends at once.
const PARTITION_MS: Range<u64> = 2_000..6_000;
/// Time between two dropped connections, in milliseconds.
const DROP_EVERY_MS: Range<u64> = 100..500;
/// Time between two messages of one sender, in milliseconds.
const WRITE_EVERY_MS: Range<u64> = 100..400;
/// Time between two reconnect attempts of a visitor, in milliseconds.
const VISITOR_RETRY_MS: Range<u64> = 50..300;
/// How long everyone may take to converge once the chaos stops.
const SETTLE: Duration = Duration::from_secs(60);
const PASSWORD: &str = "operator-password";

fn pause(range: Range<u64>) -> Duration {
    Duration::from_millis(rand::random_range(range))
}

/// What one side of a chat wrote and saw.
#[derive(Debug, Default, Clone)]
struct Log {
    /// Every event of the chat handed to this side, in arrival order, duplicates included.
    events: Vec<ConversationEvent>,
    /// Messages written, in order: (client_msg_id, text).
    written: Vec<(String, String)>,
    /// Acknowledged messages: client_msg_id → seq.
    acked: HashMap<String, u32>,
    /// What should never happen (a refused message, a snapshot, an error frame), described.
    surprises: Vec<String>,
    /// Connections lost and made again.
    reconnects: u32,
}

impl Log {
    fn last_seq(&self) -> u32 {
        self.events.iter().map(|event| event.seq).max().unwrap_or(0)
    }

    fn settled(&self) -> bool {
        self.acked.len() == self.written.len()
    }
}

/// A widget that resumes its chat after every loss.
struct SoakVisitor {
    url: Url,
    page: switchboard_protocol::PageInfo,
    token: String,
    conversation_id: String,
    pair: usize,
    log: watch::Sender<Log>,
    writing: watch::Receiver<bool>,
    last_req: u32,
    /// The message written but not acknowledged yet, and the request that carries it now.
    pending: Option<(String, String, u32)>,
    next_write: Instant,
}

impl SoakVisitor {
    /// Resumes, chats, and resumes again after every loss, until the task is aborted.
    async fn run(mut self) {
        loop {
            let mut socket = self.resume().await;
            // Losing the connection is the point of the soak; only the count is kept.
            let _lost = self.serve(&mut socket).await;
            self.log.send_modify(|log| log.reconnects += 1);
        }
    }

    /// Opens a socket and says hello with the token and the last seq; retries until it works.
    async fn resume(&mut self) -> RawVisitor {
        loop {
            match self.try_resume().await {
                Ok(socket) => return socket,
                Err(_) => sleep(pause(VISITOR_RETRY_MS)).await,
            }
        }
    }

    async fn try_resume(&mut self) -> anyhow::Result<RawVisitor> {
        let last_seq = self.log.borrow().last_seq();
        let mut socket = RawVisitor::open(&self.url).await?;
        socket
            .send(&VisitorRequest::Hello {
                protocol: PROTOCOL_VERSION,
                visitor_token: Some(self.token.clone()),
                page: self.page.clone(),
                time_zone: None,
                last_seq: Some(last_seq),
            })
            .await?;
        match socket.next().await? {
            VisitorEvent::Welcome {
                conversation: Some(conversation),
                ..
            } if conversation.id == self.conversation_id => Ok(socket),
            other => {
                let surprise = format!("a resume was answered with {other:?}");
                self.log.send_modify(|log| log.surprises.push(surprise));
                bail!("unexpected welcome")
            }
        }
    }

    /// Sends the pending message again, then reads events and writes new messages.
    async fn serve(&mut self, socket: &mut RawVisitor) -> anyhow::Result<()> {
        if let Some((id, text, _)) = self.pending.take() {
            self.send(socket, id, text).await?;
        }
        loop {
            let may_write = self.pending.is_none() && *self.writing.borrow();
            tokio::select! {
                event = socket.next_event() => self.on_event(event?),
                () = sleep_until(self.next_write), if may_write => {
                    let n = self.log.borrow().written.len();
                    let id = uuid::Uuid::new_v4().to_string();
                    let text = format!("v{}-{n}", self.pair);
                    self.log.send_modify(|log| log.written.push((id.clone(), text.clone())));
                    self.send(socket, id, text).await?;
                }
            }
        }
    }

    async fn send(
        &mut self,
        socket: &mut RawVisitor,
        id: String,
        text: String,
    ) -> anyhow::Result<()> {
        self.last_req += 1;
        let req = self.last_req;
        self.pending = Some((id.clone(), text.clone(), req));
        socket
            .send(&VisitorRequest::Send {
                req,
                client_msg_id: id,
                text,
            })
            .await
    }

    fn on_event(&mut self, event: VisitorEvent) {
        match event {
            VisitorEvent::Event {
                conversation_id,
                event,
            } => self.log.send_modify(|log| {
                if conversation_id != self.conversation_id {
                    log.surprises
                        .push(format!("an event of another chat: {conversation_id}"));
                }
                log.events.push(event);
            }),
            VisitorEvent::Ack {
                req,
                seq: Some(seq),
                ..
            } if self.pending.as_ref().is_some_and(|(_, _, r)| *r == req) => {
                let (id, _, _) = self.pending.take().expect("checked above");
                self.log.send_modify(|log| {
                    log.acked.insert(id, seq);
                });
                self.next_write = Instant::now() + pause(WRITE_EVERY_MS);
            }
            VisitorEvent::Error { req, error } => self
                .log
                .send_modify(|log| log.surprises.push(format!("error for {req:?}: {error}"))),
            VisitorEvent::Snapshot { .. } => self
                .log
                .send_modify(|log| log.surprises.push("a snapshot instead of a replay".into())),
            _ => {}
        }
    }
}

/// Drives one operator's client: records every event and outbox update of its chat, and writes
/// a message now and then while `writing` is true.
async fn operate(
    client: AgentClient,
    mut events: mpsc::Receiver<ClientEvent>,
    conversation_id: String,
    pair: usize,
    log: watch::Sender<Log>,
    writing: watch::Receiver<bool>,
) {
    let mut next_write = Instant::now() + pause(WRITE_EVERY_MS);
    loop {
        let may_write = *writing.borrow();
        tokio::select! {
            event = events.recv() => match event {
                Some(event) => log.send_modify(|log| record(log, &conversation_id, event)),
                None => return,
            },
            () = sleep_until(next_write), if may_write => {
                next_write = Instant::now() + pause(WRITE_EVERY_MS);
                if !*writing.borrow() {
                    continue;
                }
                let text = format!("o{pair}-{}", log.borrow().written.len());
                match client.send(&conversation_id, &text) {
                    Ok(id) => log.send_modify(|log| log.written.push((id, text))),
                    Err(error) => log.send_modify(|log| {
                        log.surprises.push(format!("send refused: {error}"));
                    }),
                }
            }
        }
    }
}

/// Adds what the client reported about `conversation_id` to an operator's log.
fn record(log: &mut Log, conversation_id: &str, event: ClientEvent) {
    match event {
        ClientEvent::Server(AgentEvent::Event {
            conversation_id: id,
            event,
        }) if id == conversation_id => log.events.push(event),
        ClientEvent::Server(AgentEvent::Snapshot {
            conversation_id: id,
            ..
        }) if id == conversation_id => log.surprises.push("a snapshot instead of a replay".into()),
        ClientEvent::Outbox(update) if update.conversation_id == conversation_id => {
            match update.delivery {
                Delivery::Queued => {}
                Delivery::Sent { seq } => {
                    log.acked.insert(update.client_msg_id, seq);
                }
                Delivery::Failed { error } => log
                    .surprises
                    .push(format!("message {:?} failed: {error}", update.text)),
            }
        }
        ClientEvent::Connection(ConnectionState::Reconnecting { .. }) => log.reconnects += 1,
        ClientEvent::Connection(ConnectionState::Unauthorized | ConnectionState::Closed) => {
            log.surprises.push("the client stopped".into())
        }
        _ => {}
    }
}

/// One chat: its operator's client and both sides' logs.
struct Pair {
    email: String,
    conversation_id: String,
    client: AgentClient,
    operator: watch::Receiver<Log>,
    visitor: watch::Receiver<Log>,
    tasks: [JoinHandle<()>; 2],
}

impl Pair {
    /// An operator online through the proxy, a visitor who calls through the proxy, and the
    /// operator accepting that call; then both sides start chatting.
    async fn start(
        server: &TestServer,
        proxy: &ChaosProxy,
        pair: usize,
        writing: &watch::Receiver<bool>,
    ) -> anyhow::Result<Pair> {
        let email = format!("op{pair}@example.com");
        server
            .add_operator(&email, &format!("Operator {pair}"), PASSWORD)
            .await?;
        let session = login(&proxy.url(), &email, PASSWORD).await?;
        let (client, mut events) = AgentClient::connect(proxy.url(), session.token);
        timeout(SETTLE, async {
            while let Some(event) = events.recv().await {
                if event == ClientEvent::Connection(ConnectionState::Connected) {
                    return Ok(());
                }
            }
            bail!("the client ended before connecting")
        })
        .await??;
        client.set_status(Status::Online).await?;

        let page = demo_page(server, "demo/");
        let mut first = RawVisitor::open(&proxy.ws_url("ws/v1/visitor")).await?;
        first
            .send(&VisitorRequest::Hello {
                protocol: PROTOCOL_VERSION,
                visitor_token: None,
                page: page.clone(),
                time_zone: None,
                last_seq: None,
            })
            .await?;
        let VisitorEvent::Welcome { visitor_token, .. } = first.next().await? else {
            bail!("no welcome for visitor {pair}");
        };
        let conversation_id = first.start_chat().await?;
        drop(first);

        let (operator_log, operator) = watch::channel(Log::default());
        let operating = tokio::spawn(operate(
            client.clone(),
            events,
            conversation_id.clone(),
            pair,
            operator_log,
            writing.clone(),
        ));
        client.accept(&conversation_id).await?;

        let (visitor_log, visitor) = watch::channel(Log::default());
        let visiting = tokio::spawn(
            SoakVisitor {
                url: proxy.ws_url("ws/v1/visitor"),
                page,
                token: visitor_token,
                conversation_id: conversation_id.clone(),
                pair,
                log: visitor_log,
                writing: writing.clone(),
                last_req: 1,
                pending: None,
                next_write: Instant::now() + pause(WRITE_EVERY_MS),
            }
            .run(),
        );
        Ok(Pair {
            email,
            conversation_id,
            client,
            operator,
            visitor,
            tasks: [operating, visiting],
        })
    }

    /// Waits until both sides have every message they wrote acknowledged.
    async fn settle(&mut self) -> anyhow::Result<()> {
        self.operator.wait_for(Log::settled).await?;
        self.visitor.wait_for(Log::settled).await?;
        Ok(())
    }

    /// Waits until both sides hold the chat up to `last_seq`.
    async fn catch_up(&mut self, last_seq: u32) -> anyhow::Result<()> {
        self.operator
            .wait_for(|log| log.last_seq() >= last_seq)
            .await?;
        self.visitor
            .wait_for(|log| log.last_seq() >= last_seq)
            .await?;
        Ok(())
    }

    async fn stop(self) {
        for task in &self.tasks {
            task.abort();
        }
        self.client.shutdown().await;
    }
}

/// Every stored event of a chat, oldest first, read straight from the server (not through
/// the proxy or the client under test).
async fn stored_events(
    server: &TestServer,
    email: &str,
    conversation_id: &str,
) -> anyhow::Result<Vec<ConversationEvent>> {
    let (mut agent, _) = RawAgent::connect(server, email, PASSWORD).await?;
    let mut events = Vec::new();
    let mut before_seq = None;
    for req in 1.. {
        agent
            .send(&AgentRequest::History {
                req,
                conversation_id: conversation_id.to_string(),
                before_seq,
                limit: switchboard_protocol::limits::MAX_HISTORY_PAGE,
            })
            .await?;
        let (page, has_more) = agent
            .wait_for(|event| match event {
                AgentEvent::HistoryPage {
                    req: r,
                    events,
                    has_more,
                    ..
                } if *r == req => Some(Ok((events.clone(), *has_more))),
                AgentEvent::Error {
                    req: Some(r),
                    error,
                } if *r == req => Some(Err(error.clone())),
                _ => None,
            })
            .await?
            .map_err(|error| anyhow::anyhow!("history failed: {error}"))?;
        before_seq = page.first().map(|event| event.seq);
        events.splice(0..0, page);
        if !has_more {
            break;
        }
    }
    Ok(events)
}

/// The message events of `events` as (seq, client_msg_id).
fn messages(events: &[ConversationEvent]) -> Vec<(u32, &str)> {
    events
        .iter()
        .filter_map(|event| match &event.body {
            EventBody::Message { client_msg_id, .. } => Some((event.seq, client_msg_id.as_str())),
            _ => None,
        })
        .collect()
}

/// Checks one side against what the server stored: every acknowledged message stored once at
/// its seq, in the order written, and the side's events exactly the stored ones from
/// `first_seq` on, each once and in order.
fn check_side(
    side: &str,
    log: &Log,
    stored: &[ConversationEvent],
    first_seq: u32,
) -> anyhow::Result<()> {
    ensure!(log.surprises.is_empty(), "{side}: {:#?}", log.surprises);
    let stored_messages = messages(stored);
    let mut previous = 0;
    for (id, text) in &log.written {
        let seq = *log
            .acked
            .get(id)
            .with_context(|| format!("{side}: {text:?} was never acknowledged"))?;
        let copies: Vec<u32> = stored_messages
            .iter()
            .filter(|(_, stored_id)| stored_id == id)
            .map(|(seq, _)| *seq)
            .collect();
        ensure!(
            copies == [seq],
            "{side}: {text:?} acknowledged as seq {seq}, stored at {copies:?}"
        );
        ensure!(
            seq > previous,
            "{side}: {text:?} (seq {seq}) stored before the message written before it"
        );
        previous = seq;
    }
    let expected: Vec<&ConversationEvent> = stored
        .iter()
        .filter(|event| event.seq >= first_seq)
        .collect();
    let seen: Vec<&ConversationEvent> = log.events.iter().collect();
    if seen != expected {
        let seqs: Vec<u32> = log.events.iter().map(|event| event.seq).collect();
        bail!(
            "{side}: received seqs {seqs:?}, expected {first_seq}..={}",
            stored.last().map_or(0, |event| event.seq)
        );
    }
    Ok(())
}

/// What a soak went through.
struct Soaked {
    kills: usize,
    partitions: usize,
    written: usize,
    acked: usize,
    reconnects: u32,
    dropped: u64,
}

impl std::fmt::Display for Soaked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{PAIRS} pairs, {} messages written, {} acknowledged and each stored once, {} server \
             kills, {} network partitions, {} connections dropped by the proxy, {} reconnects",
            self.written, self.acked, self.kills, self.partitions, self.dropped, self.reconnects
        )
    }
}

/// Runs the soak: the pairs reach `nodes[entry]` through the chaos proxy; each outage either
/// cuts the network or kills the next of `nodes` in turn and starts it again. Checks every
/// chat at the end.
async fn soak(nodes: &mut [TestServer], entry: usize) -> anyhow::Result<Soaked> {
    let proxy = Arc::new(ChaosProxy::start(&nodes[entry].base_url()).await?);
    let (writing_tx, writing) = watch::channel(true);
    let mut pairs = Vec::new();
    for pair in 0..PAIRS {
        pairs.push(Pair::start(&nodes[entry], &proxy, pair, &writing).await?);
    }

    let dropping = tokio::spawn({
        let proxy = proxy.clone();
        async move {
            loop {
                sleep(pause(DROP_EVERY_MS)).await;
                proxy.drop_one(rand::random_range(0..usize::MAX));
            }
        }
    });
    let chaos_ends = Instant::now() + CHAOS;
    let (mut kills, mut partitions) = (0, 0);
    while Instant::now() < chaos_ends {
        sleep(pause(OUTAGE_EVERY_MS)).await;
        if rand::random_ratio(1, 4) {
            proxy.cut();
            sleep(pause(PARTITION_MS)).await;
            proxy.mend();
            partitions += 1;
        } else {
            let count = nodes.len();
            nodes[kills % count].restart().await?;
            kills += 1;
        }
    }
    dropping.abort();
    writing_tx.send_replace(false);

    let settled = timeout(SETTLE, async {
        for pair in &mut pairs {
            pair.settle().await?;
        }
        anyhow::Ok(())
    })
    .await;
    if settled.is_err() {
        let surprises: Vec<String> = pairs
            .iter()
            .flat_map(|pair| {
                [
                    pair.operator.borrow().clone(),
                    pair.visitor.borrow().clone(),
                ]
            })
            .flat_map(|log| log.surprises)
            .collect();
        bail!("not every written message was acknowledged in time: {surprises:#?}");
    }
    settled??;
    let mut stored = Vec::new();
    for pair in &pairs {
        stored.push(stored_events(&nodes[entry], &pair.email, &pair.conversation_id).await?);
    }
    timeout(SETTLE, async {
        for (pair, events) in pairs.iter_mut().zip(&stored) {
            pair.catch_up(events.last().map_or(0, |event| event.seq))
                .await?;
        }
        anyhow::Ok(())
    })
    .await
    .context("a side did not receive every event in time")??;

    let (mut written, mut acked, mut reconnects) = (0, 0, 0);
    for (pair, events) in pairs.iter().zip(&stored) {
        let operator = pair.operator.borrow().clone();
        let visitor = pair.visitor.borrow().clone();
        // The operator follows the chat from its first ring on (after `Started`, seq 1).
        check_side("operator", &operator, events, 2)?;
        check_side("visitor", &visitor, events, 1)?;
        ensure!(
            messages(events).len() == operator.written.len() + visitor.written.len(),
            "the chat holds only what its two sides wrote"
        );
        for log in [&operator, &visitor] {
            written += log.written.len();
            acked += log.acked.len();
            reconnects += log.reconnects;
        }
    }
    for pair in pairs {
        pair.stop().await;
    }
    Ok(Soaked {
        kills,
        partitions,
        written,
        acked,
        reconnects,
        dropped: proxy.dropped(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chats_lose_nothing_and_repeat_nothing_through_server_kills_and_dropped_connections(
) -> anyhow::Result<()> {
    let mut server = [TestServer::start().await?];
    let soaked = soak(&mut server, 0).await?;
    println!("soak: {soaked}");
    assert!(
        soaked.kills >= 3,
        "the server was killed only {} times",
        soaked.kills
    );
    assert!(soaked.dropped > 0, "no connection was dropped");
    Ok(())
}

/// The same soak on a cluster of two nodes: the pairs reach the second node, and the kills
/// alternate between the nodes, so the hub's role moves back and forth (failover) and the
/// pairs' own node dies too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_loses_nothing_while_its_nodes_are_killed_in_turn() -> anyhow::Result<()> {
    let mut cluster = TestCluster::start(2).await?;
    let soaked = soak(&mut cluster.nodes, 1).await?;
    let terms = cluster.nodes[1]
        .sql("SELECT last_value FROM hub_terms")
        .await?;
    println!("cluster soak: {soaked}, {} hub terms", terms.trim());
    assert!(
        soaked.kills >= 3,
        "nodes were killed only {} times",
        soaked.kills
    );
    let terms: u32 = terms.trim().parse()?;
    assert!(
        terms >= 3,
        "the hub moved between the nodes only {} times",
        terms - 1
    );
    Ok(())
}
