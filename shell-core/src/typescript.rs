//! The TypeScript of what the Rust core and the page say to each other,
//! generated from the Rust types (ts-rs), so it is written once:
//! - `web/src/generated/bus.ts`: the bus protocol, which the shell page
//!   (`bus.ts`, the backend) and the widget SDK (`sdk/fdc3.ts`) import;
//! - `web/src/generated/shell.ts`: the core's own command answers and event
//!   payloads ([`crate::page`], the catalogue link, drafts, sharing's
//!   directory, following a layout), which name the server's types through
//!   its OpenAPI-generated `server.ts`.
//!
//! The tests below fail when a file is stale; `UPDATE_GENERATED=1 cargo test
//! -p tessera-shell-core typescript` writes them afresh.

#[cfg(test)]
mod tests {
    use ts_rs::{Config, TS};

    const WEB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src/generated/");

    fn config() -> Config {
        // serde_json writes every integer as a JSON number.
        Config::new().with_large_int("number")
    }

    /// `head`, then each declaration exported.
    fn file(head: &str, decls: &[String]) -> String {
        let mut out = format!(
            "// Generated from the Rust types of shell-core (ts-rs) by\n\
             // `UPDATE_GENERATED=1 cargo test -p tessera-shell-core typescript`; do not edit.\n{head}\n"
        );
        for d in decls {
            out.push_str("export ");
            out.push_str(d.trim());
            out.push_str("\n\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// The file `name` must be `want`; with `UPDATE_GENERATED=1` it is written first.
    fn check(name: &str, want: String) {
        let path = format!("{WEB}{name}");
        if std::env::var("UPDATE_GENERATED").as_deref() == Ok("1") {
            std::fs::write(&path, &want).unwrap_or_else(|e| panic!("write {path}: {e}"));
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "web/src/generated/{name} is not what the Rust types generate: run \
             `UPDATE_GENERATED=1 cargo test -p tessera-shell-core typescript` and commit it"
        );
    }

    #[test]
    fn the_typescript_bus_types_are_those_of_the_rust_types() {
        use crate::bus::channels::{ChannelInfo, DisplayMetadata};
        use crate::bus::inspector::{BusStats, Inspected};
        use crate::bus::protocol::{Candidate, Metadata, Op, Outgoing, Source, ToPanel, ToShell};
        use crate::bus::service::Call;

        let cfg = config();
        let decls = [
            serde_json::Value::decl(&cfg),
            Call::decl(&cfg),
            Op::decl(&cfg),
            Outgoing::decl(&cfg),
            ToPanel::decl(&cfg),
            ToShell::decl(&cfg),
            Metadata::decl(&cfg),
            Source::decl(&cfg),
            Candidate::decl(&cfg),
            ChannelInfo::decl(&cfg),
            DisplayMetadata::decl(&cfg),
            Inspected::decl(&cfg),
            BusStats::decl(&cfg),
        ];
        check("bus.ts", file("", &decls));
    }

    #[test]
    fn the_typescript_shell_types_are_those_of_the_rust_types() {
        use crate::page::{OpenRequest, PopoutPanel, ShellInfo, SignInStatus, WindowRect};

        let cfg = config();
        let decls = [
            ShellInfo::decl(&cfg),
            OpenRequest::decl(&cfg),
            SignInStatus::decl(&cfg),
            crate::follow::Link::decl(&cfg),
            crate::layouts::Directory::decl(&cfg),
            crate::drafts::Draft::decl(&cfg),
            tessera_layouts::client::Follow::decl(&cfg),
            PopoutPanel::decl(&cfg),
            WindowRect::decl(&cfg),
        ];
        let head = "import type { components } from './server';\n\n\
                    type Schemas = components['schemas'];\n";
        check("shell.ts", file(head, &decls));
    }
}
