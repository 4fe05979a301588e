//! Queries assembled at run time (list filters): static SQL fragments with numbered placeholders,
//! and every user value bound, never spliced into the text.

/// A value bound to a placeholder of a dynamic query.
#[derive(Clone, Debug)]
pub enum Arg {
    Int(i64),
    Text(String),
}

/// SQL text built from `&'static str` fragments plus its bound arguments.
#[derive(Debug, Default)]
pub struct SqlBuf {
    text: String,
    pub args: Vec<Arg>,
}

impl SqlBuf {
    pub fn new(start: &'static str) -> Self {
        Self { text: start.to_owned(), args: Vec::new() }
    }

    pub fn push(&mut self, fragment: &'static str) -> &mut Self {
        self.text.push_str(fragment);
        self
    }

    /// Appends a placeholder (`$n`) for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `(p1, p2, …)` for a non-empty list.
    pub fn bind_list(&mut self, args: impl IntoIterator<Item = Arg>) -> &mut Self {
        self.push("(");
        for (index, arg) in args.into_iter().enumerate() {
            if index > 0 {
                self.push(", ");
            }
            self.bind(arg);
        }
        self.push(")")
    }

    /// The finished text. Safe to execute: only static fragments and placeholders went in.
    pub fn sql(self) -> (sqlx::AssertSqlSafe<String>, Vec<Arg>) {
        (sqlx::AssertSqlSafe(self.text), self.args)
    }
}

/// Binds a [`SqlBuf`]'s arguments to a query, inside one arm of `on_conn!`.
#[macro_export]
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                $crate::sql::Arg::Int(value) => query.bind(value),
                $crate::sql::Arg::Text(value) => query.bind(value),
            };
        }
        query
    }};
}
