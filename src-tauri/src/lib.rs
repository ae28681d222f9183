//! The Switchboard desktop agent app: thin Tauri glue over `switchboard_client` and the OS
//! (tray, menus, notifications, keychain). The UI in `ui/` calls the typed commands in
//! [`commands`] and listens to the events in [`ipc`].

pub mod account;
pub mod commands;
pub mod composer;
pub mod error;
pub mod instance;
pub mod ipc;
pub mod keychain;
pub mod local_file;
mod locks;
pub mod menu;
pub mod notify;
pub mod preferences;
pub mod session;
pub mod shortcuts;
pub mod snip;
pub mod startup;
pub mod state;
pub mod team_notify;
pub mod transfers;
pub mod tray;
pub mod window;

use tauri::Manager;

use crate::composer::ComposerStore;
use crate::keychain::Keychain;
use crate::menu::MenuItems;
use crate::notify::Ringer;
use crate::preferences::PreferenceStore;
use crate::state::AppState;
use crate::team_notify::TeamNotices;

/// Builds and runs the app until Quit.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let profile = instance::profile();
    let setup_profile = profile.clone();
    let context = tauri::generate_context!();
    let identifier = context.config().identifier.clone();
    let result = tauri::Builder::default()
        // first: a second launch must end before anything else starts
        .plugin(instance::single_instance(&identifier, profile.as_deref()))
        .plugin(instance::window_state(profile.as_deref()))
        .plugin(instance::autostart(profile.as_deref()))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(shortcuts::plugin())
        .manage(AppState::new(Keychain::for_profile(profile.as_deref())))
        .manage(Ringer::default())
        .manage(TeamNotices::default())
        .manage(MenuItems::default())
        .manage(std::sync::Arc::new(transfers::Transfers::default()))
        .manage(std::sync::Arc::new(snip::Snipper::default()))
        .manage(shortcuts::ActiveShortcut::default())
        .register_asynchronous_uri_scheme_protocol(snip::FRAME_SCHEME, shortcuts::serve_frame)
        .setup(move |app| {
            let handle = app.handle();
            let data_dir = handle.path().app_data_dir()?;
            app.manage(ComposerStore::open(ComposerStore::path_in(
                &data_dir,
                setup_profile.as_deref(),
            )));
            let preferences = PreferenceStore::open(local_file::profile_path(
                &data_dir,
                "preferences",
                setup_profile.as_deref(),
            ));
            let chosen = preferences.preferences();
            app.manage(preferences);
            window::set_text_scale(handle, chosen.text_scale);
            app.set_menu(menu::window_menu(handle)?)?;
            tray::create(handle)?;
            tray::show_status(handle, None);
            notify::listen_for_clicks(handle)?;
            shortcuts::register(handle, &chosen.snip_shortcut);
            let handle = handle.clone();
            tauri::async_runtime::spawn(async move { account::boot(&handle).await });
            Ok(())
        })
        .on_menu_event(menu::on_menu_event)
        .on_window_event(window::on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::account::login,
            commands::account::logout,
            commands::account::restore_session,
            commands::account::set_status,
            commands::chat::accept,
            commands::chat::decline,
            commands::chat::close_chat,
            commands::chat::send_message,
            commands::chat::load_history,
            commands::chat::mark_seen,
            commands::links::open_external_link,
            commands::visitors::watch_visitors,
            commands::visitors::invite_visitor,
            commands::visitors::block_visitors,
            commands::visitors::unblock_visitors,
            commands::team::watch_team,
            commands::team::invite_operator,
            commands::team::leave_chat,
            commands::team::start_internal_chat,
            commands::team::read_account,
            commands::team::set_account_setting,
            commands::team::add_operator,
            commands::team::reset_password,
            commands::team::remove_operator,
            commands::team::set_operator_disabled,
            commands::team::set_operator_cap,
            commands::composer::save_canned,
            commands::composer::delete_canned,
            commands::composer::reorder_canned,
            commands::composer::send_typing,
            commands::composer::emoticons,
            commands::composer::load_composer,
            commands::composer::save_draft,
            commands::composer::save_composer_prefs,
            commands::composer::read_clipboard,
            commands::composer::write_clipboard,
            commands::files::pick_and_send_files,
            commands::files::send_file,
            commands::files::download_file,
            commands::files::cancel_transfer,
            commands::files::open_download,
            commands::files::file_preview,
            commands::snip::start_snip,
            commands::snip::snip_shown,
            commands::snip::snip_select,
            commands::snip::snip_cancel,
            commands::snip::paste_screenshot,
            commands::snip::send_snip,
            commands::snip::discard_snip,
            commands::preferences::load_preferences,
            commands::preferences::save_preferences,
            commands::preferences::set_snip_shortcut,
            commands::preferences::save_layout,
        ])
        .build(context);
    match result {
        Ok(app) => app.run(|_, event| {
            if let tauri::RunEvent::ExitRequested {
                code: None, api, ..
            } = event
            {
                // no window is left open: keep running in the tray until Quit
                api.prevent_exit();
            }
        }),
        Err(error) => {
            eprintln!("switchboard-desktop: could not start: {error}");
            std::process::exit(1);
        }
    }
}
