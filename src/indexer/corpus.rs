//! Finding and reading the corpus: the recursive walk over report files and the decoding
//! of their bytes into text. Reading problems become warnings, never aborts: one bad file
//! must not stop the rest of the corpus.
//!
//! Memory stays bounded whatever the corpus holds: a file up to [`LARGE_FILE_BYTES`] is
//! read and parsed whole; a larger one is decoded as a stream and handed on in pieces of
//! about [`PIECE_BYTES`] (see [`read_pieces`]), so the largest file never sets the
//! indexer's peak memory.

use crate::ingest::Extracted;
use crate::model::SourceFormat;
use crate::parser::Warning;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files up to this size are read and parsed whole; larger ones are read in pieces.
pub const LARGE_FILE_BYTES: u64 = 4 << 20;
/// The size of one piece of a large file, in bytes of UTF-8 text.
pub const PIECE_BYTES: usize = 1 << 20;

/// A file found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// Full path on disk.
    pub path: PathBuf,
    /// Path relative to the corpus root, `/`-separated (used in ids); bytes of a name
    /// that are not UTF-8 are escaped (see [`escape_name`]).
    pub rel: String,
    /// The format recognised by the walk ([`crate::ingest::sniff`]).
    pub format: SourceFormat,
}

/// What a walk over the corpus found.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// The files to read, sorted by relative path.
    pub files: Vec<CorpusFile>,
    /// Problems: unreadable folders, links not followed, names that are not UTF-8, files
    /// directly in the corpus folder.
    pub warnings: Vec<Warning>,
    /// Files not read because their format is unknown (not PDF, DOCX, ODT or HTML by
    /// their content, nor `.txt` or `--include`d), by relative path, sorted; hidden files
    /// (`.DS_Store`, ...) are not listed.
    pub skipped: Vec<String>,
}

/// The corpus layout, quoted in the warning about a file outside it.
pub const LAYOUT: &str = "corpus/<kommun>/<år>-T<n>.txt, e.g. corpus/ostersund/2022-T3.txt";

/// Walk `root` recursively for `.txt` files (and files whose extension is in
/// `extra_extensions`); returns the files and the warnings of [`scan`].
pub fn walk(root: &Path, extra_extensions: &[String]) -> (Vec<CorpusFile>, Vec<Warning>) {
    let w = scan(root, extra_extensions);
    (w.files, w.warnings)
}

/// Walk `root` recursively for `.txt` files (and files whose extension is in
/// `extra_extensions`), sorted by relative path so builds are deterministic.
/// Symbolic links are not followed. Unreadable directories, names that are not UTF-8
/// and files directly in `root` (they have no municipality) are reported as warnings;
/// files of other extensions are listed in [`Walk::skipped`].
pub fn scan(root: &Path, extra_extensions: &[String]) -> Walk {
    let mut w = Walk::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                w.warnings.push(Warning {
                    notice: false,
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
            let not_utf8 = entry.file_name().to_str().is_none();
            if ft.is_symlink() {
                w.warnings.push(Warning {
                    notice: false,
                    file: rel_of(root, &path),
                    line: 0,
                    message: "symbolic link not followed".into(),
                });
            } else if ft.is_dir() {
                if not_utf8 {
                    w.warnings
                        .push(not_utf8_warning(rel_of(root, &path), "folder"));
                }
                stack.push(path);
            } else if let Some(format) = ft
                .is_file()
                .then(|| format_of(&path, extra_extensions))
                .flatten()
            {
                let rel = rel_of(root, &path);
                if not_utf8 {
                    w.warnings.push(not_utf8_warning(rel.clone(), "file"));
                }
                if dir == root {
                    w.warnings.push(Warning {
                        notice: false,
                        file: rel.clone(),
                        line: 0,
                        message: format!(
                            "file directly in the corpus folder: its documents have no \
                             municipality; put it in the municipality's folder ({LAYOUT})"
                        ),
                    });
                }
                w.files.push(CorpusFile { path, rel, format });
            } else if ft.is_file() && !entry.file_name().as_encoded_bytes().starts_with(b".") {
                w.skipped.push(rel_of(root, &path));
            }
        }
    }
    w.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    w.skipped.sort();
    w
}

fn not_utf8_warning(rel: String, what: &str) -> Warning {
    Warning {
        notice: false,
        message: format!(
            "{what} name is not valid UTF-8: its bytes that are not UTF-8 are written as %XX \
             in ids and messages; renaming the {what} to UTF-8 gives readable ids"
        ),
        file: rel,
        line: 0,
    }
}

