//! The little CSV the purchase import reads: comma-separated fields, double quotes around a field
//! that holds commas or quotes (a quote inside doubled), one record per line.

/// The fields of one line, or why it cannot be read.
pub fn fields(line: &str) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, ch) => field.push(ch),
            (false, '"') if field.is_empty() && !was_quoted => (quoted, was_quoted) = (true, true),
            (false, '"') => return Err("a quote in the middle of a field"),
            (false, ',') => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, ch) => field.push(ch),
        }
    }
    if quoted {
        return Err("a quoted field that does not end");
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::fields;

    #[test]
    fn fields_split_on_commas_outside_quotes() {
        assert_eq!(fields("a,b,,c").unwrap(), ["a", "b", "", "c"]);
        assert_eq!(fields(r#""Beans, 1 kg","say ""hi""",3"#).unwrap(), ["Beans, 1 kg", r#"say "hi""#, "3"]);
        assert!(fields(r#""open,b"#).is_err());
        assert!(fields(r#"a"b,c"#).is_err());
    }
}
