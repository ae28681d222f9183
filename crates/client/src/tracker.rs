//! The last sequence number seen per conversation: what the client asks to resume from after a
//! reconnect, the filter that lets every event through exactly once and in order, and the
//! delivered/seen marks the client reports back as receipts.
//!
//! Pure logic, no I/O. The connection task feeds it every event frame and summary.

use std::collections::BTreeMap;

use switchboard_protocol::{AgentRequest, ResumePoint};

/// What the client knows about one followed conversation.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Marks {
    /// Highest seq handed to the application (or known from a summary).
    last_seq: u32,
    /// Highest seq the application reported as shown.
    seen: u32,
    /// A receipt with the current marks has not been sent yet.
    receipt_due: bool,
}

/// Last seq and read marks per conversation.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    conversations: BTreeMap<String, Marks>,
}

impl Tracker {
    /// Starts following a conversation the server listed (welcome, ringing, update) at the seq
    /// its summary carries. A conversation already followed keeps its own position: the server
    /// replays what it is missing.
    pub fn follow(&mut self, conversation_id: &str, last_seq: u32) {
        self.conversations
            .entry(conversation_id.to_owned())
            .or_insert(Marks {
                last_seq,
                ..Marks::default()
            });
    }

    /// After a welcome: stops following conversations the server no longer lists. Events
    /// replayed for them afterwards are still newer than anything handed out, so they pass.
    pub fn keep_only<'a>(&mut self, listed: impl IntoIterator<Item = &'a str>) {
        let listed: Vec<&str> = listed.into_iter().collect();
        self.conversations
            .retain(|id, _| listed.contains(&id.as_str()));
    }

    /// Whether an event is new. A new event moves the conversation's position (and makes a
    /// delivered receipt due); a duplicate or an older event is to be dropped.
    pub fn admit(&mut self, conversation_id: &str, seq: u32) -> bool {
        match self.conversations.get_mut(conversation_id) {
            Some(marks) if seq <= marks.last_seq => false,
            Some(marks) => {
                marks.last_seq = seq;
                marks.receipt_due = true;
                true
            }
            None => {
                self.conversations.insert(
                    conversation_id.to_owned(),
                    Marks {
                        last_seq: seq,
                        seen: 0,
                        receipt_due: true,
                    },
                );
                true
            }
        }
    }

    /// A snapshot replaced everything the client held: its newest seq is the new position.
    pub fn replace(&mut self, conversation_id: &str, last_seq: u32) {
        let marks = self
            .conversations
            .entry(conversation_id.to_owned())
            .or_default();
        marks.last_seq = last_seq;
        marks.seen = marks.seen.min(last_seq);
        marks.receipt_due = true;
    }

    /// Stops following a conversation (closed, or no longer ringing for this operator).
    pub fn forget(&mut self, conversation_id: &str) {
        self.conversations.remove(conversation_id);
    }

    /// The application showed the conversation up to `seq`. Ignored for conversations the
    /// client does not follow; marks never move backwards.
    pub fn mark_seen(&mut self, conversation_id: &str, seq: u32) {
        if let Some(marks) = self.conversations.get_mut(conversation_id) {
            let seen = seq.min(marks.last_seq);
            if seen > marks.seen {
                marks.seen = seen;
                marks.receipt_due = true;
            }
        }
    }

    /// Where to resume every followed conversation, in id order.
    pub fn resume_points(&self) -> Vec<ResumePoint> {
        self.conversations
            .iter()
            .map(|(id, marks)| ResumePoint {
                conversation_id: id.clone(),
                last_seq: marks.last_seq,
            })
            .collect()
    }

    /// Whether any receipt is waiting to be sent.
    pub fn receipts_due(&self) -> bool {
        self.conversations.values().any(|marks| marks.receipt_due)
    }

    /// Receipt frames, in id order, for every conversation whose marks moved since the last call.
    pub fn take_receipts(&mut self) -> Vec<AgentRequest> {
        self.conversations
            .iter_mut()
            .filter(|(_, marks)| marks.receipt_due)
            .map(|(id, marks)| {
                marks.receipt_due = false;
                AgentRequest::Receipt {
                    conversation_id: id.clone(),
                    delivered: marks.last_seq,
                    seen: marks.seen,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: &str, last_seq: u32) -> ResumePoint {
        ResumePoint {
            conversation_id: id.into(),
            last_seq,
        }
    }

    fn receipt(id: &str, delivered: u32, seen: u32) -> AgentRequest {
        AgentRequest::Receipt {
            conversation_id: id.into(),
            delivered,
            seen,
        }
    }

    #[test]
    fn replayed_duplicates_are_dropped_and_new_events_pass_in_order() {
        let mut tracker = Tracker::default();
        let passed: Vec<u32> = [1, 2, 3, 2, 3, 4, 1, 5]
            .into_iter()
            .filter(|&seq| tracker.admit("c1", seq))
            .collect();
        assert_eq!(passed, [1, 2, 3, 4, 5]);
        assert_eq!(tracker.resume_points(), [point("c1", 5)]);
    }

    #[test]
    fn an_older_event_after_a_newer_one_never_passes() {
        let mut tracker = Tracker::default();
        assert!(tracker.admit("c1", 7));
        assert!(!tracker.admit("c1", 6));
        assert!(tracker.admit("c1", 8));
    }

    #[test]
    fn conversations_are_tracked_independently() {
        let mut tracker = Tracker::default();
        assert!(tracker.admit("b", 3));
        assert!(tracker.admit("a", 1));
        assert!(tracker.admit("a", 2));
        assert!(!tracker.admit("b", 3));
        assert_eq!(tracker.resume_points(), [point("a", 2), point("b", 3)]);
    }

    #[test]
    fn following_a_summary_starts_after_its_last_seq_but_never_rewinds() {
        let mut tracker = Tracker::default();
        tracker.follow("c1", 4);
        assert!(!tracker.admit("c1", 4));
        assert!(tracker.admit("c1", 5));
        tracker.follow("c1", 9);
        assert_eq!(tracker.resume_points(), [point("c1", 5)]);
        assert!(tracker.admit("c1", 6), "replay after a welcome must pass");
    }

    #[test]
    fn a_snapshot_replaces_the_position() {
        let mut tracker = Tracker::default();
        tracker.admit("c1", 3);
        tracker.mark_seen("c1", 3);
        tracker.replace("c1", 2000);
        assert!(!tracker.admit("c1", 1999));
        assert!(tracker.admit("c1", 2001));
    }

    #[test]
    fn welcome_prunes_conversations_it_no_longer_lists() {
        let mut tracker = Tracker::default();
        tracker.admit("open", 2);
        tracker.admit("gone", 5);
        tracker.keep_only(["open", "new"]);
        assert_eq!(tracker.resume_points(), [point("open", 2)]);
        assert!(tracker.admit("gone", 6), "a replayed close still passes");
    }

    #[test]
    fn forgotten_conversations_are_not_resumed() {
        let mut tracker = Tracker::default();
        tracker.admit("c1", 2);
        tracker.forget("c1");
        assert!(tracker.resume_points().is_empty());
    }

    #[test]
    fn receipts_report_delivered_and_seen_once_per_change() {
        let mut tracker = Tracker::default();
        assert!(!tracker.receipts_due());
        tracker.admit("c1", 1);
        tracker.admit("c1", 2);
        tracker.admit("c2", 1);
        assert!(tracker.receipts_due());
        assert_eq!(
            tracker.take_receipts(),
            [receipt("c1", 2, 0), receipt("c2", 1, 0)]
        );
        assert!(!tracker.receipts_due());
        assert!(tracker.take_receipts().is_empty());

        tracker.mark_seen("c1", 2);
        assert_eq!(tracker.take_receipts(), [receipt("c1", 2, 2)]);
    }

    #[test]
    fn seen_never_goes_backwards_nor_past_delivered() {
        let mut tracker = Tracker::default();
        tracker.admit("c1", 5);
        tracker.take_receipts();
        tracker.mark_seen("c1", 9);
        assert_eq!(tracker.take_receipts(), [receipt("c1", 5, 5)]);
        tracker.mark_seen("c1", 3);
        assert!(tracker.take_receipts().is_empty());
    }

    #[test]
    fn a_duplicate_makes_no_receipt_due_and_unknown_conversations_are_not_marked() {
        let mut tracker = Tracker::default();
        tracker.follow("c1", 4);
        tracker.admit("c1", 4);
        tracker.mark_seen("elsewhere", 3);
        assert!(!tracker.receipts_due());
    }
}