/// Skipped files counted by extension (`.pdf`, or `(no extension)`), most first, then
/// by name.
pub fn skipped_by_extension(skipped: &[String]) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for rel in skipped {
        let ext = Path::new(rel)
            .extension()
            .and_then(|e| e.to_str())
            .map_or_else(
                || "(no extension)".to_string(),
                |e| format!(".{}", e.to_lowercase()),
            );
        *counts.entry(ext).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The format of a file by its first bytes and its name ([`crate::ingest::sniff`]);
/// a file whose first bytes cannot be read is judged by its name (reading it later gives
/// the warning).
fn format_of(path: &Path, extra: &[String]) -> Option<SourceFormat> {
    let head = crate::ingest::read_head(path, 1024).unwrap_or_default();
    crate::ingest::sniff(path, &head, extra)
}

fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| escape_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A file or folder name as it appears in ids: the name itself when it is UTF-8 and
/// holds no `%` followed by two hex digits; otherwise every byte that is not part of
/// valid UTF-8 becomes `%XX` (upper-case hex) and a `%` that is followed by two hex
/// digits becomes `%25`, so distinct names always give distinct ids and the original
/// bytes can be recovered ([`unescape_name`]). A lone `%` (`100%.txt`) stays as it is.
pub fn escape_name(name: &std::ffi::OsStr) -> String {
    let bytes = name.as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        let (valid, bad) = match std::str::from_utf8(rest) {
            Ok(s) => (s, None),
            Err(e) => {
                let (v, b) = rest.split_at(e.valid_up_to());
                let n = e.error_len().unwrap_or(b.len());
                (std::str::from_utf8(v).unwrap_or_default(), Some(&b[..n]))
            }
        };
        for (i, c) in valid.char_indices() {
            let hex2 = valid
                .as_bytes()
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if c == '%' && hex2 {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
        let Some(bad) = bad else { break };
        for b in bad {
            out.push_str(&format!("%{b:02X}"));
        }
        rest = &rest[valid.len() + bad.len()..];
    }
    out
}

/// The bytes of a name escaped by [`escape_name`]: `%XX` becomes the byte XX.
pub fn unescape_name(escaped: &str) -> Vec<u8> {
    let b = escaped.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Decode a file's bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM or
/// recognised by its NUL bytes (see [`utf16_without_bom`]), UTF-32 with a BOM, or, when
/// the bytes are not valid UTF-8, Windows-1252 (what older Swedish exports use).
/// Returns `None` for binary files (other NUL bytes). Each fallback adds a warning so
/// nothing is silently reinterpreted.
pub fn decode(rel: &str, bytes: &[u8], warnings: &mut Vec<Warning>) -> Option<String> {
    // Before `for_bom`: a UTF-32LE mark begins with the UTF-16LE one.
    if let Some(big_endian) = utf32_bom(bytes) {
        warnings.push(Warning {
            notice: false,
            file: rel.to_string(),
            line: 0,
            message: format!("decoded as {} (byte-order mark)", utf32_name(big_endian)),
        });
        let mut text = String::new();
        decode_utf32(&bytes[4..], big_endian, &mut text);
        return Some(text);
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if encoding != encoding_rs::UTF_8 {
            warnings.push(Warning {
                notice: false,
                file: rel.to_string(),
                line: 0,
                message: format!("decoded as {} (byte-order mark)", encoding.name()),
            });
        }
        return Some(text.into_owned());
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        warnings.push(utf16_warning(rel, encoding));
        return Some(text.into_owned());
    }
    if bytes.contains(&0) {
        warnings.push(Warning {
            notice: false,
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
                notice: false,
                file: rel.to_string(),
                line,
                message: "not valid UTF-8; decoded as Windows-1252 (Latin-1)".into(),
            });
            Some(text.into_owned())
        }
    }
}

/// `Some(big_endian)` when `bytes` begin with a UTF-32 byte-order mark.
fn utf32_bom(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..4)? {
        [0xFF, 0xFE, 0, 0] => Some(false),
        [0, 0, 0xFE, 0xFF] => Some(true),
        _ => None,
    }
}

fn utf32_name(big_endian: bool) -> &'static str {
    if big_endian {
        "UTF-32BE"
    } else {
        "UTF-32LE"
    }
}

