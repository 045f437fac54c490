//! The operator's page at `/`: every widget, its health and last heartbeat.

use chrono::Utc;

use crate::api::{Widget, WidgetState};

use tessera_server_common::html::escape_html as esc;

fn ago(w: &Widget) -> String {
    let secs = (Utc::now() - w.last_seen).num_milliseconds().max(0) as f64 / 1000.0;
    if secs < 60.0 {
        format!("{secs:.1} s ago")
    } else if secs < 3600.0 {
        format!("{:.0} min ago", secs / 60.0)
    } else {
        format!("{:.1} h ago", secs / 3600.0)
    }
}

pub fn render(widgets: &[Widget], watchers: i64, engine: &str) -> String {
    let online = widgets
        .iter()
        .filter(|w| w.state == WidgetState::Online)
        .count();
    let rows: String = widgets
        .iter()
        .map(|w| {
            format!(
                "<tr class=\"{state}\"><td><span class=\"dot\"></span>{state}</td><td><strong>{title}</strong><br><code>{id}</code></td>\
                 <td>{version}</td><td>rev {rev}</td><td><code>{tag}</code></td><td><a href=\"{base}\">{base}</a></td>\
                 <td title=\"{seen}\">{ago}</td></tr>",
                state = w.state.as_str(),
                title = esc(&w.title),
                id = esc(&w.id),
                version = esc(&w.version),
                rev = w.revision,
                tag = esc(&w.tag),
                base = esc(&w.base_url),
                seen = w.last_seen.to_rfc3339(),
                ago = ago(w),
            )
        })
        .collect();
    let empty = if widgets.is_empty() {
        "<tr><td colspan=\"7\" class=\"empty\">No widgets registered. Start one with <code>tessera-sidecar run DIR</code>.</td></tr>"
    } else {
        ""
    };
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Tessera registry</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #111827; }}
h1 {{ font-size: 1.4rem; margin: 0 0 .25rem; }}
p.summary {{ color: #4b5563; margin: 0 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th, td {{ text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }}
th {{ color: #6b7280; font-weight: 600; font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; }}
.dot {{ display: inline-block; width: .6rem; height: .6rem; border-radius: 50%; margin-right: .4rem; background: #10b981; }}
tr.offline .dot {{ background: #ef4444; }}
tr.offline {{ color: #6b7280; }}
.empty {{ color: #6b7280; }}
</style></head>
<body>
<h1>Tessera registry</h1>
<p class="summary">{total} widgets · {online} online · {offline} offline · {watchers} watchers · {engine} · <a href="/metrics">metrics</a> · <a href="/openapi.json">API</a> · <a href="/v2/apps">App Directory</a></p>
<table>
<thead><tr><th>Health</th><th>Widget</th><th>Version</th><th>Revision</th><th>Tag</th><th>Served from</th><th>Last heartbeat</th></tr></thead>
<tbody>{rows}{empty}</tbody>
</table>
</body></html>
"#,
        total = widgets.len(),
        offline = widgets.len() - online,
    )
}
