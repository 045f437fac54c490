//! The bus protocol in TypeScript, generated from the Rust types (ts-rs):
//! `web/src/generated/bus.ts`, which the shell page (`bus.ts`, the
//! backend) and the widget SDK (`sdk/fdc3.ts`) import. The test below fails
//! when the file is stale; `UPDATE_GENERATED=1 cargo test -p
//! tessera-shell-core typescript` writes it afresh.

#[cfg(test)]
mod tests {
    use ts_rs::{Config, TS};

    use crate::bus::channels::{ChannelInfo, DisplayMetadata};
    use crate::bus::inspector::{BusStats, Inspected};
    use crate::bus::protocol::{Candidate, Metadata, Op, Outgoing, Source, ToPanel, ToShell};
    use crate::bus::service::Call;

    const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src/generated/bus.ts");

    fn generated() -> String {
        // serde_json writes every integer as a JSON number.
        let cfg = Config::new().with_large_int("number");
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
        let mut out = String::from(
            "// Generated from the Rust types of shell-core/src/bus (ts-rs) by\n\
             // `UPDATE_GENERATED=1 cargo test -p tessera-shell-core typescript`; do not edit.\n\n",
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

    #[test]
    fn the_typescript_bus_types_are_those_of_the_rust_types() {
        let want = generated();
        if std::env::var("UPDATE_GENERATED").as_deref() == Ok("1") {
            std::fs::write(FILE, &want).expect("write web/src/generated/bus.ts");
        }
        let have = std::fs::read_to_string(FILE).unwrap_or_default();
        assert!(
            have == want,
            "web/src/generated/bus.ts is not what the Rust bus types generate: run \
             `UPDATE_GENERATED=1 cargo test -p tessera-shell-core typescript` and commit it"
        );
    }
}
