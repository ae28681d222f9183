//! Generates the Tauri context and a permission per app command, so that a window may call only
//! the commands its capability grants (see `capabilities/`).

/// Every app command; keep in step with `generate_handler!` in `src/lib.rs`.
const COMMANDS: &[&str] = &[
    "login",
    "logout",
    "restore_session",
    "set_status",
    "accept",
    "decline",
    "close_chat",
    "send_message",
    "load_history",
    "mark_seen",
    "open_external_link",
    "watch_visitors",
    "invite_visitor",
    "block_visitors",
    "unblock_visitors",
    "watch_team",
    "invite_operator",
    "leave_chat",
    "start_internal_chat",
    "read_account",
    "set_account_setting",
    "add_operator",
    "reset_password",
    "remove_operator",
    "save_canned",
    "delete_canned",
    "reorder_canned",
    "send_typing",
    "emoticons",
    "load_composer",
    "save_draft",
    "save_composer_prefs",
    "read_clipboard",
    "write_clipboard",
    "pick_and_send_files",
    "send_file",
    "download_file",
    "cancel_transfer",
    "open_download",
    "file_preview",
    "start_snip",
    "snip_shown",
    "snip_select",
    "snip_cancel",
    "paste_screenshot",
    "send_snip",
    "discard_snip",
    "load_preferences",
    "save_preferences",
    "set_snip_shortcut",
    "save_layout",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri build script failed");
}
