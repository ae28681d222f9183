//! Visitor tracking in the hub: who is on the site (address, location, browser, pages with time
//! on page, visits and chats), the live list operators watch, proactive invitations, and
//! blocking by IP address or country.
//!
//! The state lives in [`Live`] under the hub's mutex, next to the conversations it reports on;
//! database writes happen outside that mutex. A visitor whose last socket closed stays listed
//! for a grace period (page navigation reconnects within it and continues the visit), then
//! [`Hub::sweep_visitors`] drops it.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_protocol::visitors::{
    BlockRule, BlockTarget, Invitation, LiveVisitor, PageVisit, PastChat, VisitorChatState,
    MAX_INVITATION_BYTES, MAX_PAGES_PER_VISIT, MAX_PREVIOUS_CHATS,
};
use switchboard_protocol::{
    AgentEvent, Author, ConversationState, ErrorCode, EventBody, OperatorRef, PageInfo,
    ProtocolError, Status, VisitorConversation, VisitorEvent,
};

use super::{
    frame_of, generated_name, internal, new_summary, Frame, Hub, HubResult, Live, LiveConversation,
};
use crate::arrival::Arrival;
use crate::geo::GeoIp;
use crate::now_millis;
use crate::store::{NewConversation, StoreError};
use crate::validate;

/// How tracking behaves: the GeoIP database and how long a visitor who left stays listed.
pub struct TrackingConfig {
    /// Locates visitor addresses.
    pub geo: GeoIp,
    /// How long a visitor who left stays on the Visitors list.
    pub grace: Duration,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for TrackingConfig {
    fn default() -> Self {
        Self {
            geo: GeoIp::default(),
            grace: Duration::from_secs(60),
            trusted_proxies: Vec::new(),
        }
    }
}

/// One tracked visitor.
struct Tracked {
    visitor: LiveVisitor,
    visit: u32,
    invitation: Option<Invitation>,
    /// When the last socket closed, while disconnected.
    left: Option<Instant>,
}

/// Everything tracking keeps live.
#[derive(Default)]
pub(super) struct Tracking {
    visitors: HashMap<String, Tracked>,
    /// Operators who watch the visitor list.
    watchers: HashSet<String>,
    /// Blocking rules, newest first.
    blocks: Vec<BlockRule>,
}

fn conflict(message: impl Into<String>) -> ProtocolError {
    ProtocolError::new(ErrorCode::Conflict, message)
}

fn blocked_error() -> ProtocolError {
    ProtocolError::new(
        ErrorCode::OriginDenied,
        "chat is not available from your address",
    )
}

impl Live {
    /// The visitor as operators see it now, if tracked.
    fn visitor_snapshot(&self, visitor_id: &str) -> Option<LiveVisitor> {
        let tracked = self.tracking.visitors.get(visitor_id)?;
        let mut visitor = tracked.visitor.clone();
        visitor.connected = self.visitors.contains_key(visitor_id);
        let open = self
            .open_by_visitor
            .get(visitor_id)
            .and_then(|id| self.conversations.get(id));
        visitor.chat = match (open, &tracked.invitation) {
            (Some(c), _) if c.summary.state == ConversationState::Ringing => {
                VisitorChatState::Ringing {
                    conversation_id: c.summary.id.clone(),
                }
            }
            (Some(c), _) => VisitorChatState::Chatting {
                conversation_id: c.summary.id.clone(),
                operators: c.summary.operators.clone(),
            },
            (None, Some(invitation)) => VisitorChatState::Invited {
                by: invitation.operator.clone(),
            },
            (None, None) => VisitorChatState::Idle,
        };
        Some(visitor)
    }

    /// Pushes a frame to every socket of every watching operator.
    fn push_watchers(&mut self, frame: &Frame) {
        let watchers: Vec<String> = self.tracking.watchers.iter().cloned().collect();
        for operator in watchers {
            self.push_agent(&operator, frame);
        }
    }

    /// Tells watchers a visitor changed.
    pub(super) fn visitor_changed(&mut self, visitor_id: &str) {
        if let Some(visitor) = self.visitor_snapshot(visitor_id) {
            self.push_watchers(&frame_of(&AgentEvent::VisitorUpdated { visitor }));
        }
    }

    /// A conversation's state or operators changed: its visitor's chat state did too.
    pub(super) fn chat_changed(&mut self, conversation_id: &str) {
        if let Some(visitor_id) = self
            .conversations
            .get(conversation_id)
            .map(|c| c.visitor_id.clone())
        {
            self.visitor_changed(&visitor_id);
        }
    }

