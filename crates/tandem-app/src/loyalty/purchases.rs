//! Purchases: repeat business, recorded one at a time through the API or imported from a CSV
//! export (admins: a shop's integration acts with an admin's token). The external reference is
//! the purchase's identity: recording it again changes nothing. An import is all or nothing: a
//! bad line refuses the whole file, naming the line.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::make_good::is_currency;
use tandem_domain::validate::FieldErrors;
use tandem_domain::{Millis, PersonId, Principal};
use tandem_store::loyalty::{self, NewPurchase};
use tandem_store::{Conn, people, recovery_budgets};

use super::{audit, csv};
use crate::recovery::money;
use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseInput {
    pub person_id: PersonId,
    /// The shop's own reference (an order number): recording it again changes nothing.
    pub external_ref: String,
    pub description: String,
    /// In the currency's minor unit (cents).
    pub amount_minor: i64,
    pub currency: String,
    /// RFC 3339, or a date (`2026-11-20`, midnight UTC).
    pub purchased_at: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PurchaseOut {
    pub external_ref: String,
    pub description: String,
    pub amount_minor: i64,
    pub currency: String,
    pub amount: String,
    pub purchased_at: Instant,
    /// `api` or `import`.
    pub source: String,
}

impl From<loyalty::PurchaseRow> for PurchaseOut {
    fn from(row: loyalty::PurchaseRow) -> Self {
        PurchaseOut {
            amount: money::format(row.amount_minor, &row.currency),
            external_ref: row.external_ref,
            description: row.description,
            amount_minor: row.amount_minor,
            currency: row.currency,
            purchased_at: instant(row.purchased_at),
            source: row.source,
        }
    }
}

/// What an import did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    pub imported: i64,
    /// Lines whose external reference was recorded before: skipped, not counted twice.
    pub duplicates: i64,
}

/// The columns an import file starts with, in this order.
pub const CSV_HEADER: &str = "email,external_ref,description,amount,currency,purchased_at";
const MAX_LINES: usize = 10_000;

impl App {
    /// Records one purchase; `Ok(false)` when its external reference was recorded before.
    pub async fn record_purchase(
        &self,
        principal: &Principal,
        input: PurchaseInput,
        now: Millis,
    ) -> Result<bool, AppError> {
        require_admin(principal)?;
        let mut errors = FieldErrors::new();
        let purchased_at = parse_when(&input.purchased_at);
        if purchased_at.is_none() {
            errors.add("purchased_at", "must be an instant (RFC 3339) or a date (YYYY-MM-DD)");
        }
        let fields = [("external_ref", &input.external_ref), ("description", &input.description)];
        for (field, value) in fields {
            if let Err(message) = check_text(value) {
                errors.add(field, message);
            }
        }
        check_amount(&mut errors, input.amount_minor, &input.currency);
        errors.into_result()?;
        let purchase = NewPurchase {
            person_id: input.person_id,
            external_ref: input.external_ref.trim().to_owned(),
            description: input.description.trim().to_owned(),
            amount_minor: input.amount_minor,
            currency: input.currency,
            purchased_at: purchased_at.unwrap_or(now),
        };
        let mut tx = self.store().begin().await?;
        if people::get(tx.conn(), input.person_id).await?.is_none() {
            return Err(AppError::invalid("person_id", "no such person"));
        }
        let recorded = loyalty::insert_purchase(tx.conn(), &purchase, "api", principal.person_id, now).await?;
        if recorded {
            let data = json!({ "external_ref": purchase.external_ref, "amount_minor": purchase.amount_minor,
                "currency": purchase.currency });
            audit(tx.conn(), purchase.person_id, principal.person_id, "purchase_recorded", &data, now).await?;
        }
        tx.commit().await?;
        Ok(recorded)
    }

