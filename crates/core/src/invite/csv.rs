//! CSV as people paste and export it (RFC 4180 and what spreadsheets do around it).
//!
//! Reads: quoted fields with doubled quotes, commas and line breaks inside quotes, `\r\n`,
//! `\n` or `\r` line ends, a byte-order mark, blank lines (skipped), Excel's `sep=;` first
//! line, and files separated by `;` or tabs instead of commas (sniffed from the first lines).
//! Writes: [`format`] and [`write_row`], quoting only what needs it, `\r\n` line ends.

use std::fmt;

/// A parsed file: its records, with the line each starts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The records, cells as written (unquoted, not trimmed).
    pub rows: Vec<Vec<String>>,
    /// For each record, the 1-based line of the file it starts on.
    pub lines: Vec<usize>,
    /// The separator the file uses: `,`, `;` or `\t`.
    pub delimiter: char,
}

impl Table {
    /// The number of columns: the longest record's.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// A cell, or `""` past the end of a short record.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .map_or("", String::as_str)
    }
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CsvError {
    #[error("The file is empty. Paste the rows, or choose a file with one person per line.")]
    Empty,
    #[error("The quote that opens on line {line} is never closed, so the rest of the file would be one cell. Add the closing \" or remove the opening one.")]
    UnclosedQuote { line: usize },
    #[error("This file has {} rows; the console takes at most {} at a time. Split it into files of {} rows or fewer and send them one after the other.", thousands(*.rows), thousands(MAX_ROWS), thousands(MAX_ROWS))]
    TooManyRows { rows: usize },
    #[error("This file is {}; the console reads files of up to {} (about {} people). Split it into smaller files.", size_text(*.bytes), size_text(MAX_BYTES), thousands(MAX_ROWS))]
    TooLarge { bytes: usize },
    #[error("This looks like {kind}, not a CSV file. {fix}")]
    NotText {
        kind: &'static str,
        fix: &'static str,
    },
}

/// The most rows one import takes: enough for a large org's batch, few enough that the saved
/// job fits in the browser's storage and a person can still review the preview.
pub const MAX_ROWS: usize = 20_000;

