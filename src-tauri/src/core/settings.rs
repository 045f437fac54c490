//! The shell's settings: defaults < `TESSERA_*` environment < command-line flags.

/// Where the shell finds the registry unless told otherwise.
pub const DEFAULT_REGISTRY_URL: &str = "http://127.0.0.1:7410";

/// What `tessera --help` prints.
pub const USAGE: &str = "\
Tessera: a desktop workspace of web-component widgets.

Usage: tessera [--registry URL] [--empty] [--view LAYOUT_ID]

Options:
  --registry URL     the Tessera server (default http://127.0.0.1:7410; env TESSERA_REGISTRY_URL)
  --empty            start with an empty workspace instead of the demo layout (env TESSERA_DEMO_LAYOUT=0)
  --view LAYOUT_ID   open a shared layout in a locked view that follows its owner's saves
                     (env TESSERA_VIEW_LAYOUT)
  -h, --help         print this help
  -V, --version      print the version

Environment: TESSERA_USER_TOKEN (your token), TESSERA_LOG (log filter, e.g. debug).
Without them, the server and token kept at sign-in (~/.config/tessera/desktop.toml,
~/.config/tessera/user.token) are used; with no token the app opens at its sign-in screen.
";

/// What the command line asks for before any window is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Early {
    Help,
    Version,
}

/// `--help` or `--version` anywhere among the arguments: answered without a display.
pub fn early(args: &[String]) -> Option<Early> {
    args.iter().skip(1).find_map(|a| match a.as_str() {
        "-h" | "--help" => Some(Early::Help),
        "-V" | "--version" => Some(Early::Version),
        _ => None,
    })
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
}

impl Settings {
    /// Resolves settings from an environment lookup and the program arguments
    /// (`--registry URL`, `--empty`).
    pub fn resolve(
        env: impl Fn(&str) -> Option<String>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Settings, String> {
        let mut s = Settings {
            registry_url: env("TESSERA_REGISTRY_URL")
                .unwrap_or_else(|| DEFAULT_REGISTRY_URL.into()),
            demo_layout: env("TESSERA_DEMO_LAYOUT").is_none_or(|v| v != "0" && v != "false"),
            view: env("TESSERA_VIEW_LAYOUT").filter(|v| !v.is_empty()),
        };
        let mut args = args.into_iter().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--registry" => {
                    s.registry_url = args
                        .next()
                        .ok_or("--registry needs a URL, e.g. --registry http://127.0.0.1:7410")?
                }
                "--empty" => s.demo_layout = false,
                "--view" => {
                    s.view = Some(
                        args.next()
                            .ok_or("--view needs a layout id, e.g. --view 0193…")?,
                    )
                }
                other if other.starts_with("--registry=") => {
                    s.registry_url = other["--registry=".len()..].to_owned()
                }
                // WebDriver and the platform may add their own arguments.
                _ => {}
            }
        }
        url::Url::parse(&s.registry_url)
            .map_err(|e| format!("registry URL {:?} is not valid: {e}", s.registry_url))?;
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
        assert_eq!(early(&args(&["--help"])), Some(Early::Help));
        assert_eq!(early(&args(&["--empty", "-V"])), Some(Early::Version));
        assert_eq!(early(&args(&["--empty"])), None);
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

    #[test]
    fn a_bad_url_is_reported() {
        let e = Settings::resolve(|_| None, args(&["--registry", "nope"])).unwrap_err();
        assert!(e.contains("\"nope\""), "{e}");
    }
}
