//! Writing a set of output files all-or-nothing: every file is first written to a
//! temporary name in the target folder, and only when all are written are they renamed
//! into place. A failure removes the temporaries and leaves earlier outputs untouched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct OutputSet {
    files: Vec<(String, Vec<u8>)>,
}

impl OutputSet {
    pub fn add(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.push((name.into(), bytes.into()));
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(n, _)| n.as_str())
    }

    /// Writes all files into `dir` (created if missing); returns their final paths.
    pub fn commit(self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        fs::create_dir_all(dir)?;
        let pid = std::process::id();
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        for (name, bytes) in &self.files {
            let tmp = dir.join(format!(".{name}.tmp-{pid}"));
            if let Err(e) = fs::write(&tmp, bytes) {
                let _ = fs::remove_file(&tmp);
                for (t, _) in &staged {
                    let _ = fs::remove_file(t);
                }
                return Err(e);
            }
            staged.push((tmp, dir.join(name)));
        }
        for (tmp, target) in &staged {
            fs::rename(tmp, target)?;
        }
        Ok(staged.into_iter().map(|(_, t)| t).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_files_appear_and_no_temporaries_remain() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = OutputSet::default();
        set.add("a.txt", "A");
        set.add("b.txt", "B");
        let written = set.commit(dir.path()).unwrap();
        assert_eq!(written.len(), 2);
        let names: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(fs::read_to_string(dir.path().join("b.txt")).unwrap(), "B");
    }

    #[test]
    fn a_failing_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = OutputSet::default();
        set.add("ok.txt", "x");
        set.add("missing-folder/bad.txt", "y");
        assert!(set.commit(dir.path()).is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