/// Append the UTF-32 code units of `bytes` (a multiple of 4 long, or the end of the
/// file) to `out`; invalid code points and a cut last unit become U+FFFD.
fn decode_utf32(bytes: &[u8], big_endian: bool, out: &mut String) {
    for unit in bytes.chunks(4) {
        let c = <[u8; 4]>::try_from(unit).ok().and_then(|b| {
            let n = if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            };
            char::from_u32(n)
        });
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
    }
}

/// How many leading bytes [`utf16_without_bom`] looks at.
const UTF16_SAMPLE: usize = 64 << 10;

/// UTF-16 without a byte-order mark, told from binary data by where its NUL bytes are:
/// text in a Latin script has a zero high byte in most code units and almost never a
/// zero low byte. In the first `UTF16_SAMPLE` bytes (at least 4 code units), 60 % of
/// the units must have a zero byte on one side and at most 10 % on the other, and the
/// sample must decode without errors or U+0000.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(UTF16_SAMPLE) & !1];
    let units = sample.len() / 2;
    if units < 4 {
        return None;
    }
    let zeros = |first: usize| {
        sample
            .iter()
            .skip(first)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let encoding = if odd * 10 >= units * 6 && even * 10 <= units {
        encoding_rs::UTF_16LE
    } else if even * 10 >= units * 6 && odd * 10 <= units {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    // A sample cut inside a surrogate pair is not an error.
    let (text, errors) = encoding.decode_without_bom_handling(sample);
    let before_cut = text
        .strip_suffix(char::REPLACEMENT_CHARACTER)
        .unwrap_or(&text);
    let broken = errors && before_cut.contains(char::REPLACEMENT_CHARACTER);
    (!text.contains('\0') && !broken).then_some(encoding)
}

fn utf16_warning(rel: &str, encoding: &'static encoding_rs::Encoding) -> Warning {
    Warning {
        notice: false,
        file: rel.to_string(),
        line: 0,
        message: format!(
            "no byte-order mark, but NUL bytes in every other byte: decoded as {}",
            encoding.name()
        ),
    }
}

/// Part of a file's text, handed to the parser.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub text: &'a str,
    /// 1-based line of the file on which the piece starts (a piece cut inside a long
    /// line starts on that same line).
    pub first_line: usize,
    /// 0 for the first piece of a file.
    pub index: usize,
    /// True when the piece is the whole file.
    pub whole: bool,
    /// True for the last piece of a file (and for a whole file).
    pub last: bool,
    /// For a file read by [`crate::ingest`] (PDF, DOCX, ODT, HTML): what was extracted,
    /// with its pages and anchors; `None` for plain text.
    pub extracted: Option<&'a Extracted>,
}

/// Size limits of [`read_pieces`] (the constants, smaller in unit tests).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Files larger than this are read in pieces.
    pub(crate) large: u64,
    /// The size of a piece.
    pub(crate) piece: usize,
}

pub(crate) const LIMITS: Limits = Limits {
    large: LARGE_FILE_BYTES,
    piece: PIECE_BYTES,
};

