//! The operator's preferences on this machine (how calls ring, the snipping shortcut, start at
//! login, close to tray, theme, text size) and the layout to come back to (the page and the
//! chat tab that were open). One small JSON file per keychain profile in the app's data
//! folder; a missing or unreadable file starts from the defaults.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::local_file::write_atomically;

/// Smallest text size, in percent of the normal size.
pub const MIN_TEXT_SCALE: u16 = 80;
/// Largest text size, in percent of the normal size.
pub const MAX_TEXT_SCALE: u16 = 200;

/// How an incoming call gets the operator's attention (besides the OS notification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RingMode {
    /// The ring sound plays.
    Sound,
    /// No sound: the window flashes strongly while a call rings.
    Visual,
    /// Neither: only the notification and the ringing tab.
    Silent,
}

/// Which ring sound plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RingSound {
    /// A soft two-note chime.
    Chime,
    /// A bright bell.
    Bell,
    /// Three short beeps.
    Beeps,
}

/// Light or dark colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the operating system.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Everything the Settings page sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Preferences {
    /// How calls ring.
    pub ring_mode: RingMode,
    /// The sound of [`RingMode::Sound`].
    pub ring_sound: RingSound,
    /// The ring repeats until the call is handled (otherwise it sounds once).
    pub repeat_ring: bool,
    /// The global shortcut of the snipping tool, e.g. `Ctrl+Shift+S`.
    pub snip_shortcut: String,
    /// The app starts when the operator logs in to the computer.
    pub start_at_login: bool,
    /// Closing the window keeps the app running in the tray (otherwise it quits).
    pub close_to_tray: bool,
    /// Colours.
    pub theme: Theme,
    /// Text size in percent of the normal size.
    pub text_scale: u16,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            ring_mode: RingMode::Sound,
            ring_sound: RingSound::Chime,
            repeat_ring: true,
            snip_shortcut: crate::snip::DEFAULT_SHORTCUT.to_owned(),
            start_at_login: false,
            close_to_tray: true,
            theme: Theme::System,
            text_scale: 100,
        }
    }
}

impl Preferences {
    /// Checks the values a form could get wrong.
    pub fn validate(&self) -> Result<(), AppError> {
        if !(MIN_TEXT_SCALE..=MAX_TEXT_SCALE).contains(&self.text_scale) {
            return Err(AppError::Invalid(format!(
                "The text size must be between {MIN_TEXT_SCALE}% and {MAX_TEXT_SCALE}%."
            )));
        }
        Ok(())
    }
}

/// A page of the main window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    /// The chat tabs.
    Chats,
    /// The live visitor list.
    Visitors,
    /// The team's presence and invitations.
    Team,
    /// The Settings page.
    Settings,
}

/// Where the operator was when the app last ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Layout {
    /// The page shown.
    pub page: Page,
    /// The conversation id of the selected chat tab.
    pub selected_chat: Option<String>,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            page: Page::Chats,
            selected_chat: None,
        }
    }
}

/// What the file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Saved {
    /// The Settings page's choices.
    pub preferences: Preferences,
    /// Where the operator was.
    pub layout: Layout,
}

/// The preferences file and what it holds.
pub struct PreferenceStore {
    path: PathBuf,
    saved: Mutex<Saved>,
}

impl PreferenceStore {
    /// Reads `path` (a missing or unreadable file starts from the defaults; the latter is
    /// logged).
    pub fn open(path: PathBuf) -> Self {
        let saved = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                tracing::warn!(%error, path = %path.display(), "ignoring an unreadable preferences file");
                Saved::default()
            }),
            Err(_) => Saved::default(),
        };
        Self {
            path,
            saved: Mutex::new(saved),
        }
    }

    /// What is kept.
    pub fn saved(&self) -> Saved {
        self.lock().clone()
    }

    /// The preferences kept.
    pub fn preferences(&self) -> Preferences {
        self.lock().preferences.clone()
    }

    /// Keeps `preferences` (after checking them) and writes the file.
    pub fn set_preferences(&self, preferences: Preferences) -> Result<(), AppError> {
        preferences.validate()?;
        self.change(|saved| saved.preferences = preferences)
    }

    /// Keeps the layout and writes the file.
    pub fn set_layout(&self, layout: Layout) -> Result<(), AppError> {
        self.change(|saved| saved.layout = layout)
    }

    fn change(&self, change: impl FnOnce(&mut Saved)) -> Result<(), AppError> {
        let mut saved = self.lock();
        change(&mut saved);
        let json = serde_json::to_vec_pretty(&*saved).expect("preferences serialize");
        write_atomically(&self.path, &json)
            .map_err(|error| AppError::Storage(format!("{}: {error}", self.path.display())))
    }

    fn lock(&self) -> MutexGuard<'_, Saved> {
        self.saved.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_file::profile_path;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "switchboard-preferences-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        profile_path(&dir, "preferences", Some("test"))
    }

    #[test]
    fn preferences_and_layout_survive_reopening() {
        let path = scratch("reopen");
        let store = PreferenceStore::open(path.clone());
        assert_eq!(store.saved(), Saved::default());
        let preferences = Preferences {
            ring_mode: RingMode::Visual,
            ring_sound: RingSound::Bell,
            repeat_ring: false,
            snip_shortcut: "Ctrl+Alt+K".into(),
            start_at_login: true,
            close_to_tray: false,
            theme: Theme::Dark,
            text_scale: 130,
        };
        store.set_preferences(preferences.clone()).expect("saved");
        let layout = Layout {
            page: Page::Visitors,
            selected_chat: Some("c1".into()),
        };
        store.set_layout(layout.clone()).expect("saved");
        let reopened = PreferenceStore::open(path.clone());
        assert_eq!(
            reopened.saved(),
            Saved {
                preferences,
                layout
            }
        );
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[test]
    fn a_text_size_out_of_range_is_refused_and_nothing_changes() {
        let path = scratch("range");
        let store = PreferenceStore::open(path.clone());
        let huge = Preferences {
            text_scale: 500,
            ..Preferences::default()
        };
        let error = store.set_preferences(huge).expect_err("refused");
        assert!(
            error.to_string().contains("between 80% and 200%"),
            "{error}"
        );
        assert_eq!(store.preferences(), Preferences::default());
        assert!(!path.exists(), "nothing was written");
    }

    #[test]
    fn a_file_from_an_older_version_keeps_what_it_has() {
        let path = scratch("partial");
        std::fs::create_dir_all(path.parent().expect("dir")).expect("dir");
        std::fs::write(&path, br#"{"preferences": {"theme": "dark"}}"#).expect("written");
        let saved = PreferenceStore::open(path.clone()).saved();
        assert_eq!(saved.preferences.theme, Theme::Dark);
        assert_eq!(saved.preferences.text_scale, 100);
        assert_eq!(saved.layout, Layout::default());
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }
}
