//! Writing generated files to disk.
//!
//! The generator's output is a map from relative path to content. Writing it has two goals:
//!
//! * **Never leave a half-written tree.** A directory the generator owns entirely (for example
//!   `src/generated`) is assembled in a staging sibling and swapped in with two renames, so an
//!   interrupted run leaves either the old tree or the new one, plus a leftover staging or backup
//!   directory that the next run cleans up (restoring the backup if the swap stopped halfway).
//!   Files outside owned directories (for example `OPERATIONS.md`) are written to a temporary
//!   sibling and renamed over the target.
//! * **Do not make cargo rebuild for nothing.** Files whose content did not change are
//!   hard-linked (or, failing that, copied with their mtime) into the staging directory, and
//!   loose files are only touched when their content differs. A run that changes nothing writes
//!   nothing at all.
//!
//! What this does not protect against: power loss (nothing is fsynced) and two runs writing the
//! same tree at the same time (each one deletes the other's staging directory).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Tag in the name of the directory a new owned tree is assembled in.
const STAGING_TAG: &str = "staging";
/// Tag in the name of the directory the old owned tree is parked in during the swap.
const BACKUP_TAG: &str = "backup";
/// Tag in the name of the temporary file a loose file is written to before the rename.
const TEMP_TAG: &str = "tmp";

/// What [`write_files`] did, file by file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or whose content changed.
    pub written: usize,
    /// Files already on disk with the right content (left untouched or hard-linked, so their
    /// mtime is kept).
    pub unchanged: usize,
    /// Stale files deleted from owned directories.
    pub removed: usize,
}

/// One difference between a generated file set and the disk, as reported by [`diff_files`].
///
/// Paths are relative to the root given to [`diff_files`], `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileDiff {
    /// The file would be created.
    Missing(String),
    /// The file exists with other content (or is not a regular file) and would be replaced.
    Changed(String),
    /// The file lies in an owned directory, is not generated any more, and would be removed.
    Stale(String),
}

impl FileDiff {
    /// The path the difference is about.
    #[must_use]
    pub fn path(&self) -> &str {
        match self {
            FileDiff::Missing(path) | FileDiff::Changed(path) | FileDiff::Stale(path) => path,
        }
    }
}

impl fmt::Display for FileDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileDiff::Missing(path) => write!(f, "missing: {path}"),
            FileDiff::Changed(path) => write!(f, "differs: {path}"),
            FileDiff::Stale(path) => write!(f, "stale: {path}"),
        }
    }
}

/// Writes `files` (relative `/`-separated path to content) under the directory `root`.
///
/// Every directory in `owned_dirs` (relative to `root`) belongs to the generator: files in it that
/// are not in `files` are removed, and its new content replaces the old one in a single rename
/// (see the module documentation). Other files are written one by one through a temporary file,
/// and only when their content differs.
///
/// Keys and owned directories are validated before anything is written: absolute paths, `.` and
/// `..` components, empty components, backslashes, overlapping owned directories and a path that
/// is both a file and a directory are rejected with [`io::ErrorKind::InvalidInput`].
///
/// # Errors
///
/// Invalid paths, and any I/O error. An error can leave some owned directories or loose files
/// already replaced, but never a partly written owned directory.
pub fn write_files(
    root: &Path,
    files: &BTreeMap<String, String>,
    owned_dirs: &[&str],
) -> io::Result<WriteReport> {
    let plan = Plan::new(files, owned_dirs)?;
    let mut report = WriteReport::default();
    for owned in &plan.owned {
        write_owned(root, owned, &mut report)?;
    }
    for file in &plan.loose {
        if write_loose(&root.join(file.key), file.content)? {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
    }
    Ok(report)
}

/// Lists what [`write_files`] would change under `root`, sorted by path, without writing.
///
/// Compares the tree as it is: if an interrupted run left an owned directory missing (its old
/// content parked in a backup), its files are reported missing, since the code that uses them
/// would not build; [`write_files`] restores the backup and then only writes what differs.
/// Leftover staging and backup directories themselves are not reported.
///
/// # Errors
///
/// The same path validation as [`write_files`], and errors reading the existing files.
pub fn diff_files(
    root: &Path,
    files: &BTreeMap<String, String>,
    owned_dirs: &[&str],
) -> io::Result<Vec<FileDiff>> {
    let plan = Plan::new(files, owned_dirs)?;
    let mut diffs = Vec::new();
    for owned in &plan.owned {
        diff_owned(root, owned, &mut diffs)?;
    }
    for file in &plan.loose {
        diffs.extend(diff_one(&root.join(file.key), file)?);
    }
    diffs.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(diffs)
}

/// One generated file: its key, its path inside its owned directory (the key itself for loose
/// files), and its content.
#[derive(Debug)]
struct Entry<'a> {
    key: &'a str,
    rel: &'a str,
    content: &'a str,
}

