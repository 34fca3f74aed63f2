//! Output files of the examples (`dedupe`, `stream`, `generate`; shared
//! through `#[path]`): checked before the work starts, written atomically.
//!
//! [`check_outputs`] makes sure, before any long run, that every output path
//! can be written: it is not a directory, its directory exists and takes a new
//! file, and no two options name the same file. [`write_atomically`] then
//! writes each output to a temporary file beside it and renames that over the
//! path once it is complete and on disk: a reader never sees half a file, and
//! a failed write leaves the path as it was and nothing behind. A symbolic
//! link is followed (the file it names is replaced, the link kept); a path
//! that is not a regular file (`/dev/stdout`, a named pipe) is written
//! directly, since it cannot be replaced.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The directory a file at `path` is created in (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// A fresh temporary path beside `path`: `.NAME.PID-N.tmp` in its directory.
fn temporary_beside(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    directory_of(path).join(format!(".{name}.{}-{n}.tmp", std::process::id()))
}

/// Where the output for `path` goes: the file a symbolic link names, else `path`.
fn resolved(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        // A dangling link is written through as given (the rename replaces it).
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
    } else {
        path.to_owned()
    }
}

/// True when `path` exists and is not a regular file (a device, a pipe): it
/// is written in place.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A temporary file that is removed when dropped, unless it was renamed.
struct Temporary {
    path: PathBuf,
    kept: bool,
}

impl Temporary {
    /// Creates a new temporary file beside `target` (never an existing one).
    fn create(target: &Path) -> io::Result<(Temporary, File)> {
        let path = temporary_beside(target);
        let file = OpenOptions::new().write(true).create_new(true).open(&path)?;
        Ok((Temporary { path, kept: false }, file))
    }

    /// Renames the temporary file to `target`, replacing it.
    fn rename_to(mut self, target: &Path) -> io::Result<()> {
        std::fs::rename(&self.path, target)?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Checks that `path` can be written: it is not a directory, and its
/// directory exists and takes a new file (a temporary file is created there
/// and removed). Nothing is written to `path` itself.
///
/// # Errors
/// A one-line message naming `option` and the path.
pub fn check_output(option: &str, path: &Path) -> Result<(), String> {
    let fail = |why: String| format!("{option} {}: {why}", path.display());
    if path.as_os_str().is_empty() {
        return Err(format!("{option}: the path is empty"));
    }
    if path.is_dir() {
        return Err(fail("is a directory".to_owned()));
    }
    if is_special(path) {
        return Ok(());
    }
    let path = &resolved(path);
    let dir = directory_of(path);
    if !dir.is_dir() {
        return Err(fail(format!("cannot write: no directory {}", dir.display())));
    }
    Temporary::create(path).map(drop).map_err(|e| fail(format!("cannot write: {e}")))
}

/// Checks every `(option, path)` output with [`check_output`], and that no
/// two of them name the same file.
///
/// # Errors
/// A one-line message naming the option (both options for a shared path).
pub fn check_outputs<'a>(
    outputs: impl IntoIterator<Item = (&'a str, &'a Path)>,
) -> Result<(), String> {
    let outputs: Vec<(&str, &Path)> = outputs.into_iter().collect();
    for (i, &(option, path)) in outputs.iter().enumerate() {
        check_output(option, path)?;
        let same = |other: &Path| {
            other == path
                || std::path::absolute(other)
                    .ok()
                    .zip(std::path::absolute(path).ok())
                    .is_some_and(|(a, b)| a == b)
        };
        if let Some((other, _)) = outputs[..i].iter().find(|(_, p)| same(p)) {
            return Err(format!(
                "{other} and {option} both write {}: give them different files",
                path.display()
            ));
        }
    }
    Ok(())
}

/// Writes `path` atomically: `write` fills a new temporary file in the same
/// directory, which is flushed, synced and renamed over `path`. On any error
/// the temporary file is removed and `path` is left as it was.
///
/// # Errors
/// A one-line message naming the path.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), String> {
    let fail = |e: io::Error| format!("{}: cannot write: {e}", path.display());
    if is_special(path) {
        let file = OpenOptions::new().write(true).open(path).map_err(fail)?;
        let mut out = BufWriter::new(file);
        write(&mut out).map_err(fail)?;
        return out.flush().map_err(fail);
    }
    let target = resolved(path);
    let (temporary, file) = Temporary::create(&target).map_err(fail)?;
    let mut out = BufWriter::new(file);
    write(&mut out).map_err(fail)?;
    let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
    file.sync_all().map_err(fail)?;
    drop(file);
    temporary.rename_to(&target).map_err(fail)
}
