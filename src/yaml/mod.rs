//! YAML with positions: saphyr-parser events turned into a spanned tree, read the Kubernetes way.
pub mod fast;
pub mod load;
pub mod node;

pub use load::{load, load_full, Document, LoadIssue, Loaded};
pub use node::{Entry, Node, NodeKind, Resolved, Scalar, Style};