    /// A conversation opened: counts it, takes the visitor's name, ends any invitation.
    pub(super) fn chat_started(&mut self, conversation_id: &str) {
        let Some((visitor_id, name)) = self
            .conversations
            .get(conversation_id)
            .map(|c| (c.visitor_id.clone(), c.summary.visitor.name.clone()))
        else {
            return;
        };
        if let Some(tracked) = self.tracking.visitors.get_mut(&visitor_id) {
            tracked.visitor.chats += 1;
            tracked.visitor.name = name;
            if tracked.invitation.take().is_some() {
                self.push_visitor(&visitor_id, &frame_of(&VisitorEvent::InvitationEnded));
            }
        }
        self.visitor_changed(&visitor_id);
    }

    /// A conversation closed: it becomes one of the visitor's previous chats.
    pub(super) fn chat_closed(&mut self, conversation: &LiveConversation) {
        if let Some(tracked) = self.tracking.visitors.get_mut(&conversation.visitor_id) {
            let summary = &conversation.summary;
            tracked.visitor.previous_chats.insert(
                0,
                PastChat {
                    id: summary.id.clone(),
                    started_at: summary.started_at,
                    operators: summary.operators.iter().map(|o| o.name.clone()).collect(),
                    first_message: summary.first_message.clone(),
                },
            );
            tracked.visitor.previous_chats.truncate(MAX_PREVIOUS_CHATS);
        }
        self.visitor_changed(&conversation.visitor_id);
    }

    /// The visitor's last socket closed: the current page ends, the grace period starts.
    pub(super) fn visitor_disconnected(&mut self, visitor_id: &str) {
        if let Some(tracked) = self.tracking.visitors.get_mut(visitor_id) {
            tracked.left = Some(Instant::now());
            if let Some(page) = tracked.visitor.pages.last_mut() {
                page.left_at.get_or_insert(now_millis());
            }
        }
        self.visitor_changed(visitor_id);
    }

    /// Adds a page to the visit unless it is the page the visitor is still on; returns the
    /// visit number when a page was added.
    fn add_page(&mut self, visitor_id: &str, page: &PageInfo, at: i64) -> Option<u32> {
        let tracked = self.tracking.visitors.get_mut(visitor_id)?;
        let pages = &mut tracked.visitor.pages;
        if pages
            .last()
            .is_some_and(|last| last.url == page.url && last.left_at.is_none())
        {
            return None;
        }
        if let Some(last) = pages.last_mut() {
            last.left_at.get_or_insert(at);
        }
        pages.push(PageVisit {
            url: page.url.clone(),
            title: page.title.clone(),
            entered_at: at,
            left_at: None,
        });
        if pages.len() > MAX_PAGES_PER_VISIT {
            pages.remove(0);
        }
        Some(tracked.visit)
    }

    fn block_list(&self) -> Frame {
        frame_of(&AgentEvent::BlockList {
            blocks: self.tracking.blocks.clone(),
        })
    }
}

/// Whether a rule matches an address (and the country the database places it in).
fn matches(rule: &BlockRule, ip: IpAddr, country: Option<&str>) -> bool {
    match &rule.target {
        BlockTarget::Ip { ip: blocked } => blocked.parse::<IpAddr>().is_ok_and(|b| b == ip),
        BlockTarget::Country { country_code } => country == Some(country_code.as_str()),
    }
}

/// Checks and normalises what an operator asks to block.
fn checked_target(target: BlockTarget) -> HubResult<BlockTarget> {
    let invalid = |message: &str| Err(ProtocolError::new(ErrorCode::Invalid, message));
    match target {
        BlockTarget::Ip { ip } => match ip.trim().parse::<IpAddr>() {
            Ok(ip) => Ok(BlockTarget::Ip { ip: ip.to_string() }),
            Err(_) => invalid("that is not an IP address"),
        },
        BlockTarget::Country { country_code } => {
            let code = country_code.trim().to_ascii_uppercase();
            if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(BlockTarget::Country { country_code: code })
            } else {
                invalid("a country is blocked by its two-letter code, e.g. DE")
            }
        }
    }
}

