//! The condition grammar of Sigma detections.
//!
//! ```text
//! condition := or
//! or        := and ("or" and)*
//! and       := not ("and" not)*
//! not       := "not" not | primary
//! primary   := "(" or ")" | quantifier "of" target | identifier
//! quantifier:= "1" | "any" | "all" | N           (N a positive number)
//! target    := "them" | identifier pattern with "*"
//! ```
//!
//! Operators bind `not` tighter than `and`, and `and` tighter than `or`; keywords are matched
//! case-insensitively. Identifiers must name searches of the detection, and an `of` target must
//! select at least as many searches as its quantifier asks for.

use super::ast::{Condition, OfTarget, Quantifier, Search};

/// Parses and checks one condition string against the detection's searches.
pub(crate) fn parse(text: &str, searches: &[(String, Search)]) -> Result<Condition, String> {
    if let Some(at) = text.find('|') {
        return Err(format!(
            "the aggregation syntax ('|' at position {}) was removed in Sigma v2; write a \
             correlation rule instead",
            at + 1
        ));
    }
    let tokens = tokenize(text);
    if tokens.is_empty() {
        return Err("the condition is empty".into());
    }
    let mut parser = ConditionParser {
        tokens,
        next: 0,
        searches,
    };
    let condition = parser.or()?;
    match parser.peek() {
        None => Ok(condition),
        Some(token) => Err(format!(
            "unexpected '{}' at position {}",
            token.text, token.position
        )),
    }
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    /// 1-based character position in the condition.
    position: usize,
}

impl Token<'_> {
    fn is(&self, keyword: &str) -> bool {
        self.text.eq_ignore_ascii_case(keyword)
    }

    fn is_operator(&self) -> bool {
        ["and", "or", "not", "of", "(", ")"]
            .iter()
            .any(|k| self.is(k))
    }
}

/// Splits at whitespace and around parentheses.
fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let position = |byte: usize| text[..byte].chars().count() + 1;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() || c == '(' || c == ')' {
            if let Some(s) = start.take() {
                tokens.push(Token {
                    text: &text[s..at],
                    position: position(s),
                });
            }
            if !c.is_whitespace() {
                tokens.push(Token {
                    text: &text[at..at + 1],
                    position: position(at),
                });
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        tokens.push(Token {
            text: &text[s..],
            position: position(s),
        });
    }
    tokens
}

struct ConditionParser<'a> {
    tokens: Vec<Token<'a>>,
    next: usize,
    searches: &'a [(String, Search)],
}

