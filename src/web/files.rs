//! `/fil/<path>`: a source file of the corpus, read-only. Only a regular file inside the
//! corpus folder is served: a path with `..`, `.`, an empty or absolute part, a NUL or a
//! backslash is refused before the file system is asked, and the path that remains is
//! resolved (symlinks followed) and must still lie inside the resolved corpus folder.
//! Anything else is "not found", so the answer does not tell what exists outside.

use std::path::{Component, Path, PathBuf};

/// The file `rel` (as decoded from the URL) below `corpus`, resolved, when it is a
/// regular file inside the corpus; `None` otherwise.
pub fn resolve(corpus: &Path, rel: &str) -> Option<PathBuf> {
    if rel.is_empty() || rel.contains(['\0', '\\']) {
        return None;
    }
    let mut joined = PathBuf::new();
    for part in rel.split('/') {
        let mut components = Path::new(part).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(p)), None) => joined.push(p),
            _ => return None,
        }
    }
    let root = corpus.canonicalize().ok()?;
    let real = root.join(&joined).canonicalize().ok()?;
    (real.starts_with(&root) && real.is_file()).then_some(real)
}

/// The content type of a served file: text for the formats the index reads as text,
/// bytes for the rest (with `nosniff`, a browser does not guess).
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("txt" | "md" | "text") => "text/plain; charset=utf-8",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_inside_the_corpus() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(corpus.join("k")).unwrap();
        std::fs::write(corpus.join("k/a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), corpus.join("k/out.txt"))
            .unwrap();
        std::os::unix::fs::symlink(corpus.join("k/a.txt"), corpus.join("k/in.txt")).unwrap();
        assert!(resolve(&corpus, "k/a.txt").is_some());
        assert!(
            resolve(&corpus, "k/in.txt").is_some(),
            "a link inside is fine"
        );
        for bad in [
            "k/out.txt",
            "../secret.txt",
            "k/../../secret.txt",
            "k/./a.txt",
            "/etc/passwd",
            "k//a.txt",
            "k",
            "",
            "k\\a.txt",
            "k/a.txt\0",
            "nope.txt",
        ] {
            assert_eq!(resolve(&corpus, bad), None, "{bad:?}");
        }
        assert_eq!(
            content_type(Path::new("a.TXT")),
            "text/plain; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.exe")), "application/octet-stream");
    }
}