impl Hub {
    /// Sets the GeoIP database and grace period, and loads the blocking rules.
    pub async fn with_tracking(self, config: TrackingConfig) -> Result<Hub, StoreError> {
        let blocks = self.store.blocks().await?;
        self.live().tracking.blocks = blocks;
        Ok(Hub {
            tracking: config,
            ..self
        })
    }

    /// Reverse proxies whose `X-Forwarded-For` names the visitor.
    pub fn trusted_proxies(&self) -> &[IpAddr] {
        &self.tracking.trusted_proxies
    }

    /// Refuses a blocked address.
    pub(super) fn check_not_blocked(&self, ip: IpAddr) -> HubResult<()> {
        let live = self.live();
        if live.tracking.blocks.is_empty() {
            return Ok(());
        }
        let location = self.tracking.geo.locate(ip);
        let country = location.as_ref().and_then(|l| l.country_code.as_deref());
        if live
            .tracking
            .blocks
            .iter()
            .any(|rule| matches(rule, ip, country))
        {
            return Err(blocked_error());
        }
        Ok(())
    }

    /// Tracks a visitor socket after its hello: starts a visit or continues the current one,
    /// records the page, tells watchers, and re-delivers an open invitation. Called with the
    /// writer lock held and the socket registered.
    pub(super) async fn track_arrival(
        &self,
        visitor_id: &str,
        arrival: &Arrival,
        page: &PageInfo,
        time_zone: Option<String>,
    ) -> HubResult<()> {
        let known = self.live().tracking.visitors.contains_key(visitor_id);
        let now = now_millis();
        if !known {
            let ip = arrival.ip.to_string();
            let profile = self
                .store
                .begin_visit(visitor_id, &ip, &arrival.user_agent)
                .await
                .map_err(internal)?;
            let visitor = LiveVisitor {
                id: visitor_id.to_string(),
                name: profile.name.unwrap_or_else(|| generated_name(visitor_id)),
                location: self.tracking.geo.locate(arrival.ip),
                ip,
                time_zone: time_zone.clone(),
                browser: arrival.browser(),
                visits: profile.visits,
                chats: profile.chats,
                arrived_at: now,
                referrer: page.referrer.clone(),
                pages: Vec::new(),
                connected: true,
                chat: VisitorChatState::Idle,
                previous_chats: profile.previous_chats,
            };
            self.live().tracking.visitors.insert(
                visitor_id.to_string(),
                Tracked {
                    visitor,
                    visit: profile.visits,
                    invitation: None,
                    left: None,
                },
            );
        }
        let added = {
            let mut live = self.live();
            let invitation = live.tracking.visitors.get_mut(visitor_id).and_then(|t| {
                t.left = None;
                if time_zone.is_some() {
                    t.visitor.time_zone = time_zone;
                }
                t.invitation.clone()
            });
            if let Some(invitation) = invitation {
                live.push_visitor(visitor_id, &frame_of(&VisitorEvent::Invited { invitation }));
            }
            live.add_page(visitor_id, page, now)
        };
        if let Some(visit) = added {
            self.store
                .record_page_view(visitor_id, visit, page, now)
                .await
                .map_err(internal)?;
        }
        self.live().visitor_changed(visitor_id);
        Ok(())
    }

    /// Records a page view of a connected visitor (the page is already validated).
    pub(super) async fn track_page(&self, visitor_id: &str, page: &PageInfo) -> HubResult<()> {
        let now = now_millis();
        let added = self.live().add_page(visitor_id, page, now);
        if let Some(visit) = added {
            self.store
                .record_page_view(visitor_id, visit, page, now)
                .await
                .map_err(internal)?;
            self.live().visitor_changed(visitor_id);
        }
        Ok(())
    }

    /// Drops visitors who left longer ago than the grace period (unless a chat of theirs is
    /// still open) and tells watchers they are gone.
    pub async fn sweep_visitors(&self) {
        let gone: Vec<(String, i64)> = {
            let mut live = self.live();
            let grace = self.tracking.grace;
            let expired: Vec<String> = live
                .tracking
                .visitors
                .iter()
                .filter(|(id, t)| {
                    t.left.is_some_and(|left| left.elapsed() >= grace)
                        && !live.visitors.contains_key(*id)
                        && !live.open_by_visitor.contains_key(*id)
                })
                .map(|(id, _)| id.clone())
                .collect();
            let mut gone = Vec::with_capacity(expired.len());
            for id in expired {
                if let Some(tracked) = live.tracking.visitors.remove(&id) {
                    let left_at = tracked
                        .visitor
                        .pages
                        .last()
                        .and_then(|p| p.left_at)
                        .unwrap_or_else(now_millis);
                    live.push_watchers(&frame_of(&AgentEvent::VisitorGone {
                        visitor_id: id.clone(),
                    }));
                    gone.push((id, left_at));
                }
            }
            gone
        };
        for (id, left_at) in gone {
            if let Err(error) = self.store.end_page_view(&id, left_at).await {
                tracing::warn!(%error, "could not store the end of a page view");
            }
        }
    }

