//! Every read of a file that kedalint makes goes through here, bounded by the size limit.
//!
//! Two kinds of path reach a run, and they are trusted differently:
//! - **Named by the user** (on the command line, or walked from a named directory): read as they
//!   are. A FIFO, `/dev/stdin` or a process substitution (`<(cat so.yaml)`) is read as a stream,
//!   up to the limit; skipping it would pass its content unchecked.
//! - **Named by input** (a Helm render's `# Source:` comment, a template path in Helm's error
//!   message, a kustomization's resources): anyone who can write a chart writes these. They are
//!   resolved (symbolic links and `..` included) and must stay inside the directory that owns them
//!   (the chart, the kustomization), and only regular files are opened: a device (`/dev/zero`)
//!   or a FIFO is never opened, so it can neither fill memory nor hang the run. A chart must not
//!   make kedalint print `/etc/passwd` or a service account token in the Argo CD repo-server.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read.
pub type Refusal = String;

fn over_limit(len: u64, max: u64) -> Refusal {
    format!("file is {len} bytes, over the {max}-byte limit (`max-file-size` in .kedalint.yaml)")
}

/// At most `max` bytes from `reader`; more is refused (the stream is not read further).
pub fn read_limited(mut reader: impl Read, max: u64, expected: u64) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::with_capacity(expected.min(max) as usize + 1);
    reader.by_ref().take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!("input is over the {max}-byte limit (`max-file-size` in .kedalint.yaml)"));
    }
    Ok(bytes)
}

/// A file the user named: a regular file is refused over `max` before it is read; anything else
/// that can be opened (a FIFO, a character device, `/dev/stdin`) is read as a stream up to `max`.
/// Returns the bytes and whether the file is a regular file (only those can be read again).
pub fn read_named(path: &Path, max: u64) -> Result<(Vec<u8>, bool), Refusal> {
    // One open, then the size from the open file: a second lookup of the path by name
    // (`metadata`, then `read`) cost a path walk per file.
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if meta.is_file() && meta.len() > max {
        return Err(over_limit(meta.len(), max));
    }
    let bytes = read_limited(file, max, meta.len())?;
    Ok((bytes, meta.is_file()))
}

/// A regular file, never anything else: the open does not wait for a FIFO's writer, and a device
/// or FIFO is refused before a byte is read. For paths that input names.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, Refusal> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer comes; O_NONBLOCK returns at once.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > max {
        return Err(over_limit(meta.len(), max));
    }
    read_limited(file, max, meta.len())
}

/// A regular file's text (UTF-8), for paths that input names.
pub fn read_regular_text(path: &Path, max: u64) -> Result<String, Refusal> {
    String::from_utf8(read_regular(path, max)?).map_err(|_| "not UTF-8 text".into())
}

/// Standard input, up to `max` bytes.
pub fn read_stdin(max: u64) -> Result<Vec<u8>, Refusal> {
    read_limited(std::io::stdin().lock(), max, 0)
}

/// `path` resolved, if it is inside `root` (both resolved: links and `..` cannot step out).
pub fn contained(path: &Path, root: &Path) -> Result<PathBuf, Refusal> {
    let root = std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let real = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
    if real.starts_with(&root) {
        Ok(real)
    } else {
        Err(format!("outside `{}`", root.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_hold_for_files_and_streams() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, "0123456789").unwrap();
        assert_eq!(read_named(&p, 10).unwrap(), (b"0123456789".to_vec(), true));
        assert!(read_named(&p, 9).unwrap_err().contains("over the 9-byte limit"));
        assert!(read_limited(&b"0123456789"[..], 9, 0).is_err());
        assert_eq!(read_limited(&b"012"[..], 9, 0).unwrap(), b"012");
        // /dev/zero never ends: the limit ends the read.
        assert!(read_named(Path::new("/dev/zero"), 1 << 16).unwrap_err().contains("limit"));
    }

    #[test]
    fn input_named_paths_are_regular_and_contained() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("chart");
        std::fs::create_dir_all(chart.join("templates")).unwrap();
        std::fs::write(chart.join("templates/a.yaml"), "a: 1").unwrap();
        std::fs::write(dir.path().join("token"), "secret").unwrap();
        assert!(contained(&chart.join("templates/a.yaml"), &chart).is_ok());
        assert!(contained(&chart.join("../token"), &chart).unwrap_err().starts_with("outside"));
        assert!(contained(Path::new("/etc/passwd"), &chart).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("token"), chart.join("templates/link.yaml")).unwrap();
            assert!(contained(&chart.join("templates/link.yaml"), &chart).is_err(), "a link out of the chart");
        }
        assert_eq!(read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err(), "not a regular file");
        assert!(read_regular(dir.path(), 1 << 20).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_never_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.yaml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(read_regular(&fifo, 100).unwrap_err(), "not a regular file");
    }
}
