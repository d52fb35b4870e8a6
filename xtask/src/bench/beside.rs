//! What the bench builds besides the committed SDK: the SDK regenerated from another document
//! (`--beside PATH`, in a scratch copy of the workspace, so both are measured in one run), and a
//! downstream binary that calls twenty operations (`jumpcloud-sdk/examples/directory_audit.rs`
//! as a crate of its own), whose build is what calling operations costs a user, beside a
//! client-only program with the same dependencies, whose build is what any program pays.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::measure;

/// The program the downstream crate builds, relative to the workspace.
pub const DOWNSTREAM_PROGRAM: &str = "jumpcloud-sdk/examples/directory_audit.rs";
/// The downstream crate's package name.
pub const DOWNSTREAM_PACKAGE: &str = "directory-audit";
/// The client-only crate's package name.
pub const CLIENT_ONLY_PACKAGE: &str = "client-only";
/// The client-only program: the downstream program's start (a client from the environment)
/// and nothing else, so that the difference between the two builds is the operations'.
const CLIENT_ONLY_PROGRAM: &str = "\
//! The bench's client-only program: a client built as the downstream program builds it, no
//! operation called.
#[tokio::main]
async fn main() -> Result<(), jumpcloud_sdk::Error> {
    let client = jumpcloud_sdk::Client::from_env()?;
    println!(\"{client:?}\");
    Ok(())
}
";

/// Copies the workspace's files as git sees them (tracked and untracked, ignored ones such as
/// `target/` left out) into `dest`, which is emptied first.
pub fn copy_workspace(workspace: &Path, dest: &Path) -> Result<(), String> {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("running git ls-files: {e}"))?;
    if !listed.status.success() {
        return Err(format!(
            "git ls-files failed: {}",
            String::from_utf8_lossy(&listed.stderr).trim()
        ));
    }
    if dest.exists() {
        fs::remove_dir_all(dest).map_err(|e| format!("emptying {}: {e}", dest.display()))?;
    }
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let relative = Path::new(std::str::from_utf8(name).map_err(|e| e.to_string())?);
        let (from, to) = (workspace.join(relative), dest.join(relative));
        // A file deleted in the working tree is still listed as tracked.
        if !from.is_file() {
            continue;
        }
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::copy(&from, &to).map_err(|e| format!("copying {}: {e}", from.display()))?;
    }
    Ok(())
}

/// The commit a revision names (`git rev-parse`), as 40 hex digits.
pub fn resolve_revision(workspace: &Path, rev: &str) -> Result<String, String> {
    let mut parse = Command::new("git");
    parse
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"))
        .current_dir(workspace);
    let run = measure::run(&mut parse, None).map_err(|e| format!("running git rev-parse: {e}"))?;
    let commit = String::from_utf8_lossy(&run.output.stdout)
        .trim()
        .to_owned();
    match run.output.status.success() && commit.len() == 40 {
        true => Ok(commit),
        false => Err(format!("{rev} names no commit of {}", workspace.display())),
    }
}

/// Writes the workspace's files as committed at `commit` (as [`resolve_revision`] gives it, so
/// the directory name is safe) into `parent/COMMIT`, which is emptied first; returns that
/// directory. `git archive` writes a tarball beside it, which `tar` unpacks.
pub fn archive_commit(workspace: &Path, commit: &str, parent: &Path) -> Result<PathBuf, String> {
    if commit.len() != 40 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{commit:?} is not a commit hash"));
    }
    let dest = parent.join(commit);
    if dest.exists() {
        fs::remove_dir_all(&dest).map_err(|e| format!("emptying {}: {e}", dest.display()))?;
    }
    fs::create_dir_all(&dest).map_err(|e| format!("creating {}: {e}", dest.display()))?;
    let tarball = parent.join(format!("{commit}.tar"));
    let mut archive = Command::new("git");
    archive
        .args(["archive", "--format=tar", "--output"])
        .arg(&tarball)
        .arg(commit)
        .current_dir(workspace);
    let archived = measure::run(&mut archive, None)
        .map_err(|e| format!("running git archive: {e}"))
        .and_then(|run| run.success(&format!("git archive {commit}")));
    let unpacked = archived.and_then(|_| {
        let mut unpack = Command::new("tar");
        unpack.arg("-xf").arg(&tarball).current_dir(&dest);
        measure::run(&mut unpack, None)
            .map_err(|e| format!("running tar: {e}"))
            .and_then(|run| run.success("tar -x"))
    });
    let removed = match fs::remove_file(&tarball) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(format!("removing {}: {e}", tarball.display()))
        }
        _ => Ok(()),
    };
    unpacked.and(removed).map(|_| dest)
}

/// Regenerates the copy's SDK from `spec` alone, with this binary pointed at the copy. The
/// groups are dealt to the shards afresh: the lock's shards are the committed documents', and
/// kept on another document's groups they would load the shards unevenly (1.39× on the 2024
/// conversion's heaviest shard), which is not the SDK the generator makes of that document.
pub fn regenerate(copy: &Path, spec: &Path) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("finding the xtask binary: {e}"))?;
    let mut command = Command::new(exe);
    command
        .args(["regenerate", "--rebalance-shards", "--spec"])
        .arg(spec)
        .env("CARGO_MANIFEST_DIR", copy.join("xtask"));
    let run = measure::run(&mut command, None).map_err(|e| format!("running regenerate: {e}"))?;
    run.success("regenerate").map(|_| ())
}

