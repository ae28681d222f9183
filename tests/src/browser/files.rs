//! Files in the widget, as a visitor handles them: choose a file to send, and fetch a shared
//! file through the link the widget shows (with the browser's own request, token and all).

use std::path::Path;

use anyhow::Context;
use fantoccini::Locator;

use super::WidgetVisitor;

impl WidgetVisitor {
    /// Sends the file at `path` with the widget's file button (its hidden file input is shown
    /// for the driver, which cannot type into hidden inputs).
    pub async fn send_file(&self, path: &Path) -> anyhow::Result<()> {
        self.client
            .execute(
                "document.getElementById('sb-file-input').hidden = false; return null;",
                vec![],
            )
            .await?;
        let input = self.client.find(Locator::Id("sb-file-input")).await?;
        input
            .send_keys(&path.display().to_string())
            .await
            .context("choosing the file")?;
        Ok(())
    }

    /// Drops a file `name` holding `text` onto the open chat, as a drag from the desktop does
    /// (the same `dragover` and `drop` events with a `DataTransfer` of files).
    pub async fn drop_file(&self, name: &str, text: &str) -> anyhow::Result<()> {
        let accepted = self
            .client
            .execute(
                r#"const [name, text] = arguments;
                const files = new DataTransfer();
                files.items.add(new File([text], name, { type: "text/plain" }));
                const panel = document.getElementById("sb-panel");
                const over = new DragEvent("dragover", { dataTransfer: files, bubbles: true, cancelable: true });
                panel.dispatchEvent(over);
                panel.dispatchEvent(new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true }));
                return over.defaultPrevented;"#,
                vec![serde_json::json!(name), serde_json::json!(text)],
            )
            .await?;
        anyhow::ensure!(
            accepted == serde_json::json!(true),
            "the chat refused the drop"
        );
        Ok(())
    }

    /// Waits for the shared file `name` in the chat, fetches its link inside the browser and
    /// returns the bytes that arrived.
    pub async fn download_shared_file(&self, name: &str) -> anyhow::Result<Vec<u8>> {
        let link = self
            .wait_for_css(&format!(r#"a[data-testid="file-link"][download="{name}"]"#))
            .await?;
        let href = link
            .attr("href")
            .await?
            .context("the file link has an href")?;
        let encoded = self
            .client
            .execute_async(
                r#"const [href, done] = arguments;
                fetch(href)
                  .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`HTTP ${r.status}`))))
                  .then((buffer) => {
                    const bytes = new Uint8Array(buffer);
                    let text = "";
                    for (let i = 0; i < bytes.length; i += 0x8000) {
                      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
                    }
                    done(btoa(text));
                  })
                  .catch((error) => done(`error: ${error}`));"#,
                vec![serde_json::json!(href)],
            )
            .await?;
        let encoded = encoded.as_str().context("the script returns text")?;
        anyhow::ensure!(!encoded.starts_with("error:"), "download failed: {encoded}");
        decode_base64(encoded)
    }
}

/// Standard base64 (what `btoa` makes) to bytes.
fn decode_base64(text: &str) -> anyhow::Result<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET
            .iter()
            .position(|a| *a == c)
            .context("not base64")? as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_round_trip() {
        assert_eq!(
            super::decode_base64("aGVsbG8gd29ybGQ=").unwrap(),
            b"hello world"
        );
        assert_eq!(super::decode_base64("AAEC").unwrap(), [0, 1, 2]);
    }
}
