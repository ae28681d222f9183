//! The UI's TypeScript types in `ui/src/bindings/` are generated from the Rust types of the
//! commands and events. This test fails when they are stale; run it with `UPDATE_BINDINGS=1`
//! to regenerate them. Wire types are not copied: imports point at the protocol's and the
//! client's own bindings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use switchboard_desktop::commands::preferences::SettingsView;
use switchboard_desktop::composer::{ComposerPrefs, ComposerState};
use switchboard_desktop::error::CommandError;
use switchboard_desktop::ipc::{
    DroppedFiles, FilePreview, HistoryChunk, LoginForm, OpenChat, RingState, SessionEnded,
    SessionEvents, SessionEventsJson, SessionView, StartupState, TransferUpdate, EVENTS,
};
use switchboard_desktop::preferences::{Layout, Preferences};
use ts_rs::{Config, TS};

/// Where bindings of types from other crates live, relative to the repository root.
const FOREIGN_BINDINGS: &[&str] = &["crates/protocol/bindings", "crates/client/bindings"];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .to_path_buf()
}

fn committed_dir() -> PathBuf {
    repo_root().join("ui/src/bindings")
}

/// Exports every type the UI uses (and their dependencies) into `dir`.
fn export_all(dir: &Path) {
    let cfg = Config::new().with_out_dir(dir);
    LoginForm::export_all(&cfg).expect("export LoginForm");
    SessionView::export_all(&cfg).expect("export SessionView");
    StartupState::export_all(&cfg).expect("export StartupState");
    HistoryChunk::export_all(&cfg).expect("export HistoryChunk");
    SessionEnded::export_all(&cfg).expect("export SessionEnded");
    SessionEvents::export_all(&cfg).expect("export SessionEvents");
    SessionEventsJson::export_all(&cfg).expect("export SessionEventsJson");
    RingState::export_all(&cfg).expect("export RingState");
    OpenChat::export_all(&cfg).expect("export OpenChat");
    TransferUpdate::export_all(&cfg).expect("export TransferUpdate");
    DroppedFiles::export_all(&cfg).expect("export DroppedFiles");
    FilePreview::export_all(&cfg).expect("export FilePreview");
    switchboard_desktop::snip::SnipPreview::export_all(&cfg).expect("export SnipPreview");
    switchboard_desktop::snip::annotate::Mark::export_all(&cfg).expect("export Mark");
    CommandError::export_all(&cfg).expect("export CommandError");
    ComposerState::export_all(&cfg).expect("export ComposerState");
    ComposerPrefs::export_all(&cfg).expect("export ComposerPrefs");
    switchboard_client::OutboxUpdate::export_all(&cfg).expect("export OutboxUpdate");
    SettingsView::export_all(&cfg).expect("export SettingsView");
    Preferences::export_all(&cfg).expect("export Preferences");
    Layout::export_all(&cfg).expect("export Layout");
}

/// Every `.ts` file under `dir`, by file name.
fn ts_files(dir: &Path, found: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            ts_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "ts") {
            let name = path
                .file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            found.insert(name, std::fs::read_to_string(&path).expect("read binding"));
        }
    }
}

/// Where the UI imports type `name` from: another crate's bindings, or its own.
fn import_path(name: &str) -> String {
    for dir in FOREIGN_BINDINGS {
        if repo_root().join(dir).join(format!("{name}.ts")).exists() {
            return format!("../../../{dir}/{name}");
        }
    }
    format!("./{name}")
}

fn is_foreign(name: &str) -> bool {
    import_path(name).starts_with("../")
}

/// Rewrites `import type { X } from "…/X";` lines to the paths the UI uses.
fn fix_imports(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("import type { ") {
            Some(rest) => {
                let name = rest.split(' ').next().unwrap_or_default();
                format!("import type {{ {name} }} from \"{}\";", import_path(name))
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `events.ts`: the event names of the core and the type of each payload.
fn events_module() -> String {
    let mut types: Vec<&str> = EVENTS.iter().map(|(_, _, ty)| *ty).collect();
    types.sort_unstable();
    types.dedup();
    let mut out = String::from(
        "// Generated from the Rust event names (ipc.rs) by the bindings test. Do not edit.\n\n",
    );
    for ty in types {
        out += &format!("import type {{ {ty} }} from \"{}\";\n", import_path(ty));
    }
    out += "\n/** The events of the core, by key. */\nexport const EVENTS = {\n";
    for (key, name, _) in EVENTS {
        out += &format!("  {key}: \"{name}\",\n");
    }
    out += "} as const;\n\n/** The payload of each event. */\nexport type EventPayloads = {\n";
    for (key, _, ty) in EVENTS {
        out += &format!("  {key}: {ty};\n");
    }
    out + "};\n"
}

/// The bindings as they should be: the UI's own types with fixed imports, and `events.ts`.
fn expected() -> BTreeMap<String, String> {
    let fresh =
        std::env::temp_dir().join(format!("switchboard-ui-bindings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    export_all(&fresh);
    let mut generated = BTreeMap::new();
    ts_files(&fresh, &mut generated);
    let _ = std::fs::remove_dir_all(&fresh);
    let mut files: BTreeMap<String, String> = generated
        .into_iter()
        .filter(|(name, _)| !is_foreign(name))
        .map(|(name, text)| (format!("{name}.ts"), fix_imports(&text)))
        .collect();
    files.insert("events.ts".to_owned(), events_module());
    files
}

#[test]
fn generated_ui_bindings_are_up_to_date() {
    let expected = expected();
    let committed = committed_dir();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).expect("create bindings dir");
        for (name, text) in &expected {
            std::fs::write(committed.join(name), text).expect("write binding");
        }
        return;
    }
    let mut actual = BTreeMap::new();
    ts_files(&committed, &mut actual);
    let actual: BTreeMap<String, String> = actual
        .into_iter()
        .map(|(name, text)| (format!("{name}.ts"), text))
        .collect();
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "binding files differ; run `UPDATE_BINDINGS=1 cargo test -p switchboard-desktop --test ts_bindings`"
    );
    for (name, text) in &expected {
        assert_eq!(
            Some(text),
            actual.get(name),
            "{name} is stale; run `UPDATE_BINDINGS=1 cargo test -p switchboard-desktop --test ts_bindings`"
        );
    }
}
