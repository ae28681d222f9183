//! The app's menus: the window's File menu (My Status ▸ Online/Away/Offline, Log out, Quit) and
//! the tray menu (My Status ▸ …, Show, Quit). Both use the same item ids and one handler.

use std::sync::Mutex;

use switchboard_protocol::Status;
use tauri::menu::{
    CheckMenuItem, IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu,
};
use tauri::{AppHandle, Manager, Wry};

const SHOW: &str = "show";
const LOG_OUT: &str = "log_out";
const QUIT: &str = "quit";
const STATUSES: [(Status, &str, &str); 3] = [
    (Status::Online, "status_online", "Online"),
    (Status::Away, "status_away", "Away"),
    (Status::Offline, "status_offline", "Offline"),
];

/// The menu items that follow the session: status checks and Log out.
#[derive(Default)]
pub struct MenuItems {
    status: Mutex<Vec<(Status, CheckMenuItem<Wry>)>>,
    log_out: Mutex<Vec<MenuItem<Wry>>>,
}

/// Builds the window menu bar.
pub fn window_menu(app: &AppHandle) -> tauri::Result<Menu<Wry>> {
    let status = status_submenu(app)?;
    let log_out = MenuItem::with_id(app, LOG_OUT, "Log out", false, None::<&str>)?;
    remember_log_out(app, log_out.clone());
    let quit = MenuItem::with_id(app, QUIT, "Quit", true, Some("CmdOrCtrl+Q"))?;
    let separator = PredefinedMenuItem::separator(app)?;
    let file = Submenu::with_items(app, "&File", true, &[&status, &log_out, &separator, &quit])?;
    Menu::with_items(app, &[&file])
}

/// Builds the tray icon's menu.
pub fn tray_menu(app: &AppHandle) -> tauri::Result<Menu<Wry>> {
    let status = status_submenu(app)?;
    let show = MenuItem::with_id(app, SHOW, "Show Switchboard", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    Menu::with_items(app, &[&status, &show, &separator, &quit])
}

fn status_submenu(app: &AppHandle) -> tauri::Result<Submenu<Wry>> {
    let mut items = Vec::new();
    for (status, id, label) in STATUSES {
        let item = CheckMenuItem::with_id(app, id, label, false, false, None::<&str>)?;
        items.push((status, item));
    }
    let refs: Vec<&dyn IsMenuItem<Wry>> = items
        .iter()
        .map(|(_, item)| item as &dyn IsMenuItem<Wry>)
        .collect();
    let submenu = Submenu::with_items(app, "My Status", true, &refs)?;
    if let Ok(mut all) = app.state::<MenuItems>().status.lock() {
        all.extend(items);
    }
    Ok(submenu)
}

fn remember_log_out(app: &AppHandle, item: MenuItem<Wry>) {
    if let Ok(mut all) = app.state::<MenuItems>().log_out.lock() {
        all.push(item);
    }
}

/// Checks the current status in every menu; `None` (logged out) disables the status items.
pub fn show_status(app: &AppHandle, status: Option<Status>) {
    let items = app.state::<MenuItems>();
    if let Ok(all) = items.status.lock() {
        for (item_status, item) in all.iter() {
            let _ = item.set_enabled(status.is_some());
            let _ = item.set_checked(status == Some(*item_status));
        }
    }
    if let Ok(all) = items.log_out.lock() {
        for item in all.iter() {
            let _ = item.set_enabled(status.is_some());
        }
    };
}

/// Handles a click on any menu item (window or tray).
pub fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref();
    if let Some((status, _, _)) = STATUSES.iter().find(|(_, item_id, _)| *item_id == id) {
        let (app, status) = (app.clone(), *status);
        tauri::async_runtime::spawn(async move {
            // keep the check marks right even when the request fails
            let now = crate::account::set_status(&app, status).await;
            show_status(&app, now);
        });
        return;
    }
    match id {
        SHOW => crate::window::show_main(app),
        LOG_OUT => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { crate::account::logout(&app).await });
        }
        QUIT => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { crate::account::quit(&app).await });
        }
        _ => {}
    }
}
