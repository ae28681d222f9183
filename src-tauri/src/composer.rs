//! What the composer keeps on this machine: the draft of every chat and the view settings
//! (spell check, quick texts panel), in one small JSON file per keychain profile in the app's
//! data folder. Drafts survive switching tabs (the UI keeps them) and restarting the app (this
//! file). Writes replace the file atomically, so a crash never leaves half a file.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::local_file::{profile_path, write_atomically};

/// Most drafts kept; the oldest go first.
const MAX_DRAFTS: usize = 500;
/// Longest draft kept, in bytes.
const MAX_DRAFT_BYTES: usize = 64 * 1024;

/// The composer's view settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ComposerPrefs {
    /// The webview checks spelling in the message input.
    pub spell_check: bool,
    /// The quick texts panel (canned responses beside the chat) is shown.
    pub quick_texts: bool,
}

impl Default for ComposerPrefs {
    fn default() -> Self {
        Self {
            spell_check: true,
            quick_texts: false,
        }
    }
}

/// The unsent text of one chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Draft {
    /// Conversation id.
    pub conversation_id: String,
    /// What the operator typed.
    pub text: String,
}

/// Everything the composer keeps: drafts (oldest first) and view settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ComposerState {
    /// Drafts, least recently changed first.
    pub drafts: Vec<Draft>,
    /// View settings.
    #[serde(default)]
    pub prefs: ComposerPrefs,
}

/// The composer's file and what it holds.
pub struct ComposerStore {
    path: PathBuf,
    state: Mutex<ComposerState>,
}

impl ComposerStore {
    /// Reads `path` (a missing or unreadable file starts empty; the latter is logged).
    pub fn open(path: PathBuf) -> Self {
        let state = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                tracing::warn!(%error, path = %path.display(), "ignoring an unreadable drafts file");
                ComposerState::default()
            }),
            Err(_) => ComposerState::default(),
        };
        Self {
            path,
            state: Mutex::new(state),
        }
    }

    /// The file of `profile` in `dir`.
    pub fn path_in(dir: &Path, profile: Option<&str>) -> PathBuf {
        profile_path(dir, "composer", profile)
    }

    /// What is kept.
    pub fn state(&self) -> ComposerState {
        self.lock().clone()
    }

    /// Keeps `text` as the draft of a chat (an empty text removes it) and writes the file.
    pub fn set_draft(&self, conversation_id: &str, text: &str) -> Result<(), AppError> {
        if text.len() > MAX_DRAFT_BYTES {
            return Err(AppError::Storage(format!(
                "a draft is limited to {} KB",
                MAX_DRAFT_BYTES / 1024
            )));
        }
        self.change(|state| {
            state
                .drafts
                .retain(|d| d.conversation_id != conversation_id);
            if !text.is_empty() {
                state.drafts.push(Draft {
                    conversation_id: conversation_id.to_owned(),
                    text: text.to_owned(),
                });
            }
            let excess = state.drafts.len().saturating_sub(MAX_DRAFTS);
            state.drafts.drain(..excess);
        })
    }

    /// Keeps new view settings and writes the file.
    pub fn set_prefs(&self, prefs: ComposerPrefs) -> Result<(), AppError> {
        self.change(|state| state.prefs = prefs)
    }

    fn change(&self, change: impl FnOnce(&mut ComposerState)) -> Result<(), AppError> {
        let mut state = self.lock();
        change(&mut state);
        let json = serde_json::to_vec(&*state).expect("composer state serializes");
        write_atomically(&self.path, &json)
            .map_err(|error| AppError::Storage(format!("{}: {error}", self.path.display())))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ComposerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "switchboard-composer-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        ComposerStore::path_in(&dir, Some("test profile"))
    }

    #[test]
    fn drafts_and_settings_survive_reopening() {
        let path = scratch("reopen");
        let store = ComposerStore::open(path.clone());
        assert_eq!(store.state().prefs, ComposerPrefs::default());
        store.set_draft("c1", "Hello th").expect("saved");
        store.set_draft("c2", "other").expect("saved");
        store.set_draft("c2", "").expect("saved");
        let prefs = ComposerPrefs {
            spell_check: false,
            quick_texts: true,
        };
        store.set_prefs(prefs).expect("saved");
        let reopened = ComposerStore::open(path.clone());
        assert_eq!(
            reopened.state().drafts,
            [Draft {
                conversation_id: "c1".into(),
                text: "Hello th".into()
            }]
        );
        assert_eq!(reopened.state().prefs, prefs);
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[test]
    fn only_the_newest_drafts_are_kept() {
        let path = scratch("bounded");
        let store = ComposerStore::open(path.clone());
        for n in 0..=MAX_DRAFTS {
            store.set_draft(&format!("c{n}"), "x").expect("saved");
        }
        let drafts = store.state().drafts;
        assert_eq!(drafts.len(), MAX_DRAFTS);
        assert_eq!(drafts[0].conversation_id, "c1");
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[test]
    fn a_corrupt_file_starts_empty() {
        let path = scratch("corrupt");
        std::fs::create_dir_all(path.parent().expect("dir")).expect("dir");
        std::fs::write(&path, b"{not json").expect("written");
        assert_eq!(
            ComposerStore::open(path.clone()).state(),
            ComposerState::default()
        );
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }
}
