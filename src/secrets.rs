//! Credentials written in plain text in KEDA objects, found once and used twice: by the
//! `plaintext-secret` rule, and by the engine, which masks every secret in the source text before
//! anything is reported, so no output format and no snapshot ever shows one.

use crate::model::{Kind, Object};
use crate::source::Span;
use crate::yaml::Node;

#[derive(Debug, Clone, PartialEq)]
pub struct Secret {
    /// The bytes to mask (the secret itself; for a URL, only its password).
    pub span: Span,
    /// The value node that holds it (the label goes there).
    pub value_span: Span,
    /// The metadata key or field it was found under.
    pub key: String,
    pub what: &'static str,
    /// A `plaintext-secret` finding: a credential where KEDA reads it. `false` for values that
    /// are only masked (a Secret's or ConfigMap's data, which is where credentials belong).
    pub reported: bool,
    /// The secret's text, to scrub from any finding's message that quotes it (a schema message
    /// about `password: 987654321` names the number).
    pub text: Box<str>,
}

/// Metadata keys whose value is a credential (matched case-insensitively, also with a `FromEnv`
/// suffix removed: the `FromEnv` form names a variable and is fine).
const SECRET_KEYS: &[&str] = &[
    "password", "passwd", "apikey", "api_key", "apitoken", "token", "authtoken", "bearertoken", "accesstoken", "secret",
    "clientsecret", "secretkey", "secretaccesskey", "awssecretaccesskey", "sastoken", "sharedaccesskey", "accountkey",
    "connection", "connectionstring", "keypassword", "sentinelpassword", "privatekey", "applicationkey", "appkey",
];

fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    SECRET_KEYS.contains(&k.as_str())
}

