//! The shell's settings: defaults < `TESSERA_*` environment < command-line
//! flags, parsed with clap.

use clap::{Parser, Subcommand};
use tessera_layouts::links::{LayoutLink, LinkError};

/// Where the shell finds the registry unless told otherwise.
pub const DEFAULT_REGISTRY_URL: &str = "http://127.0.0.1:7410";

/// What `tessera --help` shows after the options.
const EXAMPLES: &str = "\
Examples:
  tessera                                    the workspace (sign in on first start)
  tessera open lay_3kT9vQ2mXo8b              open a layout by its id
  tessera open lay_3kT9vQ2mXo8b --view       open it read-only, following its owner's saves
  tessera 'tessera://view/lay_3kT9vQ2mXo8b?server=https%3A%2F%2Ftessera.example.com'
                                             what the desktop runs when a link is clicked
  tessera --server https://tessera.example.com

A link given while Tessera runs opens in the running app.

Environment: TESSERA_REGISTRY_URL (the server), TESSERA_USER_TOKEN (your token),
TESSERA_VIEW_LAYOUT, TESSERA_DEMO_LAYOUT=0, TESSERA_LOG (log filter, e.g. debug).
Without them, the server and token kept at sign-in (~/.config/tessera/desktop.toml,
~/.config/tessera/user.token) are used; with no token the app opens at its sign-in screen.
";

/// Tessera: a desktop workspace of web-component widgets.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, after_help = EXAMPLES)]
struct Cli {
    /// The Tessera server [default: the one signed in to, else http://127.0.0.1:7410]
    #[arg(long, visible_alias = "registry", value_name = "URL", global = true)]
    server: Option<String>,
    /// Start with an empty workspace instead of the demo layout
    #[arg(long)]
    empty: bool,
    /// Open a shared layout in a locked view that follows its owner's saves
    #[arg(long, value_name = "LAYOUT_ID")]
    view: Option<String>,
    /// A link to open: tessera://layout/<id>, tessera://view/<id>,
    /// tessera://invite/<code>, or https://<server>/l/<id>
    #[arg(value_name = "LINK")]
    link: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open a layout: by id or by any of its links
    Open {
        /// A layout id, or a tessera:// or https://<server>/l/<id> link
        target: String,
        /// Read-only, in the locked viewer that follows its owner's saves
        #[arg(long)]
        view: bool,
    },
}

/// Arguments the platform adds when it starts the app (WebKitWebDriver's
/// `--automation`), not the user's.
const PLATFORM_ARGS: &[&str] = &["--automation"];

/// What to open first: a layout (in the workspace, or locked with `view`),
/// or an invitation to sign in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening {
    Layout(LayoutLink),
    Invitation(String),
}

impl Opening {
    /// Reads a link (or a layout id) as given on the command line or by the OS.
    pub fn parse(raw: &str) -> Result<Opening, LinkError> {
        if raw.trim().starts_with("tessera://invite/") {
            return Ok(Opening::Invitation(raw.trim().to_owned()));
        }
        LayoutLink::parse(raw).map(Opening::Layout)
    }
}

