//! The app as one program on the desktop: the keychain profile it runs as, exactly one running
//! instance per profile (launching it again shows the running window), the main window's
//! placement restored on restart, and the entry that starts it at login.

use tauri::plugin::TauriPlugin;
use tauri::Wry;
use tauri_plugin_window_state::StateFlags;

use crate::local_file::{profile_path, sanitize};

/// Environment variable naming a separate keychain profile (e.g. a second operator account).
const ENV_PROFILE: &str = "SWITCHBOARD_PROFILE";
/// Command-line option doing the same (used by the start-at-login entry of a profile).
const PROFILE_ARG: &str = "--profile";
/// Name of the start-at-login entry.
const AUTOSTART_NAME: &str = "Switchboard";

/// The profile this run uses: `--profile NAME`, else `SWITCHBOARD_PROFILE`, else none.
pub fn profile() -> Option<String> {
    profile_from(std::env::args().skip(1), std::env::var(ENV_PROFILE).ok())
}

fn profile_from(mut args: impl Iterator<Item = String>, env: Option<String>) -> Option<String> {
    let from_args = args
        .find(|arg| arg == PROFILE_ARG)
        .and_then(|_| args.next());
    from_args.or(env).filter(|profile| !profile.is_empty())
}

/// The single-instance plugin: a second launch of the same profile ends at once and the
/// running app shows its window. `identifier` is the app's bundle identifier. The profile is
/// part of the instance only on Linux (the plugin's D-Bus name); on Windows and macOS the
/// plugin keys on the bundle identifier, so there every profile shares one instance.
pub fn single_instance(identifier: &str, profile: Option<&str>) -> TauriPlugin<Wry> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(bus_id(identifier, profile))
        .callback(|app, _args, _cwd| {
            tracing::info!("the app was launched again: showing the running window");
            crate::window::show_main(app);
        })
        .build()
}

/// The D-Bus name (Linux) that one running instance of `profile` owns.
fn bus_id(identifier: &str, profile: Option<&str>) -> String {
    match profile {
        // a bus name element may not start with a digit nor hold `-`
        Some(profile) => format!(
            "{identifier}.profile_{}",
            sanitize(profile).replace('-', "_")
        ),
        None => identifier.to_owned(),
    }
}

/// What is restored of the main window: everything but visibility (the app may have been in
/// the tray, but a new start shows the window).
pub const WINDOW_STATE: StateFlags = StateFlags::all().difference(StateFlags::VISIBLE);

/// The window-state plugin: the main window's size, position and maximized state, per profile.
pub fn window_state(profile: Option<&str>) -> TauriPlugin<Wry> {
    let file = profile_path(std::path::Path::new(""), "window-state", profile);
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(WINDOW_STATE)
        .with_filename(file.display().to_string())
        .with_filter(|label| label == crate::window::MAIN)
        .build()
}

/// The start-at-login plugin; a profile's entry starts the app with that profile.
pub fn autostart(profile: Option<&str>) -> TauriPlugin<Wry> {
    let builder = tauri_plugin_autostart::Builder::new();
    match profile {
        Some(profile) => builder
            .app_name(format!("{AUTOSTART_NAME}-{}", sanitize(profile)))
            .args([PROFILE_ARG.to_owned(), profile.to_owned()]),
        None => builder.app_name(AUTOSTART_NAME),
    }
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn the_command_line_profile_wins_over_the_environment() {
        assert_eq!(
            profile_from(args(&["--profile", "night"]), Some("day".into())),
            Some("night".into())
        );
        assert_eq!(
            profile_from(args(&[]), Some("day".into())),
            Some("day".into())
        );
        assert_eq!(profile_from(args(&["--profile"]), None), None);
        assert_eq!(profile_from(args(&[]), Some(String::new())), None);
    }

    #[test]
    fn each_profile_owns_its_own_valid_bus_name() {
        assert_eq!(
            bus_id("app.switchboard.desktop", None),
            "app.switchboard.desktop"
        );
        let id = bus_id("app.switchboard.desktop", Some("test-1f2e"));
        assert_eq!(id, "app.switchboard.desktop.profile_test_1f2e");
        assert_ne!(id, bus_id("app.switchboard.desktop", Some("other")));
    }
}