/// The password of a `scheme://user:password@host` URL, as a byte range within `text`. As Go's
/// `url.Parse` reads it (what KEDA's scalers use): the authority ends at the first `/`, `?` or
/// `#`, and the user information at its *last* `@`, so `user:P4ss@word@host` has the password
/// `P4ss@word`.
fn url_password(text: &str) -> Option<std::ops::Range<usize>> {
    let scheme_end = text.find("://")? + 3;
    let rest = &text[scheme_end..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let colon = userinfo.find(':')?;
    let pw = &userinfo[colon + 1..];
    if pw.is_empty() || pw.starts_with('$') || pw.starts_with('{') {
        return None;
    }
    Some(scheme_end + colon + 1..scheme_end + at)
}

/// `...;SharedAccessKey=xyz;...`, `AccountKey=...`, `Password=...` in a connection string.
fn connection_string_secret(text: &str) -> Option<std::ops::Range<usize>> {
    if !text.contains('=') {
        return None;
    }
    for key in ["SharedAccessKey=", "AccountKey=", "Password=", "password=", "Pwd=", "pwd="] {
        if let Some(i) = text.find(key) {
            let start = i + key.len();
            let end = text[start..].find(';').map_or(text.len(), |e| start + e);
            if end > start {
                return Some(start..end);
            }
        }
    }
    None
}

/// Well-known token formats anywhere in a value.
fn known_token(text: &str) -> Option<(std::ops::Range<usize>, &'static str)> {
    // Every format below is at least 20 bytes long.
    if text.len() < 20 {
        return None;
    }
    let b = text.as_bytes();
    let token_end = |from: usize| from + text[from..].bytes().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-')).count();
    for (prefix, what, min) in [("hvs.", "a Vault token", 24), ("hvb.", "a Vault token", 24), ("AKIA", "an AWS access key id", 20), ("ASIA", "an AWS access key id", 20), ("ghp_", "a GitHub token", 30), ("github_pat_", "a GitHub token", 30), ("glpat-", "a GitLab token", 20), ("xoxb-", "a Slack token", 20), ("xoxp-", "a Slack token", 20), ("sk_live_", "a Stripe key", 20)] {
        if let Some(i) = text.find(prefix) {
            let end = token_end(i + prefix.len());
            if end - i >= min {
                return Some((i..end, what));
            }
        }
    }
    if let Some(i) = text.find("-----BEGIN")
        && text[i..].contains("PRIVATE KEY-----") {
            return Some((i..b.len(), "a private key"));
        }
    None
}

/// Where in the value node the text lives: for a plain or quoted scalar, the node span minus the
/// quotes. Escapes inside double quotes could shift offsets; then the whole value is masked.
fn text_offset(node: &Node, source: &str) -> Option<usize> {
    let raw = source.get(node.span.clone())?;
    let text = node.text()?;
    raw.find(text).map(|i| node.span.start + i)
}

fn check_value(key: &str, node: &Node, source: &str, out: &mut Vec<Secret>) {
    check_value_as(key, key, node, source, out);
}

/// [`check_value`] for a value found under `shown_key` but judged as if its key were `key`.
fn check_value_as(key: &str, shown_key: &str, node: &Node, source: &str, out: &mut Vec<Secret>) {
    // Any scalar: `password: 987654321` is a credential, whatever type YAML gives it.
    let Some(scalar) = node.as_scalar().filter(|s| s.resolve() != crate::yaml::Resolved::Null) else { return };
    let text = scalar.text.as_str();
    if text.trim().is_empty() {
        return;
    }
    // Searched for only once a secret is found: most values hold none.
    let at = |r: std::ops::Range<usize>| text_offset(node, source).map_or(node.span.clone(), |b| b + r.start..b + r.end);
    let secret = |span: Span, what| {
        let text = source.get(span.clone()).unwrap_or_default().into();
        Secret { span, value_span: node.span.clone(), key: shown_key.to_owned(), what, reported: true, text }
    };
    if let Some(r) = url_password(text) {
        out.push(secret(at(r), "a URL with a password"));
    } else if let Some(r) = connection_string_secret(text) {
        out.push(secret(at(r), "a connection string with a key"));
    } else if let Some((r, what)) = known_token(text) {
        out.push(secret(at(r), what));
    } else if is_secret_key(key) && !text.starts_with("$(") {
        out.push(secret(at(0..text.len()), "a credential"));
    }
}

/// Every value of a Secret's or ConfigMap's data, to mask (not to report: that is where they belong).
fn data_values(obj: &Object, out: &mut Vec<Secret>) {
    for key in ["data", "stringData", "binaryData"] {
        for e in obj.node.get(key).and_then(Node::as_map).unwrap_or_default() {
            if e.value.as_scalar().is_some() && !e.value.span.is_empty() {
                let name = e.key.text().unwrap_or_default().to_owned();
                out.push(Secret { span: e.value.span.clone(), value_span: e.value.span.clone(), key: name, what: "a data value", reported: false, text: "".into() });
            }
        }
    }
}

/// Plaintext credentials in an object's trigger metadata (ScaledObject, ScaledJob) or in a
/// TriggerAuthentication's inline Vault token; and, to mask only, a Secret's or ConfigMap's data.
pub fn find(obj: &Object, source: &str) -> Vec<Secret> {
    let mut out = Vec::new();
    match obj.kind {
        Kind::ScaledObject | Kind::ScaledJob => {
            for t in obj.triggers() {
                for e in t.metadata.and_then(Node::as_map).unwrap_or_default() {
                    let Some(key) = e.key.text() else { continue };
                    if key.ends_with("FromEnv") {
                        continue;
                    }
                    check_value(key, &e.value, source, &mut out);
                }
            }
        }
        Kind::TriggerAuthentication | Kind::ClusterTriggerAuthentication => {
            if let Some(token) = obj.spec().and_then(|s| s.at(&["hashiCorpVault", "credential", "token"])) {
                check_value_as("token", "hashiCorpVault.credential.token", token, source, &mut out);
            }
        }
        Kind::Secret => data_values(obj, &mut out),
        Kind::Other if obj.kind_str() == "ConfigMap" => data_values(obj, &mut out),
        _ => {}
    }
    out
}

/// Lines that read like `password: hunter2` (or hold a URL password, a connection string's key,
/// a known token), found in the text rather than the tree: for the parts of a file that did not
/// parse, where no object was built, but whose lines a snippet may still show. Every `key: value`
/// of a line is looked at, flow mappings (`{user: a, password: b}`) included.
pub fn in_lines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let body = body.split(" #").next().unwrap_or_default();
        let mut from = 0;
        while let Some(colon) = body[from..].find(": ").map(|c| from + c) {
            from = colon + 2;
            let key_start = body[..colon].rfind(['{', ',', ' ', '[', '\t']).map_or(0, |i| i + 1);
            let key = body[key_start..colon].trim_matches(['"', '\'']);
            let in_flow = body[..colon].contains('{');
            let rest = &body[from..];
            let len = if in_flow { rest.find([',', '}']).unwrap_or(rest.len()) } else { rest.len() };
            let raw = rest[..len].trim_end();
            let lead = raw.len() - raw.trim_start().len();
            let mut value = raw.trim_start();
            let mut start = at + from + lead;
            if value.len() >= 2 && (value.starts_with('"') && value.ends_with('"') || value.starts_with('\'') && value.ends_with('\'')) {
                value = &value[1..value.len() - 1];
                start += 1;
            }
            if value.is_empty() || value.starts_with(['&', '*', '!', '|', '>', '$', '{', '[']) {
                continue;
            }
            if let Some(r) = url_password(value).or_else(|| connection_string_secret(value)).or_else(|| known_token(value).map(|(r, _)| r)) {
                out.push(start + r.start..start + r.end);
            } else if is_secret_key(key) && !key.ends_with("FromEnv") {
                out.push(start..start + value.len());
            }
        }
    }
    out
}