/// Why no window can be opened, when the environment names no display: one
/// line for the user instead of a toolkit backtrace.
pub fn display_problem(env: impl Fn(&str) -> Option<String>) -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let set = |k: &str| env(k).is_some_and(|v| !v.is_empty());
    (!set("DISPLAY") && !set("WAYLAND_DISPLAY")).then(|| {
        "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset): \
         start Tessera from a desktop session, or under Xvfb with `xvfb-run tessera`"
            .to_owned()
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub registry_url: String,
    /// Open the bundled demo layout on start (off gives an empty workspace).
    pub demo_layout: bool,
    /// Show this saved layout in a locked view that follows its owner's saves.
    pub view: Option<String>,
    /// A link given on the command line, opened once the app is up.
    pub opening: Option<Opening>,
}

impl Settings {
    /// Resolves settings from an environment lookup and the program
    /// arguments. `Err` is clap's, help and version included: `.exit()`
    /// prints it and ends the process with the right status.
    pub fn resolve(
        env: impl Fn(&str) -> Option<String>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Settings, clap::Error> {
        let cli = Cli::try_parse_from(
            args.into_iter()
                .filter(|a| !PLATFORM_ARGS.contains(&a.as_str())),
        )?;
        let invalid = |message: String| {
            use clap::CommandFactory;
            Cli::command().error(clap::error::ErrorKind::InvalidValue, message)
        };
        let (target, view_flag) = match cli.command {
            Some(Command::Open { target, view }) => (Some(target), view),
            None => (cli.link, false),
        };
        let mut opening = target
            .map(|t| Opening::parse(&t).map_err(|e| invalid(e.to_string())))
            .transpose()?;
        if let Some(Opening::Layout(link)) = &mut opening {
            link.view |= view_flag;
        }
        let mut s = Settings {
            registry_url: cli
                .server
                .or_else(|| env("TESSERA_REGISTRY_URL"))
                .unwrap_or_else(|| DEFAULT_REGISTRY_URL.into()),
            demo_layout: !cli.empty
                && env("TESSERA_DEMO_LAYOUT").is_none_or(|v| v != "0" && v != "false"),
            view: cli
                .view
                .or_else(|| env("TESSERA_VIEW_LAYOUT").filter(|v| !v.is_empty())),
            opening: None,
        };
        // A view link at start makes the main window the locked viewer.
        match opening {
            Some(Opening::Layout(link)) if link.view && s.view.is_none() => {
                s.view = Some(link.id.clone());
                s.opening = Some(Opening::Layout(link));
            }
            other => s.opening = other,
        }
        url::Url::parse(&s.registry_url)
            .map_err(|e| invalid(format!("server URL {:?} is not valid: {e}", s.registry_url)))?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        std::iter::once("tessera")
            .chain(a.iter().copied())
            .map(String::from)
            .collect()
    }

    #[test]
    fn flags_beat_environment_beats_defaults() {
        let none = |_: &str| None;
        assert_eq!(
            Settings::resolve(none, args(&[])).unwrap().registry_url,
            DEFAULT_REGISTRY_URL
        );
        let env = |k: &str| (k == "TESSERA_REGISTRY_URL").then(|| "http://127.0.0.1:1".to_string());
        assert_eq!(
            Settings::resolve(env, args(&[])).unwrap().registry_url,
            "http://127.0.0.1:1"
        );
        let s =
            Settings::resolve(env, args(&["--registry", "http://127.0.0.1:2", "--empty"])).unwrap();
        assert_eq!(s.registry_url, "http://127.0.0.1:2");
        assert!(!s.demo_layout);
    }

    /// Issue 14, item 11: help and version need no display; no display is
    /// one clear line.
    #[test]
    fn regression_14_11_help_and_no_display() {
        let help = Settings::resolve(|_| None, args(&["--help"])).unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
        assert!(help.to_string().contains("tessera open"), "{help}");
        let version = Settings::resolve(|_| None, args(&["--empty", "-V"])).unwrap_err();
        assert_eq!(version.kind(), clap::error::ErrorKind::DisplayVersion);
        let problem = display_problem(|_| None).expect("no display is a problem");
        assert!(
            problem.contains("DISPLAY") && !problem.contains('\n'),
            "{problem}"
        );
        assert_eq!(
            display_problem(|k| (k == "DISPLAY").then(|| ":0".into())),
            None
        );
        assert_eq!(
            display_problem(|k| (k == "WAYLAND_DISPLAY").then(|| "wayland-0".into())),
            None
        );
    }

    /// Issue 12: `tessera open`, a link as the OS passes it, and `--server`.
    #[test]
    fn links_and_open_on_the_command_line() {
        let none = |_: &str| None;
        let s = Settings::resolve(none, args(&["open", "lay_1"])).unwrap();
        assert_eq!(
            s.opening,
            Some(Opening::Layout(LayoutLink::new("lay_1", false, None)))
        );
        assert_eq!(s.view, None);
        let s = Settings::resolve(none, args(&["open", "lay_1", "--view"])).unwrap();
        assert_eq!(
            s.view.as_deref(),
            Some("lay_1"),
            "a view link locks the window"
        );
        let s = Settings::resolve(
            none,
            args(&[
                "--server",
                "http://10.1.2.3:7410",
                "tessera://layout/lay_2?server=http%3A%2F%2F10.1.2.3%3A7410",
            ]),
        )
        .unwrap();
        assert_eq!(s.registry_url, "http://10.1.2.3:7410");
        assert_eq!(
            s.opening,
            Some(Opening::Layout(LayoutLink::new(
                "lay_2",
                false,
                Some("http://10.1.2.3:7410")
            )))
        );
        let s =
            Settings::resolve(none, args(&["tessera://invite/tsi_abc?server=http://a"])).unwrap();
        assert!(matches!(s.opening, Some(Opening::Invitation(_))));
        let e = Settings::resolve(none, args(&["open", "../etc"])).unwrap_err();
        assert!(e.to_string().contains("not a layout id"), "{e}");
        let e = Settings::resolve(none, args(&["--bogus"])).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument);
        // The old flag and the driver's argument keep working.
        let s = Settings::resolve(
            none,
            args(&["--automation", "--registry=http://127.0.0.1:9"]),
        )
        .unwrap();
        assert_eq!(s.registry_url, "http://127.0.0.1:9");
    }

    #[test]
    fn a_bad_url_is_reported() {
        let e = Settings::resolve(|_| None, args(&["--registry", "nope"])).unwrap_err();
        assert!(e.to_string().contains("\"nope\""), "{e}");
    }
}
