//! Aligned text tables for humans.

use std::io::{self, Write};

/// The widest a cell is printed; longer text is cut and ends with `…`.
const MAX_CELL: usize = 80;

/// Writes `rows` under `headers`, columns padded to their widest cell (at most
/// [`MAX_CELL`] characters) and separated by two spaces.
pub fn write(out: &mut impl Write, headers: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| cut(cell)).collect())
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&headers).chain(&cells) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(&widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn cut(cell: &str) -> String {
    if cell.chars().count() <= MAX_CELL {
        return cell.to_string();
    }
    let mut short: String = cell.chars().take(MAX_CELL - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    #[test]
    fn aligns_and_cuts() {
        let mut out = Vec::new();
        let long = "x".repeat(100);
        let rows = vec![
            vec!["a".to_string(), "bb".to_string(), "c".to_string()],
            vec!["dddd".to_string(), "e".to_string(), long],
        ];
        super::write(&mut out, &["H1", "H2", "H3"], &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "H1    H2  H3");
        assert_eq!(lines[1], "a     bb  c");
        assert!(lines[2].starts_with("dddd  e   xxx"));
        assert!(lines[2].ends_with('…'));
        assert_eq!(lines[2].chars().count(), 10 + 80);
    }
}
