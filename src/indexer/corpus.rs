//! Finding and reading the corpus: the recursive walk over report files and the decoding
//! of their bytes into text. Reading problems become warnings, never aborts: one bad file
//! must not stop the rest of the corpus.

use crate::parser::Warning;
use std::path::{Path, PathBuf};

/// A file found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// Full path on disk.
    pub path: PathBuf,
    /// Path relative to the corpus root, `/`-separated (used in ids).
    pub rel: String,
}

/// Walk `root` recursively for `.txt` files (and files whose extension is in
/// `extra_extensions`), sorted by relative path so builds are deterministic.
/// Symbolic links are not followed. Unreadable directories are reported as warnings.
pub fn walk(root: &Path, extra_extensions: &[String]) -> (Vec<CorpusFile>, Vec<Warning>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                warnings.push(Warning {
                    file: rel_of(root, &dir),
                    line: 0,
                    message: format!("cannot read directory: {e}; skipped"),
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_symlink() {
                warnings.push(Warning {
                    file: rel_of(root, &path),
                    line: 0,
                    message: "symbolic link not followed".into(),
                });
            } else if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() && wanted(&path, extra_extensions) {
                files.push(CorpusFile {
                    rel: rel_of(root, &path),
                    path,
                });
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (files, warnings)
}

fn wanted(path: &Path, extra: &[String]) -> bool {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return false;
    };
    let ext = ext.to_ascii_lowercase();
    ext == "txt" || extra.iter().any(|e| e.trim_start_matches('.') == ext)
}

fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Decode a file's bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, or,
/// when the bytes are not valid UTF-8, Windows-1252 (what older Swedish exports use).
/// Returns `None` for binary files (NUL bytes outside UTF-16). Each fallback adds a
/// warning so nothing is silently reinterpreted.
pub fn decode(rel: &str, bytes: &[u8], warnings: &mut Vec<Warning>) -> Option<String> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if encoding != encoding_rs::UTF_8 {
            warnings.push(Warning {
                file: rel.to_string(),
                line: 0,
                message: format!("decoded as {} (byte-order mark)", encoding.name()),
            });
        }
        return Some(text.into_owned());
    }
    if bytes.contains(&0) {
        warnings.push(Warning {
            file: rel.to_string(),
            line: 0,
            message: "binary file (NUL bytes); skipped".into(),
        });
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            warnings.push(Warning {
                file: rel.to_string(),
                line,
                message: "not valid UTF-8; decoded as Windows-1252 (Latin-1)".into(),
            });
            Some(text.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_latin1_utf16_and_rejects_binary() {
        let mut w = Vec::new();
        assert_eq!(
            decode("a", "Mål".as_bytes(), &mut w).as_deref(),
            Some("Mål")
        );
        assert_eq!(
            decode("a", b"\xEF\xBB\xBFM\xC3\xA5l", &mut w).as_deref(),
            Some("Mål")
        );
        assert!(w.is_empty());
        assert_eq!(decode("b", b"M\xE5l\n", &mut w).as_deref(), Some("Mål\n"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 1);
        assert_eq!(
            decode("c", b"\xFF\xFEM\x00\xE5\x00l\x00", &mut w).as_deref(),
            Some("Mål")
        );
        assert_eq!(decode("d", b"ab\x00cd", &mut w), None);
        assert_eq!(w.len(), 3);
    }

    #[test]
    fn walk_finds_txt_files_sorted() {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
        let (files, warnings) = walk(root, &[]);
        assert!(warnings.is_empty());
        let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "ostersund/2021-T3.txt",
                "ostersund/2022-T1.txt",
                "ostersund/2022-T3.txt",
                "ostersund/2023-T3.txt",
                "ostersund/mal-1.txt"
            ]
        );
    }
}
