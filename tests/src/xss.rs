//! Cross-site scripting probes for hostile-input tests: payloads that would set
//! `window.__xss` if any part of them ever ran, and a DOM check that reports anything a payload
//! could have injected (elements with event-handler attributes, `<img src=x>`, `<svg>` with
//! `onload`, scripts carrying the marker, links to non-web schemes) and whether the marker is set.

use anyhow::Context;
use fantoccini::Client;
use serde::Deserialize;

/// A payload for `field` (no `/`, so a file name keeps it whole): breaks out of an attribute,
/// adds an image whose error handler and an SVG whose load handler set `window.__xss`.
pub fn payload(field: &str) -> String {
    format!("\"><img src=x onerror=__xss='{field}'><svg onload=__xss='{field}'>")
}

/// A message body with every classic vector, `javascript:` links included.
pub fn message_payload() -> String {
    format!(
        "{} <script>__xss='script'</script> javascript:__xss='link' \
         <a href=\"javascript:__xss='href'\">x</a>",
        payload("message")
    )
}

/// What [`DOM_CHECK`] found.
#[derive(Debug, Deserialize, PartialEq, Eq)]
pub struct DomReport {
    /// Elements with an `on…` attribute, as the start of their markup.
    pub handlers: Vec<String>,
    /// Injected-looking elements (`img[src=x]`, `svg`, scripts with the marker), as markup.
    pub injected: Vec<String>,
    /// `href`s with a scheme other than http(s), mailto or blob (`javascript:`, `data:`, …).
    pub bad_links: Vec<String>,
    /// `typeof window.__xss`: `"undefined"` unless a payload ran.
    pub marker: String,
}

impl DomReport {
    /// Nothing injected and nothing ran.
    pub fn is_clean(&self) -> bool {
        self.handlers.is_empty()
            && self.injected.is_empty()
            && self.bad_links.is_empty()
            && self.marker == "undefined"
    }
}

/// WebDriver script returning a [`DomReport`] of the current document.
pub const DOM_CHECK: &str = r#"
const markup = (e) => e.outerHTML.slice(0, 120);
const all = [...document.querySelectorAll('*')];
return {
  handlers: all
    .filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on')))
    .map(markup),
  injected: [
    ...document.querySelectorAll('img[src="x"], svg[onload], iframe[src^="javascript"]'),
    ...[...document.scripts].filter((s) => s.text.includes('__xss')),
  ].map(markup),
  bad_links: [...document.querySelectorAll('[href]')]
    .map((e) => e.getAttribute('href'))
    .filter((h) => /^[a-z][a-z0-9+.-]*:/i.test(h.trim()) && !/^(https?|mailto|blob):/i.test(h.trim())),
  marker: typeof window.__xss,
};
"#;

/// Runs [`DOM_CHECK`] in the current document of `client`.
pub async fn dom_report(client: &Client) -> anyhow::Result<DomReport> {
    let value = client.execute(DOM_CHECK, Vec::new()).await?;
    serde_json::from_value(value.clone()).with_context(|| format!("unexpected report {value}"))
}
