//! Pages for the scaler catalogue (`rules/scalers/<type>.md`, `kedalint explain scaler <type>`):
//! what kedalint knows of each scaler's parameters, generated from rules/scalers.yaml so that the
//! pages and the checks cannot disagree.

use crate::scalers::{Catalogue, From, Param, ParamType, Removal};
use std::fmt::Write;

fn version((major, minor): (u32, u32)) -> String {
    format!("{major}.{minor}")
}

fn sources(p: &Param) -> String {
    let names: Vec<&str> = [(From::Metadata, "metadata"), (From::Auth, "TriggerAuthentication"), (From::Env, "`<name>FromEnv`")]
        .iter()
        .filter(|(f, _)| p.reads(*f))
        .map(|(_, n)| *n)
        .collect();
    names.join(", ")
}

fn kind(t: ParamType) -> &'static str {
    match t {
        ParamType::String => "string",
        ParamType::Int => "integer",
        ParamType::Float => "number",
        ParamType::Bool => "boolean",
        ParamType::Duration => "duration",
        ParamType::List => "list",
        ParamType::Map => "map (`k=v,...`)",
    }
}

fn removal(r: &Removal) -> String {
    let what = if r.error { "KEDA fails the scaler" } else { "ignored" };
    let until = r.until.map_or(String::new(), |u| format!(" (ignored from {})", version(u)));
    format!("removed in {}: {what}{until}. {}", version(r.since), cell(&r.message))
}

/// Markdown table cells: no pipes or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The page of scaler `ty`, or `None` when kedalint does not know the type.
pub fn page(ty: &str) -> Option<String> {
    let catalogue = Catalogue::get();
    let info = catalogue.types.get(ty)?;
    let mut out = format!("# Scaler `{ty}`\n\n");
    if let Some(s) = info.since {
        let _ = writeln!(out, "Built by KEDA from {} on.\n", version(s));
    }
    if let Some(r) = info.removed {
        let _ = writeln!(out, "Removed in KEDA {}{}.\n", version(r), info.replacement.as_ref().map_or(String::new(), |n| format!("; use `{n}`")));
    }
    let Some(scaler) = catalogue.scaler(ty) else {
        out.push_str("Known as a trigger type; its parameters are not catalogued.\n");
        return Some(out);
    };
    if !scaler.source.is_empty() {
        let _ = writeln!(out, "Source: kedacore/keda v2.20.2 `{}`.\n", cell(&scaler.source));
    }
    if scaler.open {
        out.push_str("KEDA hands every metadata key to the external scaler, so no key is unknown here; the parameters below are the ones KEDA itself reads.\n\n");
    }
    let required: Vec<&str> = scaler.params.iter().filter(|p| p.required.as_deref() == Some("true")).map(|p| p.name.as_str()).collect();
    let mut groups: Vec<&str> = scaler.params.iter().filter_map(|p| p.required.as_deref()).filter(|r| *r != "true").collect();
    groups.dedup();
    out.push_str("Checked by `unknown-trigger-parameter`, `missing-trigger-parameter`, `invalid-trigger-parameter`, `deprecated-trigger-parameter`, `zero-metric-target` and `unused-auth-parameter`.\n\n");
    if !required.is_empty() {
        let _ = writeln!(out, "Required: {}.\n", required.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "));
    }
    for g in &groups {
        let members: Vec<String> = scaler.params.iter().filter(|p| p.required.as_deref() == Some(*g)).map(|p| format!("`{}`", p.name)).collect();
        let _ = writeln!(out, "At least one of: {}.\n", members.join(", "));
    }
    out.push_str("| parameter | read from | required | type | default | allowed values | notes |\n|---|---|---|---|---|---|---|\n");
    for p in &scaler.params {
        let req = match p.required.as_deref() {
            Some("true") => "yes".to_owned(),
            Some(g) => format!("one of `{g}`"),
            None => String::new(),
        };
        let mut notes = Vec::new();
        if p.target {
            notes.push("the HPA's metric target".to_owned());
        }
        if let Some(d) = &p.deprecated {
            notes.push(format!("deprecated: {}", cell(d)));
        }
        if let Some(r) = &p.removed {
            notes.push(removal(r));
        }
        let values = p.values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
        let default = p.default.as_ref().map_or(String::new(), |d| format!("`{}`", cell(d)));
        let _ = writeln!(out, "| `{}` | {} | {req} | {} | {default} | {values} | {} |", p.name, sources(p), kind(p.ty), notes.join("; "));
    }
    if !scaler.replaced.is_empty() {
        out.push_str("\nNo longer read:\n\n");
        for (name, r) in &scaler.replaced {
            let _ = writeln!(out, "- `{name}`: {}", removal(r));
        }
    }
    if !scaler.conflicts.is_empty() {
        out.push_str("\nNot together (KEDA fails the scaler):\n\n");
        for (a, b, message) in &scaler.conflicts {
            let _ = writeln!(out, "- `{a}` and `{b}`: {}", cell(message));
        }
    }
    let _ = writeln!(out, "\nExample: [`fixtures/scalers/{ty}.yaml`](../../fixtures/scalers/{ty}.yaml).");
    Some(out)
}

/// The types that get a page: every type KEDA v2.20.2 builds or built.
pub fn documented() -> Vec<&'static str> {
    Catalogue::get().types.keys().map(String::as_str).filter(|t| page(t).is_some()).collect()
}

/// `rules/scalers/README.md`.
pub fn index() -> String {
    let catalogue = Catalogue::get();
    let mut out = String::from("# Scalers\n\nEvery trigger type kedalint knows, from rules/scalers.yaml (KEDA v2.20.2). Generated: `kedalint rules --format md --output-dir rules`.\n\n| type | parameters | since / removed |\n|---|---:|---|\n");
    for ty in documented() {
        let info = &catalogue.types[ty];
        let n = catalogue.scaler(ty).map_or(0, |s| s.params.len());
        let when = match (info.since, info.removed) {
            (Some(s), _) if s > crate::config::LATEST_KEDA => format!("after {} (not built by 2.20.2)", version(crate::config::LATEST_KEDA)),
            (Some(s), None) => format!("since {}", version(s)),
            (_, Some(r)) => format!("removed in {}", version(r)),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "| [`{ty}`]({ty}.md) | {n} | {when} |");
    }
    out
}
