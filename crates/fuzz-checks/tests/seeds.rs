//! Every saved input of every fuzz target (the seeds in `fuzz/seeds/<target>/`, and the local
//! corpus in `fuzz/corpus/<target>/` when a fuzz run left one) through the same checks, with
//! the workspace's other tests. A crash a fuzz run finds is fixed and its input saved under
//! `fuzz/seeds/` so it stays fixed.

use std::path::Path;

fn run_saved_inputs(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut inputs = 0;
    for dir in ["seeds", "corpus"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable directory").path();
            let data = std::fs::read(&path).expect("a readable input");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{} breaks an invariant", path.display());
            inputs += 1;
        }
    }
    assert!(inputs > 0, "no saved inputs for {target}");
}

#[test]
fn protocol_frame_inputs_keep_every_invariant() {
    run_saved_inputs(
        "protocol_frame",
        switchboard_fuzz_checks::protocol_frame::check,
    );
}

#[test]
fn message_text_inputs_keep_every_invariant() {
    run_saved_inputs("message_text", switchboard_fuzz_checks::message_text::check);
}

#[test]
fn upload_inputs_keep_every_invariant() {
    run_saved_inputs("upload", switchboard_fuzz_checks::upload::check);
}