/// The largest file read: 20,000 rows of a few columns are well under 5 MB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// `20000` as "20,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Windows-1252's characters for the bytes 0x80 to 0x9F (the rest of the range is Latin-1);
/// `None` for the five bytes it leaves undefined.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// The text of a file as its bytes came: UTF-8 (with or without a byte-order mark), UTF-16
/// with a byte-order mark (what Excel's "Unicode Text" writes), or else Windows-1252 (what
/// Excel's plain "CSV" writes on Windows). A spreadsheet workbook, a PDF or another binary
/// file is refused with what to do, never read as garbage; so is a file over [`MAX_BYTES`].
pub fn decode_bytes(bytes: &[u8]) -> Result<String, CsvError> {
    if bytes.len() > MAX_BYTES {
        return Err(CsvError::TooLarge { bytes: bytes.len() });
    }
    const SAVE_AS_CSV: &str = "In the spreadsheet, choose File \u{203a} Save As (or Download) \u{203a} CSV UTF-8, and choose that file.";
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            return String::from_utf8(rest.to_vec()).map_err(|_| CsvError::NotText {
                kind: "a file that says it is UTF-8 but is not",
                fix: SAVE_AS_CSV,
            })
        }
        [0xFF, 0xFE, rest @ ..] => return utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => return utf16(rest, u16::from_be_bytes),
        [b'P', b'K', 3, 4, ..] => {
            return Err(CsvError::NotText {
                kind: "an Excel or OpenDocument workbook (a zip archive)",
                fix: SAVE_AS_CSV,
            })
        }
        [0xD0, 0xCF, 0x11, 0xE0, ..] => {
            return Err(CsvError::NotText {
                kind: "an old Excel workbook (.xls)",
                fix: SAVE_AS_CSV,
            })
        }
        [b'%', b'P', b'D', b'F', ..] => {
            return Err(CsvError::NotText {
                kind: "a PDF document",
                fix: "Export the list from where it came as CSV, or paste its rows.",
            })
        }
        _ => {}
    }
    // NUL bytes: UTF-16 without a byte-order mark, or a binary file; neither reads as text.
    if bytes.contains(&0) {
        return Err(CsvError::NotText {
            kind: "a binary file or UTF-16 text without a byte-order mark",
            fix: SAVE_AS_CSV,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        let c = match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)].ok_or(CsvError::NotText {
                kind: "text in an encoding the console does not know",
                fix: SAVE_AS_CSV,
            })?,
            _ => char::from(b),
        };
        out.push(c);
    }
    Ok(out)
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, CsvError> {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| read([pair[0], *pair.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16(&units).map_err(|_| CsvError::NotText {
        kind: "a file that says it is UTF-16 but is not",
        fix: "In the spreadsheet, choose File \u{203a} Save As \u{203a} CSV UTF-8, and choose that file.",
    })
}

const CANDIDATES: [char; 3] = [',', ';', '\t'];
/// Records looked at to guess the separator.
const SNIFF_RECORDS: usize = 10;

/// Parses CSV text (see the module's notes for what is accepted).
pub fn parse(text: &str) -> Result<Table, CsvError> {
    if text.len() > MAX_BYTES {
        return Err(CsvError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let (delimiter, text, first_line) = match sep_directive(text) {
        Some((d, rest)) => (d, rest, 2),
        None => (sniff(text), text, 1),
    };
    let mut table = parse_with(text, delimiter, first_line)?;
    if table.rows.is_empty() {
        return Err(CsvError::Empty);
    }
    // One row more than the limit is allowed for a header.
    if table.rows.len() > MAX_ROWS + 1 {
        return Err(CsvError::TooManyRows {
            rows: table.rows.len(),
        });
    }
    table.delimiter = delimiter;
    Ok(table)
}

/// Parses with a known separator. `first_line` is the line number of the text's first line.
pub fn parse_with(text: &str, delimiter: char, first_line: usize) -> Result<Table, CsvError> {
    let mut table = Table {
        delimiter,
        ..Table::default()
    };
    let mut line = first_line;
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    // Whether the field being read had a quoted part (a later `"` is then plain text).
    let mut field_quoted = false;
    // Whether the current record has anything in it (a blank line has not), and its line.
    let mut started = false;
    let mut record_line = line;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !started {
            record_line = line;
        }
        match c {
            '"' if field.is_empty() && !field_quoted => {
                started = true;
                field_quoted = true;
                let open_line = line;
                loop {
                    match chars.next() {
                        None => return Err(CsvError::UnclosedQuote { line: open_line }),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some('\r') => {
                            field.push('\r');
                            if chars.peek() == Some(&'\n') {
                                chars.next();
                                field.push('\n');
                            }
                            line += 1;
                        }
                        Some('\n') => {
                            field.push('\n');
                            line += 1;
                        }
                        Some(other) => field.push(other),
                    }
                }
                // Text after the closing quote (`"a"b`) is kept, as spreadsheets do.
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line += 1;
                if started {
                    record.push(std::mem::take(&mut field));
                    table.rows.push(std::mem::take(&mut record));
                    table.lines.push(record_line);
                    started = false;
                    field_quoted = false;
                }
            }
            d if d == delimiter => {
                started = true;
                field_quoted = false;
                record.push(std::mem::take(&mut field));
            }
            other => {
                started = true;
                field.push(other);
            }
        }
    }
    if started {
        record.push(field);
        table.rows.push(record);
        table.lines.push(record_line);
    }
    Ok(table)
}

/// Excel's `sep=X` first line: the separator, and the text after that line.
fn sep_directive(text: &str) -> Option<(char, &str)> {
    let rest = text.strip_prefix("sep=")?;
    let mut chars = rest.chars();
    let d = chars.next()?;
    let after = chars.as_str();
    let after = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix('\n'))
        .or_else(|| after.strip_prefix('\r'))?;
    CANDIDATES.contains(&d).then_some((d, after))
}

/// Guesses the separator from the first records: for each candidate, the number of
/// separators outside quotes in each record. The candidate that splits the first record into
/// the most cells while splitting the most of the following records the same way wins; a
/// comma when nothing splits.
pub fn sniff(text: &str) -> char {
    let mut best = (',', 0usize, 0usize);
    for d in CANDIDATES {
        let counts = separators_per_record(text, d);
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&n| n == first).count();
        if (consistent, first) > (best.1, best.2) {
            best = (d, consistent, first);
        }
    }
    best.0
}

fn separators_per_record(text: &str, d: char) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut in_quotes = false;
    let mut n = 0;
    let mut blank = true;
    for c in text.chars() {
        if counts.len() == SNIFF_RECORDS {
            return counts;
        }
        match c {
            '"' => {
                in_quotes = !in_quotes;
                blank = false;
            }
            '\r' | '\n' if !in_quotes => {
                if !blank {
                    counts.push(n);
                }
                n = 0;
                blank = true;
            }
            c if c == d && !in_quotes => {
                n += 1;
                blank = false;
            }
            _ => blank = false,
        }
    }
    if !blank && counts.len() < SNIFF_RECORDS {
        counts.push(n);
    }
    counts
}

