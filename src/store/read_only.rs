//! Opening a finished generation read-only: a tantivy `Directory` that reads through to
//! the generation's files and refuses every write, so searching needs no write access to
//! the index folder (a read-only mount, another user than the nightly build's).

use std::path::Path;

/// Open a finished generation for reading only: no lock file is created and nothing is
/// written, so searching works on a read-only mount and as a user who may not write to
/// the index folder. A finished generation never changes, so readers need no lock.
pub fn open_read_only(dir: &Path) -> tantivy::Result<tantivy::Index> {
    let inner = tantivy::directory::MmapDirectory::open(dir)?;
    tantivy::Index::open(ReadOnlyDirectory { inner })
}

/// A directory that reads through to the files of a finished generation and refuses every
/// write (see [`open_read_only`]).
#[derive(Debug, Clone)]
struct ReadOnlyDirectory {
    inner: tantivy::directory::MmapDirectory,
}

fn read_only_error(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!("{} : the index is opened read-only", path.display()),
    )
}

impl tantivy::Directory for ReadOnlyDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), tantivy::directory::error::DeleteError> {
        Err(tantivy::directory::error::DeleteError::IoError {
            io_error: std::sync::Arc::new(read_only_error(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(
        &self,
        path: &Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        Err(tantivy::directory::error::OpenWriteError::wrap_io_error(
            read_only_error(path),
            path.to_path_buf(),
        ))
    }

    fn atomic_read(
        &self,
        path: &Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only_error(path))
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(
        &self,
        _lock: &tantivy::directory::Lock,
    ) -> Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError> {
        // Nothing in a finished generation changes, so a reader needs no lock file.
        Ok(tantivy::directory::DirectoryLock::from(Box::new(())))
    }

    fn watch(
        &self,
        _callback: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        Ok(tantivy::directory::WatchHandle::empty())
    }
}
