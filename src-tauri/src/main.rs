//! Entry point of the Switchboard desktop agent app.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    draw_without_compositing();
    switchboard_desktop::run();
}

/// Makes WebKitGTK draw the window without accelerated compositing unless the user chose
/// otherwise: with twenty busy chats the app needs about 150 MiB less (README, Benchmarks), and
/// its screens draw nothing that needs the GPU. Setting `WEBKIT_DISABLE_COMPOSITING_MODE=0`
/// turns compositing back on.
#[cfg(target_os = "linux")]
fn draw_without_compositing() {
    const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VARIABLE).is_none() {
        // First thing in `main`: no other thread exists yet to read the environment.
        std::env::set_var(VARIABLE, "1");
    }
}
