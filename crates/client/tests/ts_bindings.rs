//! The TypeScript bindings in `bindings/` are generated from the client types the desktop app
//! hands to its UI. This test fails when they are stale; run it with `UPDATE_BINDINGS=1` to
//! regenerate them.
//!
//! The types import the wire types (`ProtocolError`, ...) from `crates/protocol/bindings`, so they
//! are exported relative to that directory (`#[ts(export_to = "../../client/bindings/")]`) and
//! without their dependencies, which the protocol crate owns.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use switchboard_client::{ClientEvent, ConnectionState, Delivery, OutboxUpdate};
use ts_rs::{Config, TS};

/// Exports into `<crates>/client/bindings`, given the `<crates>` directory.
fn export_client_types(crates: &Path) {
    let protocol_bindings = crates.join("protocol").join("bindings");
    std::fs::create_dir_all(&protocol_bindings).expect("create protocol bindings dir");
    let cfg = Config::new().with_out_dir(&protocol_bindings);
    ClientEvent::export(&cfg).expect("export ClientEvent");
    ConnectionState::export(&cfg).expect("export ConnectionState");
    OutboxUpdate::export(&cfg).expect("export OutboxUpdate");
    Delivery::export(&cfg).expect("export Delivery");
}

fn read_ts_files(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read bindings dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|ext| ext == "ts") {
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            files.insert(name, std::fs::read_to_string(&path).expect("read binding"));
        }
    }
    files
}

#[test]
fn generated_typescript_bindings_are_up_to_date() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let crates = manifest.parent().expect("crates directory").to_path_buf();
    let committed = manifest.join("bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        export_client_types(&crates);
        return;
    }
    let fresh = std::env::temp_dir().join(format!(
        "switchboard-client-bindings-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&fresh);
    export_client_types(&fresh);
    let expected = read_ts_files(&fresh.join("client").join("bindings"));
    let _ = std::fs::remove_dir_all(&fresh);
    let actual = read_ts_files(&committed);
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "binding files differ; run `UPDATE_BINDINGS=1 cargo test -p switchboard-client`"
    );
    for (name, text) in &expected {
        assert_eq!(
            Some(text),
            actual.get(name),
            "{name} is stale; run `UPDATE_BINDINGS=1 cargo test -p switchboard-client`"
        );
    }
}
