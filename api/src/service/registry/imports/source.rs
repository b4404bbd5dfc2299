//! Reading an import file: UTF-8 (with or without BOM) or GB18030, detected by scanning the
//! file once, then decoded as a stream. The byte counter feeds the job's progress.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs::{Encoding, GB18030, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;

/// Whether the whole file is valid UTF-8, read in chunks (constant memory).
fn is_utf8(path: &Path) -> io::Result<bool> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0usize;
    loop {
        let n = file.read(&mut buf[carry..])?;
        if n == 0 {
            return Ok(carry == 0);
        }
        let filled = carry + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carry = 0,
            // An incomplete sequence at the end of the chunk: keep it for the next read.
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carry = filled - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// The encoding of an import file: UTF-8 if it is valid UTF-8, else GB18030.
pub fn detect(path: &Path) -> io::Result<&'static Encoding> {
    Ok(if is_utf8(path)? { UTF_8 } else { GB18030 })
}

/// Counts the raw bytes read from the file.
#[derive(Debug)]
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A UTF-8 stream of the file's text (BOM removed), and a counter of raw bytes consumed.
pub fn open(
    path: &Path,
    encoding: &'static Encoding,
) -> io::Result<(Box<dyn Read + Send>, Arc<AtomicU64>)> {
    let count = Arc::new(AtomicU64::new(0));
    let raw = Counting {
        inner: BufReader::with_capacity(1 << 16, File::open(path)?),
        count: count.clone(),
    };
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .build(raw);
    Ok((Box::new(decoded), count))
}

/// A CSV file opened in its encoding: the records still to read, the header row, and the
/// counter of raw bytes consumed (for progress).
pub struct CsvFile {
    pub csv: csv::Reader<Box<dyn Read + Send>>,
    pub header: Vec<String>,
    pub bytes: Arc<AtomicU64>,
}

/// Opens `path` as CSV (rows may differ in length: the layout check reports it) and reads
/// its header row.
pub fn open_csv(path: &Path, encoding: &'static Encoding) -> Result<CsvFile, String> {
    let (reader, bytes) = open(path, encoding).map_err(|e| format!("cannot read the file: {e}"))?;
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = csv
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    Ok(CsvFile { csv, header, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn gb18030_files_are_detected_and_decoded() {
        let text = "household_number,member_name\nA1,张三丰\n";
        let (gb, _, _) = GB18030.encode(text);
        let f = temp(&gb);
        assert_eq!(detect(f.path()).unwrap(), GB18030);
        let (mut reader, count) = open(f.path(), GB18030).unwrap();
        let mut out = String::new();
        reader.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
        assert_eq!(count.load(Ordering::Relaxed), gb.len() as u64);
    }

    #[test]
    fn utf8_with_bom_and_split_sequences_is_utf8() {
        let mut bytes = b"\xEF\xBB\xBFa,b\n".to_vec();
        // Enough Chinese text that 3-byte sequences straddle the 64 KiB chunk boundary.
        bytes.extend("张三丰,李四\n".repeat(20_000).as_bytes());
        let f = temp(&bytes);
        assert_eq!(detect(f.path()).unwrap(), UTF_8);
        let (mut reader, _) = open(f.path(), UTF_8).unwrap();
        let mut out = String::new();
        reader.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("a,b\n张三丰"));
    }
}