impl<'a> ConditionParser<'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.next).copied()
    }

    fn take_keyword(&mut self, keyword: &str) -> bool {
        let found = self.peek().is_some_and(|t| t.is(keyword));
        if found {
            self.next += 1;
        }
        found
    }

    fn expect_operand(&mut self) -> Result<Token<'a>, String> {
        match self.peek() {
            None => Err("the condition ends where a search identifier is expected".into()),
            Some(token) if token.is_operator() && !token.is("(") => Err(format!(
                "'{}' at position {} where a search identifier is expected",
                token.text, token.position
            )),
            Some(token) => {
                self.next += 1;
                Ok(token)
            }
        }
    }

    fn or(&mut self) -> Result<Condition, String> {
        let mut operands = vec![self.and()?];
        while self.take_keyword("or") {
            operands.push(self.and()?);
        }
        Ok(join(operands, Condition::Or))
    }

    fn and(&mut self) -> Result<Condition, String> {
        let mut operands = vec![self.not()?];
        while self.take_keyword("and") {
            operands.push(self.not()?);
        }
        Ok(join(operands, Condition::And))
    }

    fn not(&mut self) -> Result<Condition, String> {
        if self.take_keyword("not") {
            return Ok(Condition::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Condition, String> {
        let token = self.expect_operand()?;
        if token.is("(") {
            let inner = self.or()?;
            return match self.peek() {
                Some(t) if t.is(")") => {
                    self.next += 1;
                    Ok(inner)
                }
                Some(t) => Err(format!(
                    "unexpected '{}' at position {}: the '(' at position {} is not closed",
                    t.text, t.position, token.position
                )),
                None => Err(format!(
                    "the '(' at position {} is not closed",
                    token.position
                )),
            };
        }
        if self.peek().is_some_and(|t| t.is("of")) {
            self.next += 1;
            return self.of(token);
        }
        self.identifier(token)
    }

    fn of(&mut self, quantifier: Token<'a>) -> Result<Condition, String> {
        let count = if quantifier.is("all") {
            Quantifier::All
        } else if quantifier.is("any") {
            Quantifier::AtLeast(1)
        } else {
            match quantifier.text.parse::<usize>() {
                Ok(n) if n > 0 => Quantifier::AtLeast(n),
                _ => {
                    return Err(format!(
                        "'{} of' at position {}: the quantifier must be 1, any, all or a \
                         positive number",
                        quantifier.text, quantifier.position
                    ));
                }
            }
        };
        let target_token = self.expect_operand()?;
        if target_token.is("(") {
            return Err(format!(
                "'of' at position {} needs 'them' or a search identifier pattern, not '('",
                target_token.position
            ));
        }
        let target = if target_token.is("them") {
            OfTarget::Them
        } else {
            OfTarget::Names(target_token.text.to_owned())
        };
        let selected = self
            .searches
            .iter()
            .filter(|(name, _)| target.selects(name))
            .count();
        let phrase = format!("{} of {}", quantifier.text, target_token.text);
        if selected == 0 {
            return Err(format!(
                "'{phrase}' selects no search identifier (defined: {})",
                self.defined()
            ));
        }
        if let Quantifier::AtLeast(n) = count
            && n > selected
        {
            return Err(format!(
                "'{phrase}' can never match: it selects only {selected} search identifier(s)"
            ));
        }
        Ok(Condition::Of {
            quantifier: count,
            target,
        })
    }

    fn identifier(&self, token: Token<'a>) -> Result<Condition, String> {
        if token.text.contains('*') {
            return Err(format!(
                "'{}' at position {}: wildcards are only allowed after '1 of' or 'all of'",
                token.text, token.position
            ));
        }
        if !self.searches.iter().any(|(name, _)| name == token.text) {
            return Err(format!(
                "'{}' at position {} is not a search identifier of this detection (defined: {})",
                token.text,
                token.position,
                self.defined()
            ));
        }
        Ok(Condition::Search(token.text.to_owned()))
    }

    fn defined(&self) -> String {
        self.searches
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One operand stays itself; nested operands of the same operator are flattened.
fn join(operands: Vec<Condition>, make: fn(Vec<Condition>) -> Condition) -> Condition {
    if operands.len() == 1 {
        return operands.into_iter().next().expect("one operand");
    }
    let mut flat = Vec::with_capacity(operands.len());
    for operand in operands {
        match (make(Vec::new()), operand) {
            (Condition::And(_), Condition::And(inner))
            | (Condition::Or(_), Condition::Or(inner)) => flat.extend(inner),
            (_, operand) => flat.push(operand),
        }
    }
    make(flat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigma::ast::Search;

    fn searches(names: &[&str]) -> Vec<(String, Search)> {
        names
            .iter()
            .map(|n| (n.to_string(), Search::Keywords(Vec::new())))
            .collect()
    }

    fn s(name: &str) -> Condition {
        Condition::Search(name.into())
    }

    #[test]
    fn precedence_not_and_or() {
        let defined = searches(&["a", "b", "c", "d"]);
        assert_eq!(
            parse("a or b and not c or d", &defined).unwrap(),
            Condition::Or(vec![
                s("a"),
                Condition::And(vec![s("b"), Condition::Not(Box::new(s("c")))]),
                s("d")
            ])
        );
        assert_eq!(
            parse("(a or b) and c", &defined).unwrap(),
            Condition::And(vec![Condition::Or(vec![s("a"), s("b")]), s("c")])
        );
        assert_eq!(
            parse("a AND (b and c)", &defined).unwrap(),
            Condition::And(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(
            parse("not not a", &defined).unwrap(),
            Condition::Not(Box::new(Condition::Not(Box::new(s("a")))))
        );
    }

    #[test]
    fn tokens_split_at_parentheses() {
        let texts: Vec<&str> = tokenize("(a or\tb)and(c)").iter().map(|t| t.text).collect();
        assert_eq!(texts, ["(", "a", "or", "b", ")", "and", "(", "c", ")"]);
        let texts: Vec<&str> = tokenize("x and(y)").iter().map(|t| t.text).collect();
        assert_eq!(texts, ["x", "and", "(", "y", ")"]);
    }
}