/// An owned directory and the files that belong in it.
#[derive(Debug)]
struct OwnedDir<'a> {
    rel: String,
    files: Vec<Entry<'a>>,
}

/// The validated file set, split by destination.
#[derive(Debug)]
struct Plan<'a> {
    owned: Vec<OwnedDir<'a>>,
    loose: Vec<Entry<'a>>,
}

impl<'a> Plan<'a> {
    /// Validates every path and assigns each file to its owned directory, if any.
    fn new(files: &'a BTreeMap<String, String>, owned_dirs: &[&str]) -> io::Result<Self> {
        check_owned_dirs(owned_dirs)?;
        check_keys(files, owned_dirs)?;
        let mut owned: Vec<OwnedDir<'a>> = owned_dirs
            .iter()
            .map(|dir| OwnedDir {
                rel: (*dir).to_owned(),
                files: Vec::new(),
            })
            .collect();
        let mut loose = Vec::new();
        for (key, content) in files {
            let (key, content) = (key.as_str(), content.as_str());
            match owned.iter_mut().find(|dir| is_within(key, &dir.rel)) {
                Some(dir) => {
                    let rel = &key[dir.rel.len() + 1..];
                    dir.files.push(Entry { key, rel, content });
                }
                None => loose.push(Entry {
                    key,
                    rel: key,
                    content,
                }),
            }
        }
        Ok(Plan { owned, loose })
    }
}

/// Rejects owned directories that are not clean relative paths or that overlap each other.
fn check_owned_dirs(owned_dirs: &[&str]) -> io::Result<()> {
    for (i, dir) in owned_dirs.iter().enumerate() {
        check_relative(dir, "owned directory")?;
        for other in &owned_dirs[i + 1..] {
            if dir == other || is_within(dir, other) || is_within(other, dir) {
                return Err(invalid(format!(
                    "owned directories `{dir}` and `{other}` overlap"
                )));
            }
        }
    }
    Ok(())
}

/// Rejects keys that are not clean relative paths, or that would have to be both a file and a
/// directory (a key that is an owned directory, or an ancestor of another key or owned directory).
fn check_keys(files: &BTreeMap<String, String>, owned_dirs: &[&str]) -> io::Result<()> {
    for key in files.keys() {
        check_relative(key, "file path")?;
        if let Some(dir) = owned_dirs
            .iter()
            .find(|dir| *dir == key || is_within(dir, key))
        {
            return Err(invalid(format!(
                "file `{key}` clashes with owned directory `{dir}`"
            )));
        }
        let below = format!("{key}/");
        if let Some((other, _)) = files.range(below.clone()..).next() {
            if other.starts_with(&below) {
                return Err(invalid(format!(
                    "file `{key}` is also the directory of `{other}`"
                )));
            }
        }
    }
    Ok(())
}

/// Accepts only `/`-separated relative paths made of normal components, so nothing can be
/// written outside the root.
fn check_relative(path: &str, what: &str) -> io::Result<()> {
    let clean = !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if clean {
        Ok(())
    } else {
        Err(invalid(format!(
            "{what} `{path}` must be a relative `/`-separated path without `.`, `..` or empty components"
        )))
    }
}

/// Whether `path` lies strictly inside the directory `dir` (both `/`-separated).
fn is_within(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// What is on disk at a path.
#[derive(Debug, PartialEq, Eq)]
enum OnDisk {
    Absent,
    /// A directory, symlink or other non-regular file: never counted as unchanged, so a
    /// symlink is replaced by a real file.
    NotAFile,
    File(Vec<u8>),
}

fn read_on_disk(path: &Path) -> io::Result<OnDisk> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(OnDisk::Absent),
        Err(e) => Err(e),
        Ok(meta) if !meta.is_file() => Ok(OnDisk::NotAFile),
        Ok(_) => fs::read(path).map(OnDisk::File),
    }
}

