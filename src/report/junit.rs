//! JUnit XML, for CI systems that show test reports: one test case per file read, failing with one
//! `<failure>` per error or warning in it (infos are `<system-out>`).

use super::primary_location;
use crate::diagnostic::Severity;
use crate::engine::Outcome;

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

pub fn render(outcome: &Outcome) -> String {
    let idx = &outcome.index;
    let mut cases = String::new();
    let mut failures = 0;
    for (id, f) in idx.files.iter().enumerate() {
        let path = super::sarif::relative_uri(&f.path().display().to_string());
        let ds: Vec<_> = outcome.diagnostics.iter().filter(|d| d.file() == id).collect();
        let failing: Vec<_> = ds.iter().filter(|d| d.severity >= Severity::Warning).collect();
        cases.push_str(&format!("    <testcase classname=\"kedalint\" name=\"{}\">\n", xml(&path)));
        if !failing.is_empty() {
            failures += 1;
            let body: String = failing
                .iter()
                .map(|d| {
                    let l = primary_location(idx, d);
                    format!("{}:{}:{}: {} [{}] {}\n", path, l.start.line, l.start.column, d.severity.as_str(), d.rule, d.message)
                })
                .collect();
            cases.push_str(&format!(
                "      <failure message=\"{} finding(s)\" type=\"{}\">{}</failure>\n",
                failing.len(),
                failing.iter().map(|d| d.rule).collect::<Vec<_>>().join(","),
                xml(&body)
            ));
        }
        let infos: String = ds.iter().filter(|d| d.severity == Severity::Info).map(|d| format!("{} [{}]\n", d.message, d.rule)).collect();
        if !infos.is_empty() {
            cases.push_str(&format!("      <system-out>{}</system-out>\n", xml(&infos)));
        }
        cases.push_str("    </testcase>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kedalint\" tests=\"{0}\" failures=\"{failures}\">\n  <testsuite name=\"kedalint\" tests=\"{0}\" failures=\"{failures}\">\n{cases}  </testsuite>\n</testsuites>\n",
        idx.files.len()
    )
}