    /// Imports a CSV export of purchases (header [`CSV_HEADER`]), all or nothing.
    pub async fn import_purchases(
        &self,
        principal: &Principal,
        text: &str,
        now: Millis,
    ) -> Result<ImportOutcome, AppError> {
        require_admin(principal)?;
        let rows = parse_file(text)?;
        let mut tx = self.store().begin().await?;
        let mut purchases = Vec::with_capacity(rows.len());
        for row in rows {
            let person = people::get_by_email(tx.conn(), &row.email.to_lowercase()).await?;
            let person =
                person.ok_or_else(|| line_error(row.line, format!("nobody in Tandem has the email {}", row.email)))?;
            purchases.push(NewPurchase { person_id: person.id, ..row.purchase });
        }
        let imported = insert_all(tx.conn(), &purchases, principal.person_id, now).await?;
        let data = json!({ "lines": purchases.len(), "imported": imported });
        recovery_budgets::append_event(
            tx.conn(),
            "purchases",
            0,
            principal.person_id,
            "purchases_imported",
            &data,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(ImportOutcome { imported, duplicates: purchases.len() as i64 - imported })
    }
}

async fn insert_all(mut conn: Conn<'_>, purchases: &[NewPurchase], by: PersonId, now: Millis) -> Result<i64, AppError> {
    let mut imported = 0;
    for purchase in purchases {
        if loyalty::insert_purchase(conn.reborrow(), purchase, "import", by, now).await? {
            imported += 1;
        }
    }
    Ok(imported)
}

fn require_admin(principal: &Principal) -> Result<(), AppError> {
    super::require_staff(principal)?;
    if principal.is_admin { Ok(()) } else { Err(AppError::forbidden("only an admin records purchases")) }
}

/// One line of an import, read and checked; the person is looked up by email afterwards.
struct Row {
    line: usize,
    email: String,
    purchase: NewPurchase,
}

fn line_error(line: usize, message: impl std::fmt::Display) -> AppError {
    AppError::invalid("csv", format!("line {line}: {message}; nothing was imported"))
}

fn parse_file(text: &str) -> Result<Vec<Row>, AppError> {
    let mut lines = text.lines().enumerate().map(|(index, line)| (index + 1, line.trim_end_matches('\r')));
    match lines.next() {
        Some((_, header)) if header.trim() == CSV_HEADER => {}
        _ => return Err(line_error(1, format!("the first line must be the header {CSV_HEADER}"))),
    }
    let rows: Vec<Row> = lines
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| parse_line(number, line))
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Err(line_error(2, "the file has no purchases"));
    }
    if rows.len() > MAX_LINES {
        return Err(line_error(MAX_LINES + 2, format!("at most {MAX_LINES} purchases per file")));
    }
    Ok(rows)
}

fn parse_line(line: usize, text: &str) -> Result<Row, AppError> {
    let fields = csv::fields(text).map_err(|problem| line_error(line, problem))?;
    let [email, external_ref, description, amount, currency, when] = <[String; 6]>::try_from(fields)
        .map_err(|fields| line_error(line, format!("{} fields instead of 6", fields.len())))?;
    for (name, value) in [("email", &email), ("external_ref", &external_ref), ("description", &description)] {
        check_text(value).map_err(|message| line_error(line, format!("{name} {message}")))?;
    }
    let amount_minor = money::parse_minor(&amount)
        .ok_or_else(|| line_error(line, format!("amount “{amount}” is not an amount such as 12.50")))?;
    let mut errors = FieldErrors::new();
    check_amount(&mut errors, amount_minor, currency.trim());
    if let Err(errors) = errors.into_result() {
        return Err(line_error(line, errors.summary()));
    }
    let purchased_at =
        parse_when(&when).ok_or_else(|| line_error(line, format!("purchased_at “{when}” is not a date")))?;
    let purchase = NewPurchase {
        person_id: PersonId(0),
        external_ref: external_ref.trim().to_owned(),
        description: description.trim().to_owned(),
        amount_minor,
        currency: currency.trim().to_owned(),
        purchased_at,
    };
    Ok(Row { line, email: email.trim().to_owned(), purchase })
}

fn check_text(value: &str) -> Result<(), &'static str> {
    let value = value.trim();
    if value.is_empty() {
        Err("is required")
    } else if value.chars().count() > 200 {
        Err("must be at most 200 characters")
    } else {
        Ok(())
    }
}

fn check_amount(errors: &mut FieldErrors, amount_minor: i64, currency: &str) {
    if !(0..=1_000_000_000).contains(&amount_minor) {
        errors.add("amount_minor", "must be between 0 and 1000000000");
    }
    if !is_currency(currency) {
        errors.add("currency", "must be a three-letter currency code such as EUR");
    }
}

/// An instant in RFC 3339, or a date (midnight UTC).
fn parse_when(text: &str) -> Option<Millis> {
    let text = text.trim();
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(timestamp.as_millisecond());
    }
    let date = text.parse::<jiff::civil::Date>().ok()?;
    date.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|zoned| zoned.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_line_by_line_and_a_bad_line_is_named() {
        let file = format!("{CSV_HEADER}\nerin@example.com,HB-1,\"Beans, 1 kg\",12.50,EUR,2026-11-02\n\n");
        let rows = parse_file(&file).unwrap();
        assert_eq!((rows.len(), rows[0].line, rows[0].purchase.amount_minor), (1, 2, 1_250));
        assert_eq!(rows[0].purchase.description, "Beans, 1 kg");
        let bad = format!(
            "{CSV_HEADER}\nerin@example.com,HB-1,Beans,12.50,EUR,2026-11-02\nerin@example.com,HB-2,Mug,ten,EUR,2026-11-03\n"
        );
        let error = parse_file(&bad).err().unwrap().to_string();
        assert!(error.contains("line 3") && error.contains("ten"), "{error}");
        assert!(parse_file("email,amount\n").err().unwrap().to_string().contains("line 1"));
        assert!(parse_file(&format!("{CSV_HEADER}\na,b,c\n")).err().unwrap().to_string().contains("3 fields"));
    }

    #[test]
    fn purchase_times_are_instants_or_dates() {
        assert_eq!(parse_when("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_when("1970-01-01T00:00:01Z"), Some(1_000));
        assert_eq!(parse_when("yesterday"), None);
    }
}
