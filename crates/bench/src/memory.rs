//! Memory of a process tree, read from /proc: proportional set size (PSS), which splits shared
//! pages fairly between processes, summed over a process and all its descendants (for a Tauri
//! app on Linux: the app plus its WebKit web and network processes).

use std::collections::HashMap;

use switchboard_tests::desktop::processes;

/// PSS of `root` and every descendant, in KiB; the processes counted.
pub fn tree_pss_kib(root: u32) -> anyhow::Result<(u64, Vec<String>)> {
    let parents = parent_map()?;
    let mut members = vec![root];
    let mut index = 0;
    while index < members.len() {
        let parent = members[index];
        members.extend(
            parents
                .iter()
                .filter(|(_, p)| **p == parent)
                .map(|(pid, _)| *pid),
        );
        index += 1;
    }
    let mut total = 0;
    let mut names = Vec::new();
    for pid in members {
        if let Some(pss) = pss_kib(pid) {
            total += pss;
            names.push(format!("{} ({} KiB)", process_name(pid), pss));
        }
    }
    Ok((total, names))
}

fn parent_map() -> anyhow::Result<HashMap<u32, u32>> {
    Ok(processes::all_pids()?
        .into_iter()
        .filter_map(|pid| Some((pid, processes::parent(pid)?)))
        .collect())
}

fn pss_kib(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    rollup
        .lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
}

fn process_name(pid: u32) -> String {
    processes::command_name(pid).unwrap_or_else(|| pid.to_string())
}
