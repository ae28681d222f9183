//! Startup milestones for the desktop benchmark: with `SWITCHBOARD_REPORT_STARTUP=1` the app
//! prints one line when the login screen or the chat list is ready to draw, so a benchmark can
//! time the cold start from outside. Silent otherwise.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Environment variable that turns the milestone lines on.
const ENV_REPORT: &str = "SWITCHBOARD_REPORT_STARTUP";

/// A point of the startup worth timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Milestone {
    /// The UI received its start state: logged out, the login screen draws next.
    LoginScreen,
    /// The first Welcome reached the UI: the chat list draws next.
    ChatList,
}

impl Milestone {
    fn name(self) -> &'static str {
        match self {
            Milestone::LoginScreen => "login-screen",
            Milestone::ChatList => "chat-list",
        }
    }
}

/// Prints `switchboard-desktop: ready <milestone>` the first time a milestone is reached, when
/// reporting is on.
pub fn reached(milestone: Milestone) {
    static SEEN: OnceLock<Option<Mutex<HashSet<Milestone>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(|| std::env::var_os(ENV_REPORT).map(|_| Mutex::default()));
    if let Some(seen) = seen {
        if seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(milestone)
        {
            println!("switchboard-desktop: ready {}", milestone.name());
        }
    }
}
