//! The TypeScript bindings in `bindings/` are generated from the Rust types. This test fails when
//! they are stale; run it with `UPDATE_BINDINGS=1` to regenerate them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use switchboard_protocol::http::{HttpError, LoginRequest, LoginResponse, NewUpload, UploadStatus};
use switchboard_protocol::{AgentEvent, AgentRequest, Emoticon, VisitorEvent, VisitorRequest};
use ts_rs::{Config, TS};

fn export_root_types(dir: &Path) {
    let cfg = Config::new().with_out_dir(dir);
    AgentRequest::export_all(&cfg).expect("export AgentRequest");
    AgentEvent::export_all(&cfg).expect("export AgentEvent");
    VisitorRequest::export_all(&cfg).expect("export VisitorRequest");
    VisitorEvent::export_all(&cfg).expect("export VisitorEvent");
    LoginRequest::export_all(&cfg).expect("export LoginRequest");
    LoginResponse::export_all(&cfg).expect("export LoginResponse");
    HttpError::export_all(&cfg).expect("export HttpError");
    Emoticon::export_all(&cfg).expect("export Emoticon");
    NewUpload::export_all(&cfg).expect("export NewUpload");
    UploadStatus::export_all(&cfg).expect("export UploadStatus");
}

fn read_ts_files(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read bindings dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|ext| ext == "ts") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.insert(name, std::fs::read_to_string(&path).expect("read binding"));
        }
    }
    files
}

#[test]
fn generated_typescript_bindings_are_up_to_date() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        export_root_types(&committed);
        return;
    }
    let fresh = std::env::temp_dir().join(format!("switchboard-bindings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    export_root_types(&fresh);
    let expected = read_ts_files(&fresh);
    let _ = std::fs::remove_dir_all(&fresh);
    let actual = read_ts_files(&committed);
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "binding files differ; run `UPDATE_BINDINGS=1 cargo test -p switchboard-protocol`"
    );
    for (name, text) in &expected {
        assert_eq!(
            Some(text),
            actual.get(name),
            "{name} is stale; run `UPDATE_BINDINGS=1 cargo test -p switchboard-protocol`"
        );
    }
}