/// Read and decode one file and call `each` with its text: once with the whole text for
/// a file up to [`LARGE_FILE_BYTES`], else once per piece of about [`PIECE_BYTES`], cut
/// after a line break, or inside a longer line after a space, or failing that at a
/// character boundary; no text is dropped. The encoding is decided for the whole file as
/// in [`decode`] (a first pass over a large file looks for NUL bytes and invalid UTF-8).
/// Read errors (permissions, a file that vanished) become warnings; only errors from
/// `each` are returned.
pub fn read_pieces<E>(
    file: &CorpusFile,
    warnings: &mut Vec<Warning>,
    each: impl FnMut(Piece<'_>, &mut Vec<Warning>) -> Result<(), E>,
) -> Result<(), E> {
    read_pieces_with(LIMITS, file, warnings, each)
}

/// [`read_pieces`] with other size limits (small ones in tests): a small file is read
/// whole ([`read_whole`]), a large one has its encoding decided first ([`large_encoding`])
/// and is then streamed in pieces ([`stream`]).
pub(crate) fn read_pieces_with<E>(
    limits: Limits,
    file: &CorpusFile,
    warnings: &mut Vec<Warning>,
    mut each: impl FnMut(Piece<'_>, &mut Vec<Warning>) -> Result<(), E>,
) -> Result<(), E> {
    if file.format != SourceFormat::Txt {
        return read_extracted(file, warnings, each);
    }
    let len = match std::fs::metadata(&file.path) {
        Ok(m) => m.len(),
        Err(e) => {
            cannot_read(file, e, warnings);
            return Ok(());
        }
    };
    if len <= limits.large {
        return read_whole(file, warnings, each);
    }
    let Some(encoding) = large_encoding(limits, file, warnings) else {
        return Ok(());
    };
    warnings.push(Warning {
        notice: true,
        file: file.rel.clone(),
        line: 0,
        message: format!(
            "large file ({:.1} MiB, over the {} MiB read whole): read and parsed in pieces \
             of about {} KiB",
            len as f64 / f64::from(1 << 20),
            limits.large >> 20,
            limits.piece >> 10
        ),
    });
    let mut state = Stream {
        first_line: 1,
        index: 0,
        sent_last: false,
    };
    match stream(limits, file, encoding, &mut state, warnings, &mut each) {
        Ok(inner) => inner,
        Err(e) => {
            cannot_read(file, e, warnings);
            Ok(())
        }
    }
}

/// Warn that `file` could not be read (it is skipped).
fn cannot_read(file: &CorpusFile, e: std::io::Error, warnings: &mut Vec<Warning>) {
    warnings.push(Warning {
        notice: false,
        file: file.rel.clone(),
        line: 0,
        message: format!("cannot read: {e}; skipped"),
    });
}

/// Read and [`decode`] a small file at once and call `each` with its whole text as the
/// only piece; a file that cannot be read or decoded gets a warning and no call.
fn read_whole<E>(
    file: &CorpusFile,
    warnings: &mut Vec<Warning>,
    mut each: impl FnMut(Piece<'_>, &mut Vec<Warning>) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => {
            cannot_read(file, e, warnings);
            return Ok(());
        }
    };
    let Some(text) = decode(&file.rel, &bytes, warnings) else {
        return Ok(());
    };
    drop(bytes);
    each(
        Piece {
            text: &text,
            first_line: 1,
            index: 0,
            whole: true,
            last: true,
            extracted: None,
        },
        warnings,
    )
}

/// Read a PDF, DOCX, ODT or HTML file through [`crate::ingest::extract`] and call `each`
/// once with its whole text; a file that cannot be read gets a warning saying why and
/// is skipped, notes about it (pages without text, scripts dropped) become warnings.
fn read_extracted<E>(
    file: &CorpusFile,
    warnings: &mut Vec<Warning>,
    mut each: impl FnMut(Piece<'_>, &mut Vec<Warning>) -> Result<(), E>,
) -> Result<(), E> {
    let warn = |warnings: &mut Vec<Warning>, message: String| {
        warnings.push(Warning {
            notice: false,
            file: file.rel.clone(),
            line: 0,
            message,
        })
    };
    let extracted = match crate::ingest::extract(&file.path, file.format) {
        Ok(e) => e,
        Err(e) => {
            warn(warnings, format!("{e}; skipped"));
            return Ok(());
        }
    };
    for note in &extracted.notes {
        warn(warnings, note.clone());
    }
    each(
        Piece {
            text: &extracted.text,
            first_line: 1,
            index: 0,
            whole: true,
            last: true,
            extracted: Some(&extracted),
        },
        warnings,
    )
}

/// The encoding and byte-order-mark length of a large file ([`sniff`]), with its
/// warnings (the encoding note, the first line that is not valid UTF-8); `None`, with a
/// warning, for a binary or unreadable file, which is skipped.
fn large_encoding(
    limits: Limits,
    file: &CorpusFile,
    warnings: &mut Vec<Warning>,
) -> Option<(Encoding, usize)> {
    match sniff(&file.path, limits.piece) {
        Ok(Sniffed::Binary) => {
            warnings.push(Warning {
                notice: false,
                file: file.rel.clone(),
                line: 0,
                message: "binary file (NUL bytes); skipped".into(),
            });
            None
        }
        Ok(Sniffed::Text {
            encoding,
            bom,
            note,
            invalid_utf8_line,
        }) => {
            if let Some(message) = note {
                warnings.push(Warning {
                    notice: false,
                    file: file.rel.clone(),
                    line: 0,
                    message,
                });
            }
            if let Some(line) = invalid_utf8_line {
                warnings.push(Warning {
                    notice: false,
                    file: file.rel.clone(),
                    line,
                    message: "not valid UTF-8; decoded as Windows-1252 (Latin-1)".into(),
                });
            }
            Some((encoding, bom))
        }
        Err(e) => {
            cannot_read(file, e, warnings);
            None
        }
    }
}

/// A file's encoding: one of `encoding_rs`, or UTF-32 (which it does not decode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Rs(&'static encoding_rs::Encoding),
    Utf32 { big_endian: bool },
}

/// What a first pass over a large file found.
enum Sniffed {
    Binary,
    Text {
        encoding: Encoding,
        /// Length of the byte-order mark to skip.
        bom: usize,
        /// A warning about the encoding (not UTF-8, or found without a byte-order mark).
        note: Option<String>,
        /// The line of the first byte that is not valid UTF-8 (Windows-1252 is used then).
        invalid_utf8_line: Option<usize>,
    },
}

/// Decide a large file's encoding the way [`decode`] does for a small one, reading it in
/// chunks of `chunk` bytes.
fn sniff(path: &Path, chunk: usize) -> std::io::Result<Sniffed> {
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; chunk];
    let mut head = [0u8; 4];
    let n = read_full(&mut f, &mut head)?;
    if let Some(sniffed) = sniff_bom(&head[..n]) {
        return Ok(sniffed);
    }
    // The head bytes are checked with the first chunk.
    let mut carry: Vec<u8> = head[..n].to_vec();
    let mut lines_before = 0usize;
    let mut invalid: Option<usize> = None;
    let mut first = true;
    loop {
        let n = read_full(&mut f, &mut buf)?;
        let data = &buf[..n];
        if std::mem::take(&mut first) {
            let mut sample = carry.clone();
            sample.extend_from_slice(&data[..data.len().min(UTF16_SAMPLE)]);
            if let Some(encoding) = utf16_without_bom(&sample) {
                return Ok(Sniffed::Text {
                    encoding: Encoding::Rs(encoding),
                    bom: 0,
                    note: Some(utf16_warning("", encoding).message),
                    invalid_utf8_line: None,
                });
            }
        }
        if data.contains(&0) || carry.contains(&0) {
            return Ok(Sniffed::Binary);
        }
        if invalid.is_none() {
            let mut joined = std::mem::take(&mut carry);
            joined.extend_from_slice(data);
            match std::str::from_utf8(&joined) {
                Ok(_) => {}
                Err(e) if e.error_len().is_none() && n > 0 => {
                    carry = joined[e.valid_up_to()..].to_vec();
                }
                Err(e) => {
                    let newlines = joined[..e.valid_up_to()]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    invalid = Some(lines_before + newlines + 1);
                }
            }
            lines_before += joined[..joined.len() - carry.len()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        }
        if n == 0 {
            break;
        }
    }
    Ok(Sniffed::Text {
        encoding: Encoding::Rs(if invalid.is_some() {
            encoding_rs::WINDOWS_1252
        } else {
            encoding_rs::UTF_8
        }),
        bom: 0,
        note: None,
        invalid_utf8_line: invalid,
    })
}

/// The encoding a byte-order mark at the start of `head` (a file's first bytes) names,
/// with a note unless it is UTF-8; `None` without a mark.
fn sniff_bom(head: &[u8]) -> Option<Sniffed> {
    if let Some(big_endian) = utf32_bom(head) {
        return Some(Sniffed::Text {
            encoding: Encoding::Utf32 { big_endian },
            bom: 4,
            note: Some(format!(
                "decoded as {} (byte-order mark)",
                utf32_name(big_endian)
            )),
            invalid_utf8_line: None,
        });
    }
    let (encoding, bom) = encoding_rs::Encoding::for_bom(head)?;
    Some(Sniffed::Text {
        encoding: Encoding::Rs(encoding),
        bom,
        note: (encoding != encoding_rs::UTF_8)
            .then(|| format!("decoded as {} (byte-order mark)", encoding.name())),
        invalid_utf8_line: None,
    })
}

/// Fill `buf` as far as the file allows; returns the bytes read (0 at the end).
fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

struct Stream {
    first_line: usize,
    index: usize,
    /// The last piece handed on was marked `last`.
    sent_last: bool,
}

/// The second pass over a large file: decode as a stream and cut pieces. The outer
/// `Result` carries read errors, the inner one the errors of `each`.
fn stream<E>(
    limits: Limits,
    file: &CorpusFile,
    (encoding, bom): (Encoding, usize),
    state: &mut Stream,
    warnings: &mut Vec<Warning>,
    each: &mut impl FnMut(Piece<'_>, &mut Vec<Warning>) -> Result<(), E>,
) -> std::io::Result<Result<(), E>> {
    let mut f = std::fs::File::open(&file.path)?;
    let mut skip = vec![0u8; bom];
    read_full(&mut f, &mut skip)?;
    let mut decoder = match encoding {
        Encoding::Rs(e) => Some(e.new_decoder_without_bom_handling()),
        Encoding::Utf32 { .. } => None,
    };
    // A multiple of 4, so UTF-32 units are never cut between chunks.
    let mut buf = vec![0u8; limits.piece.max(4) & !3];
    let mut pending = String::new();
    loop {
        let n = read_full(&mut f, &mut buf)?;
        let last = n == 0;
        let mut src = &buf[..n];
        if let Some(decoder) = &mut decoder {
            loop {
                let need = decoder
                    .max_utf8_buffer_length(src.len())
                    .unwrap_or(src.len().saturating_mul(3) + 16);
                pending.reserve(need);
                let (result, read, _) = decoder.decode_to_string(src, &mut pending, last);
                src = &src[read..];
                if result == encoding_rs::CoderResult::InputEmpty {
                    break;
                }
            }
        } else if let Encoding::Utf32 { big_endian } = encoding {
            decode_utf32(src, big_endian, &mut pending);
        }
        while pending.len() >= limits.piece || (last && !pending.is_empty()) {
            let cut = if pending.len() >= limits.piece {
                cut_point(&pending, limits.piece)
            } else {
                pending.len()
            };
            let piece_last = last && cut == pending.len();
            let piece = Piece {
                text: &pending[..cut],
                first_line: state.first_line,
                index: state.index,
                whole: false,
                last: piece_last,
                extracted: None,
            };
            if let Err(e) = each(piece, warnings) {
                return Ok(Err(e));
            }
            state.first_line += crate::parser::normalize::count_breaks(&pending[..cut]);
            state.index += 1;
            state.sent_last = piece_last;
            pending.drain(..cut);
        }
        if last {
            if !state.sent_last {
                // The text ended exactly at a cut: the parser still hears of the end.
                let piece = Piece {
                    text: "",
                    first_line: state.first_line,
                    index: state.index,
                    whole: false,
                    last: true,
                    extracted: None,
                };
                if let Err(e) = each(piece, warnings) {
                    return Ok(Err(e));
                }
            }
            return Ok(Ok(()));
        }
    }
}

/// Where to end a piece of at most `max` bytes of `text`: after the last line break
/// (`\n`, a lone `\r`, or `\r\n` whole, which may end one byte past `max`), else after
/// the last whitespace, else at the last character boundary (never 0).
fn cut_point(text: &str, max: usize) -> usize {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    if let Some(i) = head.rfind(['\n', '\r']) {
        let crlf = text[i..].starts_with("\r\n");
        return i + if crlf { 2 } else { 1 };
    }
    if let Some((i, c)) = head.char_indices().rev().find(|(_, c)| c.is_whitespace()) {
        return i + c.len_utf8();
    }
    if end == 0 {
        // `max` is smaller than the first character.
        text.chars().next().map_or(0, char::len_utf8)
    } else {
        end
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

    fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    fn utf32(s: &str, big_endian: bool) -> Vec<u8> {
        let mut b = if big_endian {
            vec![0, 0, 0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE, 0, 0]
        };
        for c in s.chars() {
            let n = c as u32;
            b.extend(if big_endian {
                n.to_be_bytes()
            } else {
                n.to_le_bytes()
            });
        }
        b
    }

    #[test]
    fn decodes_utf16_without_bom_and_utf32_with_bom() {
        let text = "Mål 3 - Trygghet\n\nÖstersund ökar tryggheten. 😀\n";
        for (bytes, name) in [
            (utf16(text, false), "UTF-16LE"),
            (utf16(text, true), "UTF-16BE"),
            (utf32(text, false), "UTF-32LE"),
            (utf32(text, true), "UTF-32BE"),
        ] {
            let mut w = Vec::new();
            assert_eq!(decode("x", &bytes, &mut w).as_deref(), Some(text), "{name}");
            assert_eq!(w.len(), 1, "{name}");
            assert!(w[0].message.contains(name), "{w:?}");
        }
        // Binary data with NUL bytes here and there stays binary.
        for bytes in [
            &b"PK\x03\x04\x00\x00binaryord\x00\x01"[..],
            b"ab\x00cd",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00",
            b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
        ] {
            let mut w = Vec::new();
            assert_eq!(decode("b", bytes, &mut w), None, "{bytes:?}");
            assert!(w[0].message.starts_with("binary"), "{w:?}");
        }
    }

    #[test]
    fn names_that_are_not_utf8_are_escaped_reversibly() {
        use std::os::unix::ffi::OsStrExt;
        let table: [(&[u8], &str); 8] = [
            (b"2022-T3.txt", "2022-T3.txt"),
            ("Östersund".as_bytes(), "Östersund"),
            (b"inv\xff\xfe.txt", "inv%FF%FE.txt"),
            (b"inv\xfe\xff.txt", "inv%FE%FF.txt"),
            (b"inv%FF%FE.txt", "inv%25FF%25FE.txt"),
            (b"budget 100%.txt", "budget 100%.txt"),
            (b"100%", "100%"),
            (b"G\xf6teborg \xc3", "G%F6teborg %C3"),
        ];
        let mut seen = std::collections::HashSet::new();
        for (raw, want) in table {
            let got = escape_name(std::ffi::OsStr::from_bytes(raw));
            assert_eq!(got, want, "{raw:?}");
            assert_eq!(unescape_name(&got), raw, "{raw:?}");
            assert!(seen.insert(got), "{raw:?} collides");
        }
    }

    #[test]
    fn scan_warns_about_names_and_root_files_and_lists_skipped_files() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let name = |b: &[u8]| std::ffi::OsStr::from_bytes(b).to_owned();
        std::fs::create_dir_all(root.join(name(b"m\xff")).join("sub")).unwrap();
        std::fs::create_dir_all(root.join("k")).unwrap();
        for rel in [
            root.join(name(b"m\xff")).join(name(b"inv\xff\xfe.txt")),
            root.join(name(b"m\xff")).join(name(b"inv\xfe\xff.txt")),
            root.join("k/2022-T3.txt"),
            root.join("k/a.pdf"),
            root.join("k/b.PDF"),
            root.join("k/c.docx"),
            root.join("k/README"),
            root.join("k/.DS_Store"),
            root.join("lost.txt"),
        ] {
            std::fs::write(rel, "x").unwrap();
        }
        let w = scan(root, &[]);
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "k/2022-T3.txt",
                "lost.txt",
                "m%FF/inv%FE%FF.txt",
                "m%FF/inv%FF%FE.txt"
            ]
        );
        let warned: Vec<(&str, &str)> = w
            .warnings
            .iter()
            .map(|w| (w.file.as_str(), &w.message[..20]))
            .collect();
        let mut warned = warned;
        warned.sort();
        assert_eq!(
            warned,
            [
                ("lost.txt", "file directly in the"),
                ("m%FF", "folder name is not v"),
                ("m%FF/inv%FE%FF.txt", "file name is not val"),
                ("m%FF/inv%FF%FE.txt", "file name is not val"),
            ]
        );
        assert!(w.warnings.iter().any(|w| w.message.contains(LAYOUT)));
        assert_eq!(w.skipped, ["k/README", "k/a.pdf", "k/b.PDF", "k/c.docx"]);
        assert_eq!(
            skipped_by_extension(&w.skipped),
            [
                (".pdf".to_string(), 2),
                ("(no extension)".to_string(), 1),
                (".docx".to_string(), 1)
            ]
        );
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

    /// Read `bytes` as a file with tiny limits; returns the pieces and warnings.
    fn pieces(bytes: &[u8], large: u64, piece: usize) -> (Vec<(String, usize)>, Vec<Warning>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, bytes).unwrap();
        let file = CorpusFile {
            path,
            rel: "f.txt".into(),
            format: SourceFormat::Txt,
        };
        let mut warnings = Vec::new();
        let mut out = Vec::new();
        read_pieces_with(Limits { large, piece }, &file, &mut warnings, |p, _| {
            assert_eq!(p.index, out.len());
            out.push((p.text.to_string(), p.first_line));
            Ok::<(), ()>(())
        })
        .unwrap();
        (out, warnings)
    }

    #[test]
    fn small_files_come_whole_large_ones_in_pieces_and_nothing_is_lost() {
        let text = "första raden\nandra raden är längre\ntredje\n".repeat(20);
        let (whole, w) = pieces(text.as_bytes(), 10_000, 64);
        assert_eq!(whole, [(text.clone(), 1)]);
        assert!(w.is_empty());
        let (parts, w) = pieces(text.as_bytes(), 100, 64);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.starts_with("large file"), "{w:?}");
        assert!(parts.len() > 10);
        assert_eq!(parts.concat_text(), text);
        let mut line = 1;
        for (p, first) in &parts {
            assert!(p.len() <= 64 && p.ends_with('\n'), "{p:?}");
            assert_eq!(*first, line);
            line += p.matches('\n').count();
        }
    }

    #[test]
    fn cr_only_and_crlf_files_are_cut_at_line_breaks_and_lines_counted() {
        for eol in ["\r", "\r\n"] {
            let text = format!("första raden{eol}andra raden är längre{eol}tredje{eol}").repeat(20);
            let (parts, _) = pieces(text.as_bytes(), 100, 64);
            assert_eq!(parts.concat_text(), text);
            let mut line = 1;
            for (p, first) in &parts {
                assert!(p.ends_with(eol), "{p:?}");
                assert_eq!(*first, line, "{eol:?}");
                line += p.matches(eol).count();
            }
        }
    }

    trait Concat {
        fn concat_text(&self) -> String;
    }
    impl Concat for Vec<(String, usize)> {
        fn concat_text(&self) -> String {
            self.iter().map(|(t, _)| t.as_str()).collect()
        }
    }

    #[test]
    fn one_long_line_is_cut_at_spaces_then_at_characters() {
        let text = "ord på svenska ".repeat(100);
        let (parts, _) = pieces(text.as_bytes(), 10, 50);
        assert_eq!(parts.concat_text(), text);
        assert!(parts.iter().all(|(p, l)| p.len() <= 50 && *l == 1));
        assert!(parts.iter().all(|(p, _)| p.ends_with(' ')));
        let text = "åäö".repeat(100);
        let (parts, _) = pieces(text.as_bytes(), 10, 50);
        assert_eq!(parts.concat_text(), text);
        assert!(parts.iter().all(|(p, _)| p.len() <= 50));
    }

    #[test]
    fn large_files_are_decoded_like_small_ones() {
        // Windows-1252 from line 3 on.
        let mut bytes = b"rad ett\nrad tv\xc3\xa5\n".to_vec();
        bytes.extend(b"M\xe5l och budget\n".repeat(30));
        let (parts, w) = pieces(&bytes, 100, 40);
        assert_eq!(parts.concat_text(), {
            let mut ws = Vec::new();
            decode("f.txt", &bytes, &mut ws).unwrap()
        });
        let enc: Vec<_> = w
            .iter()
            .filter(|w| w.message.contains("Windows-1252"))
            .collect();
        assert_eq!(enc.len(), 1);
        assert_eq!(enc[0].line, 3);
        // UTF-16 with a byte-order mark.
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Mål och budget\n".repeat(30).encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let (parts, w) = pieces(&bytes, 100, 40);
        assert_eq!(parts.concat_text(), "Mål och budget\n".repeat(30));
        assert!(w.iter().any(|w| w.message.contains("UTF-16LE")), "{w:?}");
        // UTF-16 without a byte-order mark, and UTF-32 with one (chunks of 40 bytes
        // keep UTF-32 units whole; 42 would not).
        let text = "Mål och budget 😀\n".repeat(30);
        for (bytes, name) in [
            (utf16(&text, false), "UTF-16LE"),
            (utf16(&text, true), "UTF-16BE"),
            (utf32(&text, false), "UTF-32LE"),
            (utf32(&text, true), "UTF-32BE"),
        ] {
            for piece in [40, 42] {
                let (parts, w) = pieces(&bytes, 100, piece);
                assert_eq!(parts.concat_text(), text, "{name}");
                assert!(w.iter().any(|w| w.message.contains(name)), "{w:?}");
            }
        }
        // NUL bytes far into the file.
        let mut bytes = b"text\n".repeat(100);
        bytes.push(0);
        let (parts, w) = pieces(&bytes, 100, 40);
        assert!(parts.is_empty());
        assert!(w.iter().any(|w| w.message.starts_with("binary")), "{w:?}");
        // A UTF-8 character split across chunk boundaries stays UTF-8.
        let text = "xå".repeat(200);
        let (parts, w) = pieces(text.as_bytes(), 100, 33);
        assert_eq!(parts.concat_text(), text);
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn a_vanished_file_is_a_warning() {
        let file = CorpusFile {
            path: PathBuf::from("/nonexistent/rapportsok/x.txt"),
            rel: "x.txt".into(),
            format: SourceFormat::Txt,
        };
        let mut warnings = Vec::new();
        read_pieces(&file, &mut warnings, |_, _| -> Result<(), ()> {
            panic!("no text expected")
        })
        .unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.starts_with("cannot read"));
    }
}
