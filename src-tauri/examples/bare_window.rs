//! A bare Tauri window showing a one-word page, built with the app's own Tauri features: the
//! baseline the desktop benchmark compares Switchboard's memory with. The page's address comes
//! from `BARE_WINDOW_URL` (the benchmark points it at its server's health check: WebKit reports
//! no finished load for `about:blank`, and data: URLs need a Tauri feature the app leaves off).

use tauri::webview::PageLoadEvent;

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    // an identifier of its own: GTK hands a launch with the app's identifier to a running app
    context.config_mut().identifier.push_str(".bare-window");
    let result = tauri::Builder::default()
        .setup(|app| {
            let url = std::env::var("BARE_WINDOW_URL")?.parse()?;
            tauri::WebviewWindowBuilder::new(app, "bare", tauri::WebviewUrl::External(url))
                .title("Bare Tauri window")
                .inner_size(1000.0, 700.0)
                .build()?;
            Ok(())
        })
        .on_page_load(|_, payload| {
            if payload.event() == PageLoadEvent::Finished {
                println!("bare-window: ready");
            }
        })
        .run(context);
    if let Err(error) = result {
        eprintln!("bare-window: could not start: {error}");
        std::process::exit(1);
    }
}