/// The difference for one generated file, if any; reported under its key.
fn diff_one(path: &Path, entry: &Entry<'_>) -> io::Result<Option<FileDiff>> {
    Ok(match read_on_disk(path)? {
        OnDisk::Absent => Some(FileDiff::Missing(entry.key.to_owned())),
        OnDisk::File(bytes) if bytes == entry.content.as_bytes() => None,
        OnDisk::File(_) | OnDisk::NotAFile => Some(FileDiff::Changed(entry.key.to_owned())),
    })
}

fn diff_owned(root: &Path, owned: &OwnedDir<'_>, diffs: &mut Vec<FileDiff>) -> io::Result<()> {
    let dir = root.join(&owned.rel);
    // A file where the owned directory belongs is an error here as in `write_files`.
    is_dir(&dir)?;
    for entry in &owned.files {
        diffs.extend(diff_one(&dir.join(entry.rel), entry)?);
    }
    let generated: BTreeSet<&str> = owned.files.iter().map(|e| e.rel).collect();
    for rel in files_under(&dir)?
        .iter()
        .filter(|rel| !generated.contains(rel.as_str()))
    {
        diffs.push(FileDiff::Stale(format!("{}/{rel}", owned.rel)));
    }
    Ok(())
}

/// Recursively lists the non-directory entries under `dir` as `/`-separated relative paths.
/// Symlinks are listed, not followed. A missing `dir` has no files.
fn files_under(dir: &Path) -> io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    if fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        collect_files(dir, "", &mut found)?;
    }
    Ok(found)
}

fn collect_files(dir: &Path, prefix: &str, found: &mut BTreeSet<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type()?.is_dir() {
            collect_files(&entry.path(), &rel, found)?;
        } else {
            found.insert(rel);
        }
    }
    Ok(())
}

/// `parent/.name.tag-pid`: a sibling of `path` that lives on the same file system (so renames
/// are atomic) and that the next run can recognise by its prefix.
fn sibling(path: &Path, tag: &str, pid: u32) -> PathBuf {
    path.with_file_name(format!("{}{pid}", sibling_prefix(path, tag)))
}

fn sibling_prefix(path: &Path, tag: &str) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    format!(".{name}.{tag}-")
}

/// Siblings of `path` left by any run (any pid) with this tag, oldest first.
fn leftovers(path: &Path, tag: &str) -> io::Result<Vec<PathBuf>> {
    let Some(parent) = path.parent() else {
        return Ok(Vec::new());
    };
    let prefix = sibling_prefix(path, tag);
    let entries = match fs::read_dir(parent) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        other => other?,
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let modified = entry.metadata()?.modified()?;
            found.push((modified, entry.path()));
        }
    }
    found.sort();
    Ok(found.into_iter().map(|(_, path)| path).collect())
}

fn remove_any(path: &Path) -> io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Whether an owned directory exists; an error if something else (a file, a symlink) is in its
/// place, since replacing that is not the generator's call.
fn is_dir(path: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(true),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} should be a directory owned by the generator",
                path.display()
            ),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Cleans up after an interrupted run: staging directories are half-built and deleted; a
/// backup is restored if the owned directory is missing (the swap stopped between its two
/// renames), otherwise it is the previous content and deleted.
fn recover(dir: &Path) -> io::Result<()> {
    for staging in leftovers(dir, STAGING_TAG)? {
        remove_any(&staging)?;
    }
    let mut backups = leftovers(dir, BACKUP_TAG)?;
    if !is_dir(dir)? {
        if let Some(newest) = backups.pop() {
            fs::rename(&newest, dir)?;
        }
    }
    for backup in backups {
        remove_any(&backup)?;
    }
    Ok(())
}