    /// Sweeps departed visitors until the process ends.
    pub async fn sweep_visitors_forever(self: Arc<Self>) {
        let every =
            (self.tracking.grace / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            self.sweep_visitors().await;
        }
    }

    /// Starts (or renews) an operator's subscription to the visitor list; the list and the
    /// blocking rules go out to the operator's sockets at once.
    pub fn watch_visitors(&self, operator_id: &str) {
        let mut live = self.live();
        live.tracking.watchers.insert(operator_id.to_string());
        let mut visitors: Vec<LiveVisitor> = live
            .tracking
            .visitors
            .keys()
            .filter_map(|id| live.visitor_snapshot(id))
            .collect();
        visitors.sort_by_key(|v| v.arrived_at);
        let list = frame_of(&AgentEvent::VisitorList { visitors });
        let blocks = live.block_list();
        live.push_agent(operator_id, &list);
        live.push_agent(operator_id, &blocks);
    }

    /// An operator invites a connected visitor; refused unless the operator is Online.
    pub fn invite(&self, operator_id: &str, visitor_id: &str, text: &str) -> HubResult<()> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ProtocolError::new(
                ErrorCode::Invalid,
                "write what the invitation says",
            ));
        }
        if text.len() > MAX_INVITATION_BYTES {
            return Err(ProtocolError::new(
                ErrorCode::TooLarge,
                format!("invitations are limited to {MAX_INVITATION_BYTES} bytes"),
            ));
        }
        let mut live = self.live();
        let agent = live.agents.get(operator_id).ok_or_else(super::not_found)?;
        if agent.status != Status::Online {
            return Err(conflict(
                "you are not Online: proactive invitations can only be sent while Online",
            ));
        }
        let operator = OperatorRef {
            id: agent.operator.id.clone(),
            name: agent.operator.name.clone(),
        };
        if !live.visitors.contains_key(visitor_id) {
            return Err(ProtocolError::new(
                ErrorCode::NotFound,
                "this visitor is no longer on the site",
            ));
        }
        if live.open_by_visitor.contains_key(visitor_id) {
            return Err(conflict("this visitor is already in a chat"));
        }
        let tracked = live
            .tracking
            .visitors
            .get_mut(visitor_id)
            .ok_or_else(super::not_found)?;
        if let Some(earlier) = &tracked.invitation {
            return Err(conflict(format!(
                "{} has already invited this visitor",
                earlier.operator.name
            )));
        }
        let invitation = Invitation {
            operator,
            text: text.to_string(),
        };
        tracked.invitation = Some(invitation.clone());
        live.push_visitor(visitor_id, &frame_of(&VisitorEvent::Invited { invitation }));
        live.visitor_changed(visitor_id);
        Ok(())
    }

    /// The visitor dismissed the invitation.
    pub fn dismiss_invitation(&self, visitor_id: &str) {
        let mut live = self.live();
        let had = live
            .tracking
            .visitors
            .get_mut(visitor_id)
            .and_then(|t| t.invitation.take())
            .is_some();
        if had {
            live.push_visitor(visitor_id, &frame_of(&VisitorEvent::InvitationEnded));
            live.visitor_changed(visitor_id);
        }
    }

    /// The visitor answers an invitation: the chat starts accepted by the inviting operator,
    /// with the invitation and the reply as its first messages.
    pub async fn answer_invitation(
        &self,
        visitor_id: &str,
        client_msg_id: String,
        text: &str,
    ) -> HubResult<VisitorConversation> {
        validate::client_msg_id(&client_msg_id)?;
        validate::message_text(text)?;
        let page = self
            .store
            .visitor_page(visitor_id)
            .await
            .map_err(internal)?;
        let _writer = self.writer.lock().await;
        let (invitation, name) = {
            let live = self.live();
            if let Some(open) = live
                .open_by_visitor
                .get(visitor_id)
                .and_then(|id| live.visitor_view(id))
            {
                return Ok(open);
            }
            let tracked = live.tracking.visitors.get(visitor_id);
            match tracked.and_then(|t| t.invitation.clone().map(|i| (i, t.visitor.name.clone()))) {
                Some(found) => found,
                None => return Err(conflict("the invitation is no longer open")),
            }
        };
        let new = NewConversation {
            id: uuid::Uuid::new_v4().to_string(),
            visitor_id: visitor_id.to_string(),
            visitor_name: name.clone(),
            visitor_email: None,
            survey: Vec::new(),
            called_from: page,
        };
        let started = self
            .store
            .create_conversation(&new)
            .await
            .map_err(internal)?;
        let inviter = invitation.operator.clone();
        {
            let mut live = self.live();
            let mut summary = new_summary(&new, &started, true);
            // Accepted from the start: it never rings for anyone.
            summary.state = ConversationState::Active;
            summary.operators = vec![inviter.clone()];
            live.open_by_visitor
                .insert(new.visitor_id.clone(), new.id.clone());
            live.conversations.insert(
                new.id.clone(),
                LiveConversation::new(
                    new.visitor_id.clone(),
                    summary.clone(),
                    crate::routing::Policy::default(),
                ),
            );
            live.push_agent(
                &inviter.id,
                &frame_of(&AgentEvent::ConversationUpdated {
                    conversation: summary,
                }),
            );
            self.fan_out(&mut live, &new.id, &started);
            live.chat_started(&new.id);
            live.team_changed([inviter.id.as_str()]);
        }
        self.commit(
            &new.id,
            EventBody::OperatorJoined {
                operator: inviter.clone(),
            },
            |_, _| {},
        )
        .await?;
        let author = Author::Operator {
            id: inviter.id,
            name: inviter.name,
        };
        let invitation_id = format!("invitation-{}", new.id);
        self.send_message(&new.id, invitation_id, author, &invitation.text)
            .await?;
        self.send_message(&new.id, client_msg_id, Author::Visitor { name }, text)
            .await?;
        self.live()
            .visitor_view(&new.id)
            .ok_or_else(super::not_found)
    }

    /// Blocks an address or a country: matching visitors are told and disconnected.
    pub async fn block(&self, operator_id: &str, target: BlockTarget) -> HubResult<()> {
        let target = checked_target(target)?;
        let by = {
            let live = self.live();
            let operator = &live
                .agents
                .get(operator_id)
                .ok_or_else(super::not_found)?
                .operator;
            OperatorRef {
                id: operator.id.clone(),
                name: operator.name.clone(),
            }
        };
        let rule = BlockRule {
            id: uuid::Uuid::new_v4().to_string(),
            target,
            by,
            at: now_millis(),
        };
        self.store.add_block(&rule).await.map_err(|e| match e {
            StoreError::Duplicate(_) => conflict("this is blocked already"),
            other => internal(other),
        })?;
        let mut live = self.live();
        let refused = frame_of(&VisitorEvent::Error {
            req: None,
            error: blocked_error(),
        });
        let hit: Vec<String> = live
            .tracking
            .visitors
            .iter()
            .filter(|(_, t)| {
                let ip = t.visitor.ip.parse::<IpAddr>();
                let country = t
                    .visitor
                    .location
                    .as_ref()
                    .and_then(|l| l.country_code.as_deref());
                ip.is_ok_and(|ip| matches(&rule, ip, country))
            })
            .map(|(id, _)| id.clone())
            .collect();
        live.tracking.blocks.insert(0, rule);
        for visitor_id in hit {
            live.push_visitor(&visitor_id, &refused);
            live.visitors.remove(&visitor_id);
            live.tracking.visitors.remove(&visitor_id);
            live.push_watchers(&frame_of(&AgentEvent::VisitorGone { visitor_id }));
        }
        let blocks = live.block_list();
        live.push_watchers(&blocks);
        Ok(())
    }

    /// Removes a blocking rule.
    pub async fn unblock(&self, block_id: &str) -> HubResult<()> {
        if !self.store.remove_block(block_id).await.map_err(internal)? {
            return Err(ProtocolError::new(ErrorCode::NotFound, "no such block"));
        }
        let mut live = self.live();
        live.tracking.blocks.retain(|rule| rule.id != block_id);
        let blocks = live.block_list();
        live.push_watchers(&blocks);
        Ok(())
    }
}
