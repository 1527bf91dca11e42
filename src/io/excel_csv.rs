//! CSV that Excel opens directly: UTF-8 with a byte-order mark, CRLF line ends, fields
//! quoted where needed, and cells that Excel would run as a formula made inert.

/// A cell Excel would read as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`.
fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

/// The header and rows as one CSV document.
pub fn excel_csv<S: AsRef<str>>(header: &[&str], rows: &[Vec<S>]) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(header).expect("writing to memory");
    for row in rows {
        out.write_record(row.iter().map(|c| inert(c.as_ref()))).expect("writing to memory");
    }
    out.into_inner().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_reads_it_as_written_and_runs_no_formula() {
        let rows = vec![vec!["a,b", "say \"hi\"", "小中集会所", "=HYPERLINK(\"x\")", "-1"]];
        let bytes = excel_csv(&["1", "2", "3", "4", "5"], &rows);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(text, "1,2,3,4,5\r\n\"a,b\",\"say \"\"hi\"\"\",小中集会所,\"'=HYPERLINK(\"\"x\"\")\",'-1\r\n");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let back: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(String::from).collect();
        assert_eq!(back[0], "a,b");
    }
}
