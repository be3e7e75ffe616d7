use super::{declare_rule, source_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file kedalint could not read as text: an I/O error, a file larger than
    /// `max-file-size` (64 MiB by default), bytes that are not UTF-8, or NUL bytes (a binary file
    /// with a YAML name), and a symbolic link that leads out of the linted tree or in a loop.
    ///
    /// ## Why is this bad?
    /// Nothing in such a file is linted, and Kubernetes tools cannot read it either. The finding
    /// says where the problem starts (the first invalid byte), so the rest of the run goes on.
    ///
    /// ## Example
    /// ```text
    /// a manifest saved as UTF-16, or a YAML file containing a NUL byte
    /// ```
    ///
    /// Use instead:
    /// ```text
    /// save manifests as UTF-8 text
    /// ```
    ///
    /// ## References
    /// - YAML 1.2.2 §5.2 character encodings, https://yaml.org/spec/1.2.2/#52-character-encodings
    pub UnreadableFile {
        name: "unreadable-file",
        category: Correctness,
        kinds: [],
        summary: "a file could not be read as UTF-8 text",
        since: "0.1.0",
        sources: ["https://yaml.org/spec/1.2.2/#52-character-encodings"],
    }
}
source_rule!(UnreadableFile);
