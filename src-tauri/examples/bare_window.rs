//! A bare Tauri window showing `about:blank`, built with the app's own Tauri features: the
//! baseline the desktop benchmark compares Switchboard's memory with.

use tauri::webview::PageLoadEvent;

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    let result = tauri::Builder::default()
        .setup(|app| {
            let blank = "about:blank".parse().expect("about:blank is a URL");
            tauri::WebviewWindowBuilder::new(app, "bare", tauri::WebviewUrl::External(blank))
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
