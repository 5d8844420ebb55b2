//! Condition expressions (`rule_cond_expr` and friends): `a and not (b or c)` over named
//! conditions.

/// A parsed condition expression over the indexes of named conditions.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Leaf(usize),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// The value of the expression, `leaf` giving each condition's.
    pub(crate) fn eval(&self, leaf: &mut dyn FnMut(usize) -> bool) -> bool {
        match self {
            Expr::Leaf(i) => leaf(*i),
            Expr::Not(e) => !e.eval(leaf),
            Expr::And(a, b) => a.eval(leaf) && b.eval(leaf),
            Expr::Or(a, b) => a.eval(leaf) || b.eval(leaf),
        }
    }

    /// Marks the conditions the expression uses.
    pub(crate) fn mark_used(&self, used: &mut [bool]) {
        match self {
            Expr::Leaf(i) => used[*i] = true,
            Expr::Not(e) => e.mark_used(used),
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.mark_used(used);
                b.mark_used(used);
            }
        }
    }
}

/// Parses `a and not (b or c)`: identifiers of letters, digits, `_` and `-`; `not` binds
/// tighter than `and`, which binds tighter than `or`.
pub(crate) fn parse_expression(text: &str, names: &[&str]) -> Result<Expr, String> {
    let tokens = tokenize(text)?;
    let mut parser = ExprParser {
        tokens: &tokens,
        pos: 0,
        names,
    };
    let expr = parser.or()?;
    match parser.tokens.get(parser.pos) {
        None => Ok(expr),
        Some(t) => Err(format!("unexpected '{t}'")),
    }
}

fn tokenize(text: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' | ')' => tokens.push(c.to_string()),
            c if c.is_alphanumeric() || c == '_' || c == '-' => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, c)) = chars.peek() {
                    if !(c.is_alphanumeric() || c == '_' || c == '-') {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                tokens.push(text[start..end].to_string());
            }
            other => return Err(format!("unexpected character '{other}'")),
        }
    }
    Ok(tokens)
}

struct ExprParser<'a> {
    tokens: &'a [String],
    pos: usize,
    names: &'a [&'a str],
}

impl ExprParser<'_> {
    fn peek_is(&self, word: &str) -> bool {
        self.tokens.get(self.pos).is_some_and(|t| t == word)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek_is("or") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.peek_is("and") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.peek_is("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, String> {
        let token = self
            .tokens
            .get(self.pos)
            .ok_or_else(|| "the expression ends too early".to_string())?;
        self.pos += 1;
        if token == "(" {
            let inner = self.or()?;
            if !self.peek_is(")") {
                return Err("missing ')'".into());
            }
            self.pos += 1;
            return Ok(inner);
        }
        if matches!(token.as_str(), ")" | "and" | "or") {
            return Err(format!("unexpected '{token}'"));
        }
        self.names
            .iter()
            .position(|n| n == token)
            .map(Expr::Leaf)
            .ok_or_else(|| format!("no condition named '{token}'"))
    }
}