/// Replaces one owned directory: compare, build the staging tree, swap.
fn write_owned(root: &Path, owned: &OwnedDir<'_>, report: &mut WriteReport) -> io::Result<()> {
    let dir = root.join(&owned.rel);
    recover(&dir)?;
    let mut unchanged = BTreeSet::new();
    for entry in &owned.files {
        if diff_one(&dir.join(entry.rel), entry)?.is_none() {
            unchanged.insert(entry.rel);
        }
    }
    let generated: BTreeSet<&str> = owned.files.iter().map(|e| e.rel).collect();
    let stale = files_under(&dir)?
        .iter()
        .filter(|rel| !generated.contains(rel.as_str()))
        .count();
    let written = owned.files.len() - unchanged.len();
    report.written += written;
    report.unchanged += unchanged.len();
    report.removed += stale;
    if written == 0 && stale == 0 {
        return Ok(());
    }
    let staging = sibling(&dir, STAGING_TAG, std::process::id());
    if let Err(e) = fill_staging(&dir, &staging, owned, &unchanged) {
        // Best effort: the next run deletes leftover staging directories anyway.
        let _ = remove_any(&staging);
        return Err(e);
    }
    swap(&dir, &staging)
}

/// Builds the complete new tree in `staging`: unchanged files are linked from `dir`, the others
/// written.
fn fill_staging(
    dir: &Path,
    staging: &Path,
    owned: &OwnedDir<'_>,
    unchanged: &BTreeSet<&str>,
) -> io::Result<()> {
    fs::create_dir_all(staging)?;
    for entry in &owned.files {
        let target = staging.join(entry.rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        if unchanged.contains(entry.rel) {
            link_or_copy(&dir.join(entry.rel), &target)?;
        } else {
            fs::write(&target, entry.content)?;
        }
    }
    Ok(())
}

/// Hard-links `from` to `to` so the file keeps its inode and mtime; where links are not
/// supported, copies it and sets the copy's mtime to the original's, which is what cargo checks.
fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to)?;
    let modified = fs::metadata(from)?.modified()?;
    fs::OpenOptions::new()
        .write(true)
        .open(to)?
        .set_modified(modified)
}

/// Puts `staging` in place of `dir`: park the old tree as a backup, rename staging in, delete
/// the backup. If the second rename fails the backup is put back.
fn swap(dir: &Path, staging: &Path) -> io::Result<()> {
    if !is_dir(dir)? {
        return fs::rename(staging, dir);
    }
    let backup = sibling(dir, BACKUP_TAG, std::process::id());
    fs::rename(dir, &backup)?;
    if let Err(e) = fs::rename(staging, dir) {
        let _ = fs::rename(&backup, dir);
        let _ = remove_any(staging);
        return Err(e);
    }
    fs::remove_dir_all(&backup).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "{} was replaced, but removing the old copy {} failed: {e}",
                dir.display(),
                backup.display()
            ),
        )
    })
}

