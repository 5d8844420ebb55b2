//! Printing lists of records in the three formats every listing command takes: `jsonl` (one
//! JSON object per line, as the core serialises it), `table` (aligned columns for humans) and
//! `csv` (a header row, then one row per record; RFC 4180 quoting).

use crate::{Format, table};
use serde::Serialize;
use std::io::{self, Write};

/// Writes `records` to stdout in `format`; `columns` are the keys of each record's JSON
/// object that the table and CSV show, in order (nested values are shown as JSON text).
pub fn print<T: Serialize>(format: Format, columns: &[&str], records: &[T]) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    write(&mut out, format, columns, records)?;
    out.flush()
}

/// [`print`] to any writer.
pub fn write<T: Serialize>(
    out: &mut impl Write,
    format: Format,
    columns: &[&str],
    records: &[T],
) -> io::Result<()> {
    if format == Format::Jsonl {
        // Each record as it serialises, its keys in their own order.
        for record in records {
            serde_json::to_writer(&mut *out, record).map_err(io::Error::other)?;
            out.write_all(b"\n")?;
        }
        return Ok(());
    }
    let rows = records
        .iter()
        .map(|record| serde_json::to_value(record).map(|value| cells(&value, columns)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io::Error::other)?;
    write_rows(out, format, columns, &rows)
}

/// Writes rows of cells under `columns`: as CSV for [`Format::Csv`], else as an aligned table
/// (whose headers are the columns upper-cased).
pub fn write_rows(
    out: &mut impl Write,
    format: Format,
    columns: &[&str],
    rows: &[Vec<String>],
) -> io::Result<()> {
    if format == Format::Csv {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(columns).map_err(io::Error::other)?;
        for row in rows {
            csv.write_record(row).map_err(io::Error::other)?;
        }
        return csv.flush();
    }
    let headers: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    table::write(out, &headers, rows)
}

/// The cells of one record: strings as they are, absent or null values empty, anything else
/// as JSON text.
fn cells(value: &serde_json::Value, columns: &[&str]) -> Vec<String> {
    columns
        .iter()
        .map(|column| match value.get(column) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_formats() {
        let records = vec![
            serde_json::json!({"id": "a1", "count": 3, "group": {"source.ip": "10.0.0.1"}, "note": "x,\"y\""}),
            serde_json::json!({"id": "a2", "count": 1, "group": {}, "note": null}),
        ];
        let columns = ["id", "count", "group", "note"];
        let text = |format| {
            let mut out = Vec::new();
            write(&mut out, format, &columns, &records).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            text(Format::Jsonl),
            "{\"count\":3,\"group\":{\"source.ip\":\"10.0.0.1\"},\"id\":\"a1\",\"note\":\"x,\\\"y\\\"\"}\n\
             {\"count\":1,\"group\":{},\"id\":\"a2\",\"note\":null}\n"
        );
        assert_eq!(
            text(Format::Csv),
            "id,count,group,note\na1,3,\"{\"\"source.ip\"\":\"\"10.0.0.1\"\"}\",\"x,\"\"y\"\"\"\na2,1,{},\n"
        );
        assert_eq!(
            text(Format::Table),
            "ID  COUNT  GROUP                     NOTE\na1  3      {\"source.ip\":\"10.0.0.1\"}  x,\"y\"\na2  1      {}\n"
        );
    }
}