/// `text` as reports may show it: the `secrets` found in its objects, and every line that reads
/// like one ([`in_lines`]: what did not parse has no objects), replaced by `*`.
pub fn masked(text: &str, secrets: &[Span]) -> String {
    let mut all = in_lines(text);
    all.extend(secrets.iter().cloned());
    mask(text, &all)
}

/// `text` with every secret's bytes replaced by `*` (byte lengths, and so all spans, unchanged).
pub fn mask(text: &str, secrets: &[Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for s in secrets {
        for b in bytes.iter_mut().take(s.end.min(text.len())).skip(s.start) {
            *b = b'*';
        }
    }
    // Replacing whole multi-byte characters byte by byte with ASCII keeps the text valid UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_secret_part() {
        assert_eq!(url_password("amqp://guest:s3cr3t@rabbitmq:5672/"), Some(13..19));
        assert_eq!(url_password("amqp://rabbitmq:5672"), None);
        assert_eq!(url_password("http://user@host"), None);
        // Go splits the user information at the last `@` of the authority.
        let u = "amqp://user:P4ss@word@rabbit:5672/vhost?x=a@b";
        assert_eq!(&u[url_password(u).unwrap()], "P4ss@word");
        assert!(known_token("hvs.CAESIJlU9WSZkOdIT9kFd0").is_some());
        let cs = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=all;SharedAccessKey=abc123=;EntityPath=q";
        assert_eq!(&cs[connection_string_secret(cs).unwrap()], "abc123=");
        assert!(known_token("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(is_secret_key("password") && is_secret_key("apiKey") && !is_secret_key("queueName"));
    }

    #[test]
    fn lines_that_read_like_secrets() {
        let text = "spec:\n  password: 987654321\n  host: \"amqp://u:p4ss@h/\"\n  passwordFromEnv: PW\n  name: web\n  - {token: 'abc'}\n    metadata: {user: a, password: hunter22, x: [\n";
        let got: Vec<&str> = in_lines(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["987654321", "p4ss", "abc", "hunter22"]);
    }

    #[test]
    fn masking_keeps_offsets() {
        let t = "pw: ünïcödé\n";
        let m = mask(t, &[4..t.len() - 1]);
        assert_eq!(m.len(), t.len());
        assert!(m.starts_with("pw: ***"));
    }
}