/// Writes one file outside owned directories through a temporary sibling, only if its content
/// differs. Returns whether it wrote.
fn write_loose(path: &Path, content: &str) -> io::Result<bool> {
    if read_on_disk(path)? == OnDisk::File(content.as_bytes().to_vec()) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    for leftover in leftovers(path, TEMP_TAG)? {
        remove_any(&leftover)?;
    }
    let temp = sibling(path, TEMP_TAG, std::process::id());
    let result = fs::write(&temp, content).and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map(|()| true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, SystemTime};

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("codegen-emit-{name}-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&path);
            fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }

        fn put(&self, rel: &str, content: &str) {
            let path = self.0.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }

        fn read(&self, rel: &str) -> String {
            fs::read_to_string(self.0.join(rel)).unwrap()
        }

        fn entries(&self, rel: &str) -> BTreeSet<String> {
            files_under(&self.0.join(rel)).unwrap()
        }

        fn names_in(&self, rel: &str) -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(self.0.join(rel))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    const OWNED: &[&str] = &["src/generated"];

    fn set(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn report(written: usize, unchanged: usize, removed: usize) -> WriteReport {
        WriteReport {
            written,
            unchanged,
            removed,
        }
    }

    fn set_old_mtime(path: &Path) -> SystemTime {
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        fs::OpenOptions::new()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        old
    }

    #[test]
    fn writes_a_fresh_tree() {
        let tmp = TempDir::new("fresh");
        let files = set(&[
            ("src/generated/mod.rs", "mod a;"),
            ("src/generated/a/b.rs", "b"),
            ("OPERATIONS.md", "# ops"),
        ]);
        assert_eq!(write_files(&tmp.0, &files, OWNED).unwrap(), report(3, 0, 0));
        assert_eq!(tmp.read("src/generated/a/b.rs"), "b");
        assert_eq!(tmp.read("OPERATIONS.md"), "# ops");
        assert_eq!(tmp.names_in("src"), ["generated"]);
        assert_eq!(tmp.names_in(""), ["OPERATIONS.md", "src"]);
    }

    #[test]
    fn unchanged_files_keep_mtime_and_inode() {
        let tmp = TempDir::new("keep");
        let first = set(&[
            ("src/generated/same.rs", "same"),
            ("src/generated/changed.rs", "old"),
            ("README.md", "readme"),
        ]);
        write_files(&tmp.0, &first, OWNED).unwrap();
        let same = tmp.0.join("src/generated/same.rs");
        let old_same = set_old_mtime(&same);
        let old_readme = set_old_mtime(&tmp.0.join("README.md"));
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(&same).unwrap().ino()
        };

        let second = set(&[
            ("src/generated/same.rs", "same"),
            ("src/generated/changed.rs", "new"),
            ("README.md", "readme"),
        ]);
        assert_eq!(
            write_files(&tmp.0, &second, OWNED).unwrap(),
            report(1, 2, 0)
        );
        assert_eq!(tmp.read("src/generated/changed.rs"), "new");
        assert_eq!(fs::metadata(&same).unwrap().modified().unwrap(), old_same);
        let readme = fs::metadata(tmp.0.join("README.md")).unwrap();
        assert_eq!(readme.modified().unwrap(), old_readme);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(fs::metadata(&same).unwrap().ino(), inode);
        }
        assert_eq!(
            tmp.names_in("src"),
            ["generated"],
            "no staging or backup left behind"
        );
    }

    #[test]
    fn identical_run_touches_nothing() {
        let tmp = TempDir::new("identical");
        let files = set(&[("src/generated/a.rs", "a"), ("x.md", "x")]);
        write_files(&tmp.0, &files, OWNED).unwrap();
        let old = set_old_mtime(&tmp.0.join("src/generated/a.rs"));
        assert_eq!(write_files(&tmp.0, &files, OWNED).unwrap(), report(0, 2, 0));
        let meta = fs::metadata(tmp.0.join("src/generated/a.rs")).unwrap();
        assert_eq!(meta.modified().unwrap(), old);
    }

    #[test]
    fn stale_files_are_removed() {
        let tmp = TempDir::new("stale");
        tmp.put("src/generated/keep.rs", "keep");
        tmp.put("src/generated/old.rs", "old");
        tmp.put("src/generated/nested/older.rs", "older");
        tmp.put("src/lib.rs", "hand-written");
        let files = set(&[("src/generated/keep.rs", "keep")]);
        assert_eq!(write_files(&tmp.0, &files, OWNED).unwrap(), report(0, 1, 2));
        assert_eq!(
            tmp.entries("src/generated"),
            BTreeSet::from(["keep.rs".to_owned()])
        );
        assert_eq!(
            tmp.read("src/lib.rs"),
            "hand-written",
            "files outside owned dirs stay"
        );
        assert_eq!(tmp.names_in("src"), ["generated", "lib.rs"]);
    }

    #[test]
    fn recovers_from_an_interrupted_swap() {
        let tmp = TempDir::new("recover");
        // The swap stopped after parking the old tree and before renaming staging in.
        tmp.put("src/.generated.backup-4242/a.rs", "a");
        tmp.put("src/.generated.backup-4242/gone.rs", "gone");
        tmp.put("src/.generated.staging-4242/a.rs", "half-writt");
        let files = set(&[("src/generated/a.rs", "a"), ("src/generated/b.rs", "b")]);

        let diffs = diff_files(&tmp.0, &files, OWNED).unwrap();
        assert_eq!(
            diffs,
            [
                FileDiff::Missing("src/generated/a.rs".into()),
                FileDiff::Missing("src/generated/b.rs".into()),
            ],
            "diff reports the tree as it is, without the owned directory"
        );

        assert_eq!(write_files(&tmp.0, &files, OWNED).unwrap(), report(1, 1, 1));
        assert_eq!(tmp.names_in("src"), ["generated"]);
        assert_eq!(
            tmp.entries("src/generated"),
            BTreeSet::from(["a.rs".to_owned(), "b.rs".to_owned()])
        );
    }

    #[test]
    fn leftover_backup_next_to_a_complete_tree_is_deleted() {
        let tmp = TempDir::new("backup");
        // The swap stopped after renaming staging in and before deleting the backup.
        tmp.put("src/generated/a.rs", "new");
        tmp.put("src/.generated.backup-17/a.rs", "old");
        let files = set(&[("src/generated/a.rs", "new")]);
        assert_eq!(write_files(&tmp.0, &files, OWNED).unwrap(), report(0, 1, 0));
        assert_eq!(tmp.names_in("src"), ["generated"]);
        assert_eq!(tmp.read("src/generated/a.rs"), "new");
    }

    #[test]
    fn diff_reports_all_kinds_sorted_and_writes_nothing() {
        let tmp = TempDir::new("diff");
        tmp.put("src/generated/same.rs", "same");
        tmp.put("src/generated/changed.rs", "old");
        tmp.put("src/generated/stale.rs", "stale");
        tmp.put("OPERATIONS.md", "old ops");
        let files = set(&[
            ("src/generated/same.rs", "same"),
            ("src/generated/changed.rs", "new"),
            ("src/generated/added.rs", "added"),
            ("OPERATIONS.md", "new ops"),
            ("docs/new.md", "new"),
        ]);
        let diffs = diff_files(&tmp.0, &files, OWNED).unwrap();
        let shown: Vec<String> = diffs.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "differs: OPERATIONS.md",
                "missing: docs/new.md",
                "missing: src/generated/added.rs",
                "differs: src/generated/changed.rs",
                "stale: src/generated/stale.rs",
            ]
        );
        assert_eq!(
            tmp.names_in(""),
            ["OPERATIONS.md", "src"],
            "nothing written"
        );
        assert_eq!(tmp.read("src/generated/changed.rs"), "old");

        write_files(&tmp.0, &files, OWNED).unwrap();
        assert_eq!(diff_files(&tmp.0, &files, OWNED).unwrap(), []);
    }

    #[test]
    fn missing_owned_dir_reports_every_file_missing() {
        let tmp = TempDir::new("missing");
        let files = set(&[("src/generated/a.rs", "a")]);
        assert_eq!(
            diff_files(&tmp.0, &files, OWNED).unwrap(),
            [FileDiff::Missing("src/generated/a.rs".into())]
        );
    }

    #[test]
    fn bad_paths_are_rejected_before_writing() {
        let tmp = TempDir::new("reject");
        let bad_keys = [
            "../escape.rs",
            "/abs.rs",
            "a/../b.rs",
            "./a.rs",
            "a//b.rs",
            "",
            "a\\b.rs",
            "src/generated",
        ];
        for key in bad_keys {
            let files = set(&[("ok.md", "ok"), (key, "x")]);
            let err = write_files(&tmp.0, &files, OWNED).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{key}: {err}");
            assert!(diff_files(&tmp.0, &files, OWNED).is_err(), "{key}");
        }
        let nested = set(&[("a", "file"), ("a/b", "file under a file")]);
        assert!(write_files(&tmp.0, &nested, &[]).is_err());
        let clash = set(&[("src", "file where the owned dir's parent goes")]);
        assert!(write_files(&tmp.0, &clash, OWNED).is_err());
        for dirs in [
            &["src", "src/generated"][..],
            &["a", "a"],
            &["../x"],
            &["/x"],
        ] {
            assert!(
                write_files(&tmp.0, &BTreeMap::new(), dirs).is_err(),
                "{dirs:?}"
            );
        }
        assert_eq!(tmp.names_in(""), Vec::<String>::new(), "nothing written");
    }

    #[test]
    fn file_diff_display_and_path() {
        assert_eq!(FileDiff::Missing("a".into()).to_string(), "missing: a");
        assert_eq!(FileDiff::Changed("b".into()).to_string(), "differs: b");
        assert_eq!(FileDiff::Stale("c".into()).to_string(), "stale: c");
        assert_eq!(FileDiff::Stale("c".into()).path(), "c");
    }
}
