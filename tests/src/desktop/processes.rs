//! The processes of a running app, read from `/proc`: tauri-driver, WebKitWebDriver, the app
//! and WebKit's helper processes share one process group.

use anyhow::Context;

/// The process group of `pid`, from `/proc/<pid>/stat`.
pub fn process_group(pid: &str) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // fields after the command name: state, parent, process group, ...
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(2)?
        .parse()
        .ok()
}

/// The environment variable `name` of the first process in `group` named `command` (as
/// `/proc/<pid>/comm` shows it: at most 15 characters); `None` when that process lacks it.
pub fn variable_of(group: u32, command: &str, name: &str) -> anyhow::Result<Option<String>> {
    let pid = std::fs::read_dir("/proc")?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|pid| pid.bytes().all(|byte| byte.is_ascii_digit()))
        .find(|pid| {
            process_group(pid) == Some(group)
                && std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|comm| comm.trim_end() == command)
        })
        .with_context(|| format!("no process {command:?} in process group {group}"))?;
    let environment = std::fs::read(format!("/proc/{pid}/environ"))?;
    let prefix = format!("{name}=");
    Ok(environment
        .split(|&byte| byte == 0)
        .find_map(|entry| entry.strip_prefix(prefix.as_bytes()))
        .map(|value| String::from_utf8_lossy(value).into_owned()))
}