/// Writes the downstream crate into `dir`: a manifest naming the workspace's program and SDK,
/// the workspace's lock file (the same dependency versions) and an empty `[workspace]`, since
/// the directory sits inside the workspace without being a member.
/// Returns the manifest and the program.
pub fn write_downstream(workspace: &Path, dir: &Path) -> io::Result<ProgramCrate> {
    write_program_crate(
        workspace,
        dir,
        DOWNSTREAM_PACKAGE,
        workspace.join(DOWNSTREAM_PROGRAM),
    )
}

/// Writes the client-only crate into `dir` as [`write_downstream`] writes the downstream one,
/// with its program beside the manifest.
pub fn write_client_only(workspace: &Path, dir: &Path) -> io::Result<ProgramCrate> {
    fs::create_dir_all(dir)?;
    let program = dir.join("main.rs");
    fs::write(&program, CLIENT_ONLY_PROGRAM)?;
    write_program_crate(workspace, dir, CLIENT_ONLY_PACKAGE, program)
}

/// A binary crate the bench wrote: its manifest and its program (the file a touch build
/// touches).
pub struct ProgramCrate {
    pub manifest: PathBuf,
    pub program: PathBuf,
}

/// A binary crate in `dir` named `package`, building `program` against the workspace's SDK.
fn write_program_crate(
    workspace: &Path,
    dir: &Path,
    package: &str,
    program: PathBuf,
) -> io::Result<ProgramCrate> {
    fs::create_dir_all(dir)?;
    let toml_path = |path: &Path| path.display().to_string().replace('\\', "/");
    let manifest = format!(
        "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[[bin]]\nname = \"{package}\"\npath = \"{}\"\n\n\
         [dependencies]\njumpcloud-sdk = {{ path = \"{}\" }}\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\n\
         [workspace]\n",
        toml_path(&program),
        toml_path(&workspace.join("jumpcloud-sdk")),
    );
    let path = dir.join("Cargo.toml");
    fs::write(&path, manifest)?;
    fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(ProgramCrate {
        manifest: path,
        program,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_is_unpacked_as_committed_and_a_bad_one_is_an_error() {
        let scratch = crate::testutil::TempDir::new("bench-revision");
        let workspace = crate::spec::workspace_root();
        let git = |args: &[&str]| {
            let out = Command::new("git")
                .args(args)
                .current_dir(&workspace)
                .output()
                .unwrap();
            assert!(out.status.success(), "git {args:?}");
            out.stdout
        };
        let head = String::from_utf8(git(&["rev-parse", "HEAD"])).unwrap();
        let commit = resolve_revision(&workspace, "HEAD").unwrap();
        assert_eq!(commit, head.trim());
        let dest = archive_commit(&workspace, &commit, &scratch.0).unwrap();
        assert_eq!(dest, scratch.path(&commit));
        for path in ["Cargo.toml", "Cargo.lock", "jumpcloud-sdk/Cargo.toml"] {
            let committed = git(&["show", &format!("HEAD:{path}")]);
            assert_eq!(fs::read(dest.join(path)).unwrap(), committed, "{path}");
        }
        assert!(!scratch.path(&format!("{commit}.tar")).exists());
        // Names that are no commit, or that would lead out of the bench's directory, are refused
        // before anything is deleted.
        for bad in ["no-such-revision", "../../..", "/tmp"] {
            let err = resolve_revision(&workspace, bad).unwrap_err();
            assert!(err.contains("names no commit"), "{bad}: {err}");
        }
        for bad in ["..", "HEAD", "/tmp"] {
            let err = archive_commit(&workspace, bad, &scratch.0).unwrap_err();
            assert!(err.contains("is not a commit hash"), "{bad}: {err}");
        }
        assert!(dest.join("Cargo.toml").is_file());
    }

    #[test]
    fn the_downstream_manifest_names_the_program_and_the_sdk() {
        let scratch = std::env::temp_dir().join(format!("bench-downstream-{}", std::process::id()));
        let workspace = crate::spec::workspace_root();
        let manifest = write_downstream(&workspace, &scratch).unwrap().manifest;
        let text = fs::read_to_string(&manifest).unwrap();
        assert!(text.contains(DOWNSTREAM_PROGRAM), "{text}");
        assert!(text.contains("jumpcloud-sdk = { path = "), "{text}");
        assert!(text.trim_end().ends_with("[workspace]"), "{text}");
        assert!(workspace.join(DOWNSTREAM_PROGRAM).is_file());
        assert!(scratch.join("Cargo.lock").is_file());
        fs::remove_dir_all(&scratch).unwrap();
    }

    #[test]
    fn the_client_only_crate_builds_a_client_and_calls_nothing() {
        let scratch =
            std::env::temp_dir().join(format!("bench-client-only-{}", std::process::id()));
        let workspace = crate::spec::workspace_root();
        let written = write_client_only(&workspace, &scratch).unwrap();
        let manifest = written.manifest;
        let text = fs::read_to_string(&manifest).unwrap();
        assert!(
            text.contains(&format!("name = \"{CLIENT_ONLY_PACKAGE}\"")),
            "{text}"
        );
        assert!(text.contains("main.rs"), "{text}");
        assert_eq!(written.program, scratch.join("main.rs"));
        let program = fs::read_to_string(&written.program).unwrap();
        assert!(program.contains("Client::from_env()"), "{program}");
        // The downstream program starts the same way.
        let downstream = fs::read_to_string(workspace.join(DOWNSTREAM_PROGRAM)).unwrap();
        assert!(downstream.contains("Client::from_env()?"), "{downstream}");
        fs::remove_dir_all(&scratch).unwrap();
    }
}
