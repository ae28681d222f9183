//! The system tray as the desktop shell sees it: a StatusNotifierWatcher on the session bus
//! (what a panel provides), so the app's tray icon registers with the test, which then reads
//! the icon and clicks its menu items through `com.canonical.dbusmenu`, as a panel does.
//!
//! Start the [`TrayHost`] before the app: the app looks for the watcher when it creates its
//! tray icon.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::sync::Notify;
use zbus::message::Header;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zbus::Connection;

/// How long the app may take to register its icon or to answer.
const WAIT: Duration = Duration::from_secs(20);
const WATCHER_NAME: &str = "org.kde.StatusNotifierWatcher";
const ITEM_INTERFACE: &str = "org.kde.StatusNotifierItem";
const MENU_INTERFACE: &str = "com.canonical.dbusmenu";

/// Tray icons that registered: (bus name, object path).
#[derive(Default)]
struct Registered {
    items: Mutex<Vec<(String, String)>>,
    changed: Notify,
}

/// The watcher object served on the bus.
struct Watcher(Arc<Registered>);

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    /// An item registers with its object path (or its bus name, then at the default path).
    fn register_status_notifier_item(&self, service: &str, #[zbus(header)] header: Header<'_>) {
        let sender = header.sender().map(ToString::to_string).unwrap_or_default();
        let (bus, path) = if service.starts_with('/') {
            (sender, service.to_owned())
        } else {
            (service.to_owned(), "/StatusNotifierItem".to_owned())
        };
        let mut items = self.0.items.lock().unwrap_or_else(PoisonError::into_inner);
        items.push((bus, path));
        self.0.changed.notify_waiters();
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        let items = self.0.items.lock().unwrap_or_else(PoisonError::into_inner);
        items
            .iter()
            .map(|(bus, path)| format!("{bus}{path}"))
            .collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// A tray host on the session bus.
pub struct TrayHost {
    connection: Connection,
    registered: Arc<Registered>,
}

impl TrayHost {
    /// Serves the StatusNotifierWatcher on the session bus.
    pub async fn start() -> anyhow::Result<TrayHost> {
        let registered = Arc::new(Registered::default());
        let connection = zbus::connection::Builder::session()?
            .name(WATCHER_NAME)?
            .serve_at("/StatusNotifierWatcher", Watcher(registered.clone()))?
            .build()
            .await
            .context("serving the StatusNotifierWatcher on the session bus")?;
        Ok(TrayHost {
            connection,
            registered,
        })
    }

    /// Waits for the first tray icon to register.
    pub async fn wait_for_icon(&self) -> anyhow::Result<TrayIcon> {
        let first = tokio::time::timeout(WAIT, async {
            loop {
                let changed = self.registered.changed.notified();
                let first = self
                    .registered
                    .items
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .first()
                    .cloned();
                if let Some(first) = first {
                    return first;
                }
                changed.await;
            }
        })
        .await
        .context("no tray icon registered")?;
        Ok(TrayIcon {
            connection: self.connection.clone(),
            bus: first.0,
            path: first.1,
        })
    }
}

/// One registered tray icon.
pub struct TrayIcon {
    connection: Connection,
    bus: String,
    path: String,
}

/// One entry of the icon's menu, as the menu protocol describes it.
#[derive(Debug, Clone)]
pub struct TrayMenuItem {
    /// The item's id in the menu protocol.
    pub id: i32,
    /// Its label without mnemonic underscores.
    pub label: String,
    /// Whether a check item is checked.
    pub checked: bool,
}

impl TrayIcon {
    async fn property(&self, name: &str) -> anyhow::Result<OwnedValue> {
        let reply = self
            .connection
            .call_method(
                Some(self.bus.as_str()),
                self.path.as_str(),
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &(ITEM_INTERFACE, name),
            )
            .await
            .with_context(|| format!("reading the tray icon's {name}"))?;
        Ok(reply.body().deserialize::<OwnedValue>()?)
    }

    /// The icon shown now (a name or a file the icon was written to).
    pub async fn icon_name(&self) -> anyhow::Result<String> {
        Ok(String::try_from(self.property("IconName").await?)?)
    }

    /// Waits until the icon differs from `before`; returns the new one.
    pub async fn wait_for_icon_change(&self, before: &str) -> anyhow::Result<String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = self.icon_name().await?;
            if now != before {
                return Ok(now);
            }
            if tokio::time::Instant::now() > deadline {
                bail!("the tray icon stayed {before}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the app that showed the icon has left the bus (it quit).
    pub async fn wait_until_gone(&self) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let reply = self
                .connection
                .call_method(
                    Some("org.freedesktop.DBus"),
                    "/org/freedesktop/DBus",
                    Some("org.freedesktop.DBus"),
                    "NameHasOwner",
                    &(self.bus.as_str(),),
                )
                .await?;
            if !reply.body().deserialize::<bool>()? {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                bail!("the app is still on the bus");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn menu_path(&self) -> anyhow::Result<String> {
        Ok(OwnedObjectPath::try_from(self.property("Menu").await?)?.to_string())
    }

    /// Every item of the menu, submenus flattened.
    pub async fn menu_items(&self) -> anyhow::Result<Vec<TrayMenuItem>> {
        let path = self.menu_path().await?;
        let no_properties: Vec<&str> = Vec::new();
        let reply = self
            .connection
            .call_method(
                Some(self.bus.as_str()),
                path.as_str(),
                Some(MENU_INTERFACE),
                "GetLayout",
                &(0i32, -1i32, no_properties),
            )
            .await
            .context("reading the tray menu")?;
        type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);
        let (_revision, root): (u32, Layout) = reply.body().deserialize()?;
        let mut items = Vec::new();
        flatten(root.2, &mut items)?;
        Ok(items)
    }

    /// Clicks the menu item labelled `label`.
    pub async fn click(&self, label: &str) -> anyhow::Result<()> {
        let items = self.menu_items().await?;
        let item = items
            .iter()
            .find(|item| item.label == label)
            .with_context(|| format!("no tray menu item {label:?} in {items:?}"))?;
        let path = self.menu_path().await?;
        self.connection
            .call_method(
                Some(self.bus.as_str()),
                path.as_str(),
                Some(MENU_INTERFACE),
                "Event",
                &(item.id, "clicked", Value::I32(0), 0u32),
            )
            .await
            .with_context(|| format!("clicking {label:?} in the tray menu"))?;
        Ok(())
    }
}

/// Adds `children` (layout nodes) and their descendants to `items`.
fn flatten(children: Vec<OwnedValue>, items: &mut Vec<TrayMenuItem>) -> anyhow::Result<()> {
    for child in children {
        let (id, properties, grandchildren): (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>) =
            child.try_into().context("a menu layout node")?;
        let text = |key: &str| {
            properties
                .get(key)
                .and_then(|value| String::try_from(value.try_clone().ok()?).ok())
        };
        let checked = properties
            .get("toggle-state")
            .and_then(|value| i32::try_from(value).ok())
            == Some(1);
        if let Some(label) = text("label") {
            items.push(TrayMenuItem {
                id,
                label: label.replace('_', ""),
                checked,
            });
        }
        flatten(grandchildren, items)?;
    }
    Ok(())
}
