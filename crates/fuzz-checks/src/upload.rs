//! Resumable uploads against the real file store (SQLite and the files folder in a temporary
//! data directory): arbitrary sequences of chunks, at right and wrong offsets, cut off or
//! overrunning the announced size, compared with a model of what must happen. The stored bytes
//! are always exactly the first `received` bytes sent, never more than the announced size; a
//! chunk resumes only where the stored bytes end; an overrun discards the whole upload.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use switchboard_protocol::{Author, PageInfo};
use switchboard_server::files::{FileError, FileRecord, Files};
use switchboard_server::store::{NewConversation, Store};
use tokio::runtime::Runtime;

/// Most steps one input runs.
const MAX_STEPS: usize = 16;
/// Largest chunk one step sends, in bytes.
const MAX_CHUNK: usize = 4096;

/// One upload's life.
#[derive(Debug, Arbitrary)]
struct Plan {
    /// The announced size.
    size: u16,
    steps: Vec<Step>,
}

/// What the sender does next.
#[derive(Debug, Arbitrary)]
enum Step {
    /// Sends chunks (lengths, cut to [`MAX_CHUNK`]) starting `skew` bytes away from the stored
    /// end, and breaks off before the end of the body when `interrupt` is set.
    Append {
        skew: i8,
        chunks: Vec<u16>,
        interrupt: bool,
    },
    /// Cancels the upload.
    Cancel,
}

/// The store, opened once per process.
struct Bench {
    runtime: Runtime,
    files: Files,
    files_dir: PathBuf,
    conversation_id: String,
    next_id: AtomicU64,
    _data_dir: tempfile::TempDir,
}

fn bench() -> &'static Bench {
    static BENCH: OnceLock<Bench> = OnceLock::new();
    BENCH.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime starts");
        let data_dir = tempfile::tempdir().expect("a temporary directory");
        let files_dir = data_dir.path().join("files");
        let conversation_id = "fuzz-conversation".to_string();
        let files = runtime.block_on(async {
            let store = Store::open(&data_dir.path().join("switchboard.db"))
                .await
                .expect("the store opens");
            store
                .touch_visitor("fuzz-visitor", None, &PageInfo::default())
                .await
                .expect("a visitor");
            store
                .create_conversation(&NewConversation {
                    id: conversation_id.clone(),
                    visitor_id: "fuzz-visitor".into(),
                    visitor_name: "Fuzz".into(),
                    visitor_email: None,
                    survey: Vec::new(),
                    called_from: None,
                })
                .await
                .expect("a conversation");
            Files::new(files_dir.clone(), store)
        });
        Bench {
            runtime,
            files,
            files_dir,
            conversation_id,
            next_id: AtomicU64::new(1),
            _data_dir: data_dir,
        }
    })
}

/// The byte at `position` of every upload.
fn byte_at(position: u64) -> u8 {
    (position % 251) as u8
}

/// Runs the plan in `data` and checks every step against the model.
pub fn check(data: &[u8]) {
    let Ok(plan) = Plan::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let bench = bench();
    let id = format!("{:064x}", bench.next_id.fetch_add(1, Ordering::Relaxed));
    let size = u64::from(plan.size);
    bench.runtime.block_on(async {
        let record = FileRecord {
            id: id.clone(),
            conversation_id: bench.conversation_id.clone(),
            uploader: "visitor:fuzz-visitor".into(),
            author: Author::Visitor {
                name: "Fuzz".into(),
            },
            name: "fuzz.bin".into(),
            mime: "application/octet-stream".into(),
            size,
            received: 0,
            seq: None,
        };
        bench.files.create(&record).await.expect("an upload starts");
        // Bytes stored so far; `None` once the upload is gone.
        let mut model = Some(0u64);
        for step in plan.steps.into_iter().take(MAX_STEPS) {
            model = run_step(bench, &id, size, model, step).await;
            check_stored(bench, &id, size, model).await;
        }
        bench.files.remove(&id).await;
    });
}

async fn run_step(
    bench: &Bench,
    id: &str,
    size: u64,
    model: Option<u64>,
    step: Step,
) -> Option<u64> {
    let (skew, lengths, interrupt) = match step {
        Step::Cancel => {
            bench.files.remove(id).await;
            return None;
        }
        Step::Append {
            skew,
            chunks,
            interrupt,
        } => (skew, chunks, interrupt),
    };
    let offset = model.unwrap_or(0).saturating_add_signed(i64::from(skew));
    let mut position = offset;
    let mut body: Vec<Result<bytes::Bytes, &str>> = Vec::new();
    for length in lengths {
        let length = usize::from(length) % (MAX_CHUNK + 1);
        let chunk: Vec<u8> = (position..position + length as u64).map(byte_at).collect();
        position += length as u64;
        body.push(Ok(chunk.into()));
    }
    let sent = position - offset;
    if interrupt {
        body.push(Err("the sender went away"));
    }
    let result = bench
        .files
        .append(id, offset, futures_util::stream::iter(body))
        .await;

    let Some(received) = model else {
        assert!(matches!(result, Err(FileError::Gone)), "{result:?}");
        return None;
    };
    if offset != received {
        assert!(
            matches!(result, Err(FileError::WrongOffset { expected }) if expected == received),
            "{result:?}"
        );
        return model;
    }
    if received + sent > size {
        assert!(
            matches!(result, Err(FileError::TooLarge { size: s }) if s == size),
            "{result:?}"
        );
        return None;
    }
    let now = received + sent;
    if interrupt {
        assert!(
            matches!(result, Err(FileError::Interrupted { received: r }) if r == now),
            "{result:?}"
        );
    } else {
        let record = result.expect("a chunk at the stored end that fits is stored");
        assert_eq!(record.received, now);
    }
    Some(now)
}

/// The row and the bytes on disk agree with the model.
async fn check_stored(bench: &Bench, id: &str, size: u64, model: Option<u64>) {
    let record = bench.files.record(id).await.expect("the store answers");
    let on_disk = std::fs::read(bench.files_dir.join(id)).ok();
    match model {
        None => {
            assert_eq!(record, None, "a discarded upload has no row");
            assert_eq!(on_disk, None, "a discarded upload has no bytes");
        }
        Some(received) => {
            let record = record.expect("a live upload has its row");
            assert_eq!(record.received, received);
            assert!(record.received <= size);
            let expected: Vec<u8> = (0..received).map(byte_at).collect();
            assert_eq!(
                on_disk,
                Some(expected),
                "the stored bytes are the bytes sent"
            );
        }
    }
}
