//! Processes read from `/proc`: their parent, process group, name and environment. A running
//! app's tauri-driver, WebKitWebDriver, the app and WebKit's helper processes share one
//! process group; the desktop benchmark follows parents to sum an app's memory.

use anyhow::Context;

/// Every process id `/proc` lists now.
pub fn all_pids() -> anyhow::Result<Vec<u32>> {
    Ok(std::fs::read_dir("/proc")?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .collect())
}

/// The parent of `pid`.
pub fn parent(pid: u32) -> Option<u32> {
    stat_field(pid, 1)
}

/// The process group of `pid`.
pub fn process_group(pid: u32) -> Option<u32> {
    stat_field(pid, 2)
}

/// Field `index` of `/proc/<pid>/stat` after the command name (0: state, 1: parent, 2: process
/// group). The name is in parentheses and may contain spaces: the fields follow the last ')'.
fn stat_field(pid: u32, index: usize) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(index)?
        .parse()
        .ok()
}

/// The name of `pid` as `/proc/<pid>/comm` shows it (at most 15 characters).
pub fn command_name(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|name| name.trim_end().to_string())
}

/// The environment variable `name` of the first process in `group` named `command` (see
/// [`command_name`]); `None` when that process lacks it.
pub fn variable_of(group: u32, command: &str, name: &str) -> anyhow::Result<Option<String>> {
    let pid = all_pids()?
        .into_iter()
        .find(|&pid| {
            process_group(pid) == Some(group) && command_name(pid).as_deref() == Some(command)
        })
        .with_context(|| format!("no process {command:?} in process group {group}"))?;
    let environment = std::fs::read(format!("/proc/{pid}/environ"))?;
    let prefix = format!("{name}=");
    Ok(environment
        .split(|&byte| byte == 0)
        .find_map(|entry| entry.strip_prefix(prefix.as_bytes()))
        .map(|value| String::from_utf8_lossy(value).into_owned()))
}
