//! The transfer manager: every file going up into a chat or down onto this computer, each as a
//! task that reports progress (throttled) to the UI as `transfer://changed` and can be
//! cancelled. Finished downloads are remembered so that only they can be opened.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_client::{ClientError, FileTransfers, Progress};
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter};

use crate::error::AppError;
use crate::ipc::{self, TransferDirection, TransferState, TransferUpdate};
use crate::locks::lock;

/// Progress reaches the UI at most this often per transfer.
const REPORT_EVERY: Duration = Duration::from_millis(100);

struct Running {
    task: JoinHandle<()>,
    client: FileTransfers,
    /// The server's id of an upload, once announced.
    file_id: Arc<Mutex<Option<String>>>,
    update: Arc<Mutex<TransferUpdate>>,
}

/// Every transfer of the app.
#[derive(Default)]
pub struct Transfers {
    next: AtomicU64,
    running: Mutex<HashMap<String, Running>>,
    saved: Mutex<HashSet<PathBuf>>,
}

fn emit(app: &AppHandle, update: &TransferUpdate) {
    if let Err(error) = app.emit(ipc::TRANSFER_CHANGED, update) {
        tracing::warn!(%error, "could not report a transfer");
    }
}

/// A progress callback that updates `update` and emits it, at most every [`REPORT_EVERY`].
fn reporter(app: &AppHandle, update: Arc<Mutex<TransferUpdate>>) -> Progress {
    let app = app.clone();
    let started = Instant::now();
    let last = Mutex::new(Instant::now() - REPORT_EVERY);
    Arc::new(move |bytes| {
        let snapshot = {
            let mut update = lock(&update);
            update.transferred = bytes;
            let seconds = started.elapsed().as_secs_f64().max(0.001);
            update.bytes_per_second = (bytes as f64 / seconds) as u64;
            let mut last = lock(&last);
            if last.elapsed() < REPORT_EVERY {
                return;
            }
            *last = Instant::now();
            update.clone()
        };
        emit(&app, &snapshot);
    })
}

