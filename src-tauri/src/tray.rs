//! The tray icon: shows the operator's status (its own icon per status) and carries the tray
//! menu. Linux trays report no clicks, so everything is in the menu.

use switchboard_protocol::Status;
use tauri::image::Image;
use tauri::tray::TrayIconBuilder;
use tauri::AppHandle;

const TRAY_ID: &str = "main";

/// Icon bytes per status, and for "logged out".
fn icon_bytes(status: Option<Status>) -> &'static [u8] {
    match status {
        Some(Status::Online) => include_bytes!("../../icons/tray-online.png"),
        Some(Status::Away) => include_bytes!("../../icons/tray-away.png"),
        Some(Status::Offline) | None => include_bytes!("../../icons/tray-offline.png"),
    }
}

fn tooltip(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Online) => "Switchboard: Online",
        Some(Status::Away) => "Switchboard: Away",
        Some(Status::Offline) => "Switchboard: Offline",
        None => "Switchboard: logged out",
    }
}

/// Creates the tray icon with its menu.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(icon_bytes(None))?)
        .tooltip(tooltip(None))
        .menu(&crate::menu::tray_menu(app)?)
        .build(app)?;
    Ok(())
}

/// Shows `status` (`None`: logged out) on the tray icon and in the menus.
pub fn show_status(app: &AppHandle, status: Option<Status>) {
    crate::menu::show_status(app, status);
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        if let Ok(icon) = Image::from_bytes(icon_bytes(status)) {
            let _ = tray.set_icon(Some(icon));
        }
        let _ = tray.set_tooltip(Some(tooltip(status)));
    }
}
