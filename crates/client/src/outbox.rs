//! Messages the operator wrote that the server has not acknowledged yet.
//!
//! Each message is keyed by a client-generated `client_msg_id` (a UUID v4) and stays queued
//! until an `Ack{seq}` answers it ([`Delivery::Sent`]) or an `Error` refuses it
//! ([`Delivery::Failed`]). After every reconnect the connection task sends everything still
//! queued again, in the order it was written; the server stores a resent id only once.
//!
//! Pure logic, no I/O: the connection task hands out request numbers and writes the frames.

use switchboard_protocol::limits::MAX_MESSAGE_BYTES;
use switchboard_protocol::{AgentRequest, ErrorCode, ProtocolError};

use crate::{Delivery, OutboxUpdate};

/// A fresh idempotency key for a message.
pub(crate) fn new_client_msg_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Refuses text the server would refuse anyway: blank, or longer than
/// [`MAX_MESSAGE_BYTES`].
pub(crate) fn check_text(text: &str) -> Result<(), ProtocolError> {
    if text.trim().is_empty() {
        return Err(ProtocolError::new(
            ErrorCode::Invalid,
            "the message is empty",
        ));
    }
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(ProtocolError::new(
            ErrorCode::TooLarge,
            format!("a message holds at most {MAX_MESSAGE_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// One queued message and, while a `Send` for it is on the wire, that request's number.
#[derive(Debug)]
struct Entry {
    conversation_id: String,
    client_msg_id: String,
    text: String,
    in_flight: Option<u32>,
}

impl Entry {
    fn update(self, delivery: Delivery) -> OutboxUpdate {
        OutboxUpdate {
            conversation_id: self.conversation_id,
            client_msg_id: self.client_msg_id,
            text: self.text,
            delivery,
        }
    }
}

/// The queue, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    entries: Vec<Entry>,
}

impl Outbox {
    /// Queues a message and returns its [`Delivery::Queued`] update.
    pub fn queue(
        &mut self,
        conversation_id: String,
        client_msg_id: String,
        text: String,
    ) -> OutboxUpdate {
        let update = OutboxUpdate {
            conversation_id: conversation_id.clone(),
            client_msg_id: client_msg_id.clone(),
            text: text.clone(),
            delivery: Delivery::Queued,
        };
        self.entries.push(Entry {
            conversation_id,
            client_msg_id,
            text,
            in_flight: None,
        });
        update
    }

    /// How many messages are not on the wire yet.
    pub fn waiting(&self) -> usize {
        self.entries
            .iter()
            .filter(|entry| entry.in_flight.is_none())
            .count()
    }

    /// `Send` frames for at most `budget` messages not on the wire yet, oldest first; each gets
    /// a request number from `next_req` and counts as in flight from now on.
    pub fn dispatch(
        &mut self,
        budget: usize,
        mut next_req: impl FnMut() -> u32,
    ) -> Vec<AgentRequest> {
        self.entries
            .iter_mut()
            .filter(|entry| entry.in_flight.is_none())
            .take(budget)
            .map(|entry| {
                let req = next_req();
                entry.in_flight = Some(req);
                AgentRequest::Send {
                    req,
                    conversation_id: entry.conversation_id.clone(),
                    client_msg_id: entry.client_msg_id.clone(),
                    text: entry.text.clone(),
                }
            })
            .collect()
    }

    /// Applies the server's answer to request `req`: `Ok(seq)` for an `Ack`, `Err` for an
    /// `Error`. Returns the message's final update, or `None` when `req` was not a send or
    /// was only refused for now (rate-limited: it stays queued and goes out again).
    pub fn answer(
        &mut self,
        req: u32,
        answer: Result<Option<u32>, ProtocolError>,
    ) -> Option<OutboxUpdate> {
        let index = self
            .entries
            .iter()
            .position(|entry| entry.in_flight == Some(req))?;
        if matches!(&answer, Err(error) if error.code == ErrorCode::RateLimited) {
            self.entries[index].in_flight = None;
            return None;
        }
        let entry = self.entries.remove(index);
        let delivery = match answer {
            Ok(Some(seq)) => Delivery::Sent { seq },
            Ok(None) => Delivery::Failed {
                error: ProtocolError::new(
                    ErrorCode::Internal,
                    "the server acknowledged the message without a sequence number",
                ),
            },
            Err(error) => Delivery::Failed { error },
        };
        Some(entry.update(delivery))
    }

    /// The connection was lost (or the server refused frames without saying which): nothing
    /// counts as on the wire any more, everything goes out again. A message the server did
    /// store is acknowledged again with its original seq.
    pub fn requeue(&mut self) {
        for entry in &mut self.entries {
            entry.in_flight = None;
        }
    }

    /// Gives up on every queued message (the session ended for good).
    pub fn fail_all(&mut self, error: &ProtocolError) -> Vec<OutboxUpdate> {
        self.entries
            .drain(..)
            .map(|entry| {
                entry.update(Delivery::Failed {
                    error: error.clone(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(start: u32) -> impl FnMut() -> u32 {
        let mut next = start;
        move || {
            next += 1;
            next
        }
    }

    fn sent_ids(frames: &[AgentRequest]) -> Vec<(u32, String)> {
        frames
            .iter()
            .map(|frame| match frame {
                AgentRequest::Send {
                    req, client_msg_id, ..
                } => (*req, client_msg_id.clone()),
                other => panic!("outbox produced {other:?}"),
            })
            .collect()
    }

    fn queue_two(outbox: &mut Outbox) {
        let first = outbox.queue("c1".into(), "m1".into(), "hello".into());
        assert_eq!(first.delivery, Delivery::Queued);
        assert_eq!(first.text, "hello");
        outbox.queue("c1".into(), "m2".into(), "again".into());
    }

    #[test]
    fn blank_and_oversized_text_is_refused_before_queueing() {
        assert_eq!(
            check_text(" \n").map_err(|error| error.code),
            Err(ErrorCode::Invalid)
        );
        let limit = "x".repeat(MAX_MESSAGE_BYTES);
        assert_eq!(check_text(&limit), Ok(()));
        assert_eq!(
            check_text(&format!("{limit}y")).map_err(|error| error.code),
            Err(ErrorCode::TooLarge)
        );
    }

    #[test]
    fn client_msg_ids_are_fresh_uuids() {
        let a = new_client_msg_id();
        let b = new_client_msg_id();
        assert_ne!(a, b);
        assert_eq!(
            uuid::Uuid::parse_str(&a).map(|id| id.get_version_num()),
            Ok(4)
        );
    }

    #[test]
    fn queued_messages_go_out_once_in_order_until_the_connection_is_lost() {
        let mut outbox = Outbox::default();
        queue_two(&mut outbox);
        let mut next_req = counter(10);
        assert_eq!(
            sent_ids(&outbox.dispatch(usize::MAX, &mut next_req)),
            [(11, "m1".to_string()), (12, "m2".to_string())]
        );
        assert!(
            outbox.dispatch(usize::MAX, &mut next_req).is_empty(),
            "in flight"
        );

        outbox.requeue();
        assert_eq!(
            sent_ids(&outbox.dispatch(usize::MAX, &mut next_req)),
            [(13, "m1".to_string()), (14, "m2".to_string())],
            "after a reconnect the same ids go out again with new request numbers"
        );
    }

    #[test]
    fn an_ack_marks_the_message_sent_and_removes_it() {
        let mut outbox = Outbox::default();
        queue_two(&mut outbox);
        outbox.dispatch(usize::MAX, counter(0));
        let update = outbox.answer(2, Ok(Some(7))).expect("req 2 was a send");
        assert_eq!(update.client_msg_id, "m2");
        assert_eq!(update.delivery, Delivery::Sent { seq: 7 });
        assert!(
            outbox.answer(2, Ok(Some(7))).is_none(),
            "answered only once"
        );

        outbox.requeue();
        assert_eq!(
            sent_ids(&outbox.dispatch(usize::MAX, counter(20))),
            [(21, "m1".to_string())]
        );
    }

    #[test]
    fn an_error_marks_the_message_failed_and_it_is_not_resent() {
        let mut outbox = Outbox::default();
        queue_two(&mut outbox);
        outbox.dispatch(usize::MAX, counter(0));
        let error = ProtocolError::new(ErrorCode::TooLarge, "too long");
        let update = outbox
            .answer(1, Err(error.clone()))
            .expect("req 1 was a send");
        assert_eq!(update.delivery, Delivery::Failed { error });
        outbox.requeue();
        assert_eq!(
            sent_ids(&outbox.dispatch(usize::MAX, counter(5))),
            [(6, "m2".to_string())]
        );
    }

    #[test]
    fn answers_to_other_requests_or_stale_numbers_are_not_the_outbox_s() {
        let mut outbox = Outbox::default();
        queue_two(&mut outbox);
        outbox.dispatch(usize::MAX, counter(0));
        outbox.requeue();
        assert!(
            outbox.answer(1, Ok(Some(3))).is_none(),
            "req 1 belongs to a lost socket"
        );
        assert!(outbox.answer(99, Ok(None)).is_none());
    }

    #[test]
    fn ending_the_session_fails_everything_still_queued() {
        let mut outbox = Outbox::default();
        queue_two(&mut outbox);
        let error = ProtocolError::new(ErrorCode::Unauthorized, "session expired");
        let updates = outbox.fail_all(&error);
        assert_eq!(
            updates
                .iter()
                .map(|update| update.client_msg_id.as_str())
                .collect::<Vec<_>>(),
            ["m1", "m2"]
        );
        assert!(updates.iter().all(|update| update.delivery
            == Delivery::Failed {
                error: error.clone()
            }));
        assert!(outbox.dispatch(usize::MAX, counter(0)).is_empty());
    }
    #[test]
    fn a_budget_sends_the_oldest_first_and_keeps_the_rest_waiting() {
        let mut outbox = Outbox::default();
        queue_two(&mut outbox);
        outbox.queue("c1".into(), "m3".into(), "third".into());
        assert_eq!(outbox.waiting(), 3);
        assert_eq!(
            sent_ids(&outbox.dispatch(2, counter(0))),
            [(1, "m1".to_string()), (2, "m2".to_string())]
        );
        assert_eq!(outbox.waiting(), 1);
        assert_eq!(
            sent_ids(&outbox.dispatch(2, counter(2))),
            [(3, "m3".to_string())]
        );
        assert_eq!(outbox.waiting(), 0);
    }

    #[test]
    fn a_rate_limited_message_stays_queued_and_goes_out_again() {
        let mut outbox = Outbox::default();
        queue_two(&mut outbox);
        outbox.dispatch(usize::MAX, counter(0));
        let limited = ProtocolError::new(ErrorCode::RateLimited, "slow down");
        assert!(outbox.answer(2, Err(limited)).is_none());
        assert_eq!(outbox.waiting(), 1);
        assert_eq!(
            sent_ids(&outbox.dispatch(usize::MAX, counter(2))),
            [(3, "m2".to_string())]
        );
        let update = outbox.answer(3, Ok(Some(9))).expect("req 3 was a send");
        assert_eq!(update.delivery, Delivery::Sent { seq: 9 });
    }
}