/// Writes one record, comma-separated, ending in `\r\n`. A cell is quoted when it holds a
/// separator (`,`, `;`, tab), a quote, a line break, or leading or trailing spaces, and so is
/// a record of one empty cell (else it would be a blank line).
pub fn write_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let cell = cell.as_ref();
        let lone_empty = cells.len() == 1 && cell.is_empty();
        if lone_empty || needs_quotes(cell) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}

fn needs_quotes(cell: &str) -> bool {
    cell.contains([',', ';', '\t', '"', '\r', '\n'])
        || cell.starts_with(char::is_whitespace)
        || cell.ends_with(char::is_whitespace)
        || cell.starts_with('\u{FEFF}')
        || cell.starts_with("sep=")
}

/// Writes records as CSV text that [`parse`] reads back to the same records.
pub fn format<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    let mut out = String::new();
    for row in rows {
        write_row(&mut out, row);
    }
    out
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format(&self.rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        parse(text).unwrap().rows
    }

    fn v(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_records_with_any_line_end() {
        let t = parse("email,name\r\nana@x.co,Ana\nbo@x.co,Bo\rcy@x.co,Cy").unwrap();
        assert_eq!(
            t.rows,
            vec![
                v(&["email", "name"]),
                v(&["ana@x.co", "Ana"]),
                v(&["bo@x.co", "Bo"]),
                v(&["cy@x.co", "Cy"])
            ]
        );
        assert_eq!(t.lines, vec![1, 2, 3, 4]);
        assert_eq!(t.delimiter, ',');
    }

    #[test]
    fn quotes_doubled_quotes_and_embedded_separators_and_newlines() {
        let t = parse(
            "email,name,message\n\"ana@x.co\",\"Lima, Ana\",\"Say \"\"hi\"\"\nto all\"\nbo@x.co,Bo,\"a\r\nb\"\n",
        )
        .unwrap();
        assert_eq!(
            t.rows[1],
            v(&["ana@x.co", "Lima, Ana", "Say \"hi\"\nto all"])
        );
        assert_eq!(t.rows[2], v(&["bo@x.co", "Bo", "a\r\nb"]));
        assert_eq!(
            t.lines,
            vec![1, 2, 4],
            "line numbers count the line inside quotes"
        );
    }

    #[test]
    fn empty_cells_and_short_rows_are_kept() {
        let t = parse("a,,c\n,\n\"\"\nx").unwrap();
        assert_eq!(
            t.rows,
            vec![v(&["a", "", "c"]), v(&["", ""]), v(&[""]), v(&["x"])]
        );
        assert_eq!(t.width(), 3);
        assert_eq!(t.cell(3, 2), "");
    }

    #[test]
    fn bom_blank_and_trailing_empty_lines_are_skipped() {
        let t = parse("\u{FEFF}email\r\n\r\nana@x.co\r\n\r\n\r\n").unwrap();
        assert_eq!(t.rows, vec![v(&["email"]), v(&["ana@x.co"])]);
        assert_eq!(t.lines, vec![1, 3]);
    }

    #[test]
    fn text_after_a_closing_quote_and_quotes_inside_plain_cells_are_kept() {
        assert_eq!(rows("\"a\"b,c\"d\"\n"), vec![v(&["ab", "c\"d\""])]);
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        let e = parse("email\nana@x.co\n\"bo@x.co,Bo\ncy@x.co\n").unwrap_err();
        assert_eq!(e, CsvError::UnclosedQuote { line: 3 });
        assert!(e.to_string().contains("line 3"));
    }

    #[test]
    fn nothing_but_blank_lines_is_empty() {
        assert_eq!(parse(""), Err(CsvError::Empty));
        assert_eq!(parse("\u{FEFF}\r\n\n"), Err(CsvError::Empty));
    }

    #[test]
    fn semicolon_and_tab_files_are_sniffed() {
        let t = parse("email;name;channels\nana@x.co;Lima, Ana;#general\n").unwrap();
        assert_eq!(t.delimiter, ';');
        assert_eq!(t.rows[1], v(&["ana@x.co", "Lima, Ana", "#general"]));
        let t = parse("email\tname\nana@x.co\tAna, Lima; Jr\n").unwrap();
        assert_eq!(t.delimiter, '\t');
        assert_eq!(t.rows[1], v(&["ana@x.co", "Ana, Lima; Jr"]));
    }

    #[test]
    fn sniffing_prefers_the_separator_that_splits_rows_alike() {
        // Channels separated by ; inside a comma file.
        let text = "ana@x.co,Ana,general;random;design;hr\nbo@x.co,Bo,general\n";
        assert_eq!(sniff(text), ',');
        // Separators inside quotes do not count.
        assert_eq!(sniff("a,\"b;c;d;e\"\n"), ',');
        assert_eq!(sniff("just-one-column\nx\n"), ',');
    }

    #[test]
    fn excel_sep_line_sets_the_separator() {
        let t = parse("sep=;\r\nemail;name\r\nana@x.co;Ana\r\n").unwrap();
        assert_eq!(t.delimiter, ';');
        assert_eq!(t.rows, vec![v(&["email", "name"]), v(&["ana@x.co", "Ana"])]);
        assert_eq!(t.lines, vec![2, 3]);
    }

    #[test]
    fn format_quotes_only_what_needs_it() {
        let out = format(&[
            v(&["plain", "with,comma", "with \"quote\"", "two\nlines"]),
            v(&[" padded", "semi;colon", "tab\there", ""]),
            v(&[""]),
        ]);
        assert_eq!(
            out,
            "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\"\r\n\" padded\",\"semi;colon\",\"tab\there\",\r\n\"\"\r\n"
        );
        assert_eq!(
            parse(&out).unwrap().rows,
            vec![
                v(&["plain", "with,comma", "with \"quote\"", "two\nlines"]),
                v(&[" padded", "semi;colon", "tab\there", ""]),
                v(&[""]),
            ]
        );
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn cell() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z@.]{0,8}",
                "[ ,;\t\"\r\na-zé#|=+-]{0,10}",
                any::<String>(),
            ]
        }

        proptest! {
            #[test]
            fn parse_never_panics(s in any::<String>()) {
                let _ = parse(&s);
            }

            #[test]
            fn parse_never_panics_on_csv_like_text(s in "[a-z,;\t\"\r\n \u{FEFF}]{0,60}") {
                if let Ok(t) = parse(&s) {
                    prop_assert_eq!(t.rows.len(), t.lines.len());
                    prop_assert!(t.lines.windows(2).all(|w| w[0] < w[1]));
                }
            }

            #[test]
            fn parse_reads_back_what_format_wrote(
                rows in prop::collection::vec(prop::collection::vec(cell(), 1..6), 1..8)
            ) {
                let text = format(&rows);
                let table = parse(&text).unwrap();
                prop_assert_eq!(table.rows, rows);
            }
        }
    }
}
