//! What the Rust core tells the shell page that no server defines: the
//! answers of its own commands and the payloads of its events. Their
//! TypeScript (`web/src/generated/shell.ts`) is generated from these types
//! (`shell-core/src/typescript.rs`); the server's types come from its OpenAPI document.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tessera_layouts::api::UserInfo;

use crate::settings::Opening;

/// This window and how the app was started (`shell_info`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ShellInfo {
    pub registry_url: String,
    pub version: String,
    /// The label of the window asking.
    pub window: String,
    /// A layout to show locked and follow (`--view`).
    pub view: Option<String>,
    /// A link from the command line to open once the page is up (main window only).
    pub opening: Option<OpenRequest>,
}

/// A link to open: from the command line, or handed over by a later start
/// (the `open-link` event and `shell_info`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OpenRequest {
    Layout {
        id: String,
        view: bool,
        /// The server the link names, if it does (the page checks it is
        /// the one signed in to).
        server: Option<String>,
        link: String,
    },
    Invitation {
        link: String,
    },
    /// A link that could not be read, and why.
    Error {
        message: String,
    },
}

impl From<&Opening> for OpenRequest {
    fn from(o: &Opening) -> OpenRequest {
        match o {
            Opening::Layout(l) => OpenRequest::Layout {
                id: l.id.clone(),
                view: l.view,
                server: l.server.clone(),
                link: l.to_string(),
            },
            Opening::Invitation(link) => OpenRequest::Invitation { link: link.clone() },
        }
    }
}

/// Who is signed in where (`signin_status`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SignInStatus {
    /// The server this desktop uses.
    pub server: String,
    /// Who is signed in there; `None`: show the sign-in screen.
    #[cfg_attr(test, ts(type = "Schemas['UserInfo'] | null"))]
    pub user: Option<UserInfo>,
    /// Why the stored sign-in does not work, if it does not.
    pub problem: Option<String>,
    /// Whether a token is stored (or given in the environment).
    pub has_token: bool,
    /// Whether the server answered (a desktop with a token and an
    /// unreachable server starts anyway, and says the server is offline).
    pub reachable: bool,
    /// Servers used before, most recent first.
    pub recent: Vec<String>,
}

/// The panel a pop-out window holds (`popout_info`, the `dock-panel` event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PopoutPanel {
    pub panel: String,
    pub widget: String,
    pub title: String,
    /// The widget's own state, which only the widget reads.
    #[cfg_attr(test, ts(type = "unknown"))]
    pub state: Value,
    pub channel: Option<String>,
}

/// Where a pop-out window is and how big, in logical pixels (the layout
/// document's `popouts`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WindowRect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}