impl Transfers {
    fn new_id(&self) -> String {
        format!("transfer-{}", self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// Starts uploading the file at `path` into a conversation; returns the transfer id.
    pub fn upload(
        self: &Arc<Self>,
        app: &AppHandle,
        client: FileTransfers,
        conversation_id: String,
        path: PathBuf,
    ) -> Result<String, AppError> {
        let size = std::fs::metadata(&path)
            .map_err(|e| AppError::File(format!("{}: {e}", path.display())))?
            .len();
        let name = file_name(&path);
        let id = self.new_id();
        let update = Arc::new(Mutex::new(TransferUpdate {
            id: id.clone(),
            conversation_id: conversation_id.clone(),
            direction: TransferDirection::Upload,
            name,
            size,
            transferred: 0,
            bytes_per_second: 0,
            state: TransferState::Active,
            saved_to: None,
        }));
        let file_id = Arc::new(Mutex::new(None));
        let progress = reporter(app, update.clone());
        emit(app, &lock(&update).clone());
        // finishing waits for this lock, so the task is tracked before it can end
        let mut running = lock(&self.running);
        let task = {
            let (this, app, client, update, file_id, id) = (
                self.clone(),
                app.clone(),
                client.clone(),
                update.clone(),
                file_id.clone(),
                id.clone(),
            );
            tauri::async_runtime::spawn(async move {
                let result = client
                    .upload(
                        &conversation_id,
                        &path,
                        |server_id| *lock(&file_id) = Some(server_id.to_owned()),
                        progress,
                    )
                    .await
                    .map(|_| None);
                this.finish(&app, &id, &update, result);
            })
        };
        running.insert(
            id.clone(),
            Running {
                task,
                client,
                file_id,
                update,
            },
        );
        Ok(id)
    }

    /// Starts downloading a shared file into `dir` (under a name that does not overwrite
    /// anything); returns the transfer id.
    #[allow(clippy::too_many_arguments)]
    pub fn download(
        self: &Arc<Self>,
        app: &AppHandle,
        client: FileTransfers,
        conversation_id: String,
        file_id: String,
        name: &str,
        size: u64,
        dir: &Path,
    ) -> Result<String, AppError> {
        let dest = free_path(dir, &file_name(Path::new(name)));
        let id = self.new_id();
        let update = Arc::new(Mutex::new(TransferUpdate {
            id: id.clone(),
            conversation_id,
            direction: TransferDirection::Download,
            name: file_name(&dest),
            size,
            transferred: 0,
            bytes_per_second: 0,
            state: TransferState::Active,
            saved_to: None,
        }));
        let progress = reporter(app, update.clone());
        emit(app, &lock(&update).clone());
        let mut running = lock(&self.running);
        let task = {
            let (this, app, client, update, id) = (
                self.clone(),
                app.clone(),
                client.clone(),
                update.clone(),
                id.clone(),
            );
            tauri::async_runtime::spawn(async move {
                let result = client
                    .download(&file_id, &dest, progress)
                    .await
                    .map(|_| Some(dest));
                this.finish(&app, &id, &update, result);
            })
        };
        running.insert(
            id.clone(),
            Running {
                task,
                client,
                file_id: Arc::default(),
                update,
            },
        );
        Ok(id)
    }

    fn finish(
        &self,
        app: &AppHandle,
        id: &str,
        update: &Mutex<TransferUpdate>,
        result: Result<Option<PathBuf>, ClientError>,
    ) {
        lock(&self.running).remove(id);
        let snapshot = {
            let mut update = lock(update);
            match result {
                Ok(saved) => {
                    update.transferred = update.size;
                    update.state = TransferState::Done;
                    if let Some(path) = saved {
                        update.saved_to = Some(path.display().to_string());
                        lock(&self.saved).insert(path);
                    }
                }
                Err(error) => {
                    update.state = TransferState::Failed {
                        message: crate::error::CommandError::from(&AppError::Client(error)).message,
                    };
                }
            }
            update.clone()
        };
        emit(app, &snapshot);
    }

    /// Stops a transfer; an unfinished upload is forgotten by the server too.
    pub fn cancel(&self, app: &AppHandle, id: &str) {
        let Some(running) = lock(&self.running).remove(id) else {
            return;
        };
        running.task.abort();
        let snapshot = {
            let mut update = lock(&running.update);
            update.state = TransferState::Cancelled;
            update.clone()
        };
        emit(app, &snapshot);
        let file_id = lock(&running.file_id).clone();
        if let Some(file_id) = file_id {
            let client = running.client;
            tauri::async_runtime::spawn(async move {
                if let Err(error) = client.cancel(&file_id).await {
                    tracing::info!(%error, "the server did not forget a cancelled upload");
                }
            });
        }
    }

    /// Whether `path` is a file this app downloaded (only those may be opened).
    pub fn was_saved(&self, path: &Path) -> bool {
        lock(&self.saved).contains(path)
    }
}

/// The last component of a path, or `file`.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.is_empty() && name != ".." && name != ".")
        .unwrap_or_else(|| "file".into())
}

/// `dir/name`, or `dir/stem (2).ext` and so on when that exists.
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let candidate = dir.join(name);
    if !candidate.exists() {
        return candidate;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|path| !path.exists())
        .expect("some numbered name is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_never_overwrite_and_never_leave_the_folder() {
        let dir = std::env::temp_dir().join(format!("switchboard-free-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), b"x").unwrap();
        assert_eq!(free_path(&dir, "a.txt"), dir.join("a (2).txt"));
        assert_eq!(free_path(&dir, "b.txt"), dir.join("b.txt"));
        assert_eq!(file_name(Path::new("../../etc/passwd")), "passwd");
        assert_eq!(file_name(Path::new("..")), "file");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
