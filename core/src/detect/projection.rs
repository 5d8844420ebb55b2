//! An event projected onto the fields the rules read: per field id, its values ("atoms").
//!
//! A projection is reused from event to event, so matching allocates nothing once warm: the
//! text of every value lives in one arena string, values in one vector, and only the fields
//! touched by the last event are reset.

use super::fields::{FieldId, FieldTable};
use crate::event::{Event, Value};

/// The type of one scalar value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Str,
    Int(i64),
    Float(f64),
    Bool,
    Null,
}

/// One scalar value of a field: its type and its text in the arena (empty for null).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Atom {
    pub(crate) kind: Kind,
    start: u32,
    end: u32,
}

impl Atom {
    /// The value as a number: integers, floats, and strings that parse as numbers.
    pub(crate) fn number(&self, projection: &Projection) -> Option<f64> {
        match self.kind {
            Kind::Int(i) => Some(i as f64),
            Kind::Float(f) => Some(f),
            Kind::Str => projection.text(self).trim().parse().ok(),
            Kind::Bool | Kind::Null => None,
        }
    }
}

const ABSENT: (u32, u32) = (u32::MAX, u32::MAX);

/// The values of the fields of one event that the rules read.
#[derive(Debug)]
pub(crate) struct Projection {
    arena: String,
    atoms: Vec<Atom>,
    /// Per field id: the range of its atoms, or [`ABSENT`].
    spans: Vec<(u32, u32)>,
    touched: Vec<FieldId>,
    /// When keyword searches exist: the text ranges of every string value of the event.
    keyword_texts: Option<Vec<(u32, u32)>>,
    /// The object read is a Windows event-log record, left for the general parser.
    windows_record: bool,
}

impl Projection {
    /// An empty projection for a table of `fields` fields; `keywords` also collects every
    /// string of the event for keyword searches.
    pub(crate) fn new(fields: usize, keywords: bool) -> Projection {
        Projection {
            arena: String::with_capacity(4096),
            atoms: Vec::with_capacity(64),
            spans: vec![ABSENT; fields],
            touched: Vec::with_capacity(64),
            keyword_texts: keywords.then(Vec::new),
            windows_record: false,
        }
    }

    /// Forgets the last event.
    pub(crate) fn clear(&mut self) {
        for &f in &self.touched {
            self.spans[f as usize] = ABSENT;
        }
        self.touched.clear();
        self.atoms.clear();
        self.arena.clear();
        if let Some(k) = &mut self.keyword_texts {
            k.clear();
        }
        self.windows_record = false;
    }

    /// Marks the object being read as a Windows event-log record.
    pub(crate) fn mark_windows_record(&mut self) {
        self.windows_record = true;
    }

    /// True if the object read is a Windows event-log record: nothing was projected, the
    /// general parser flattens it.
    pub(crate) fn is_windows_record(&self) -> bool {
        self.windows_record
    }

    /// True if keyword searches need every string of the event.
    pub(crate) fn wants_keywords(&self) -> bool {
        self.keyword_texts.is_some()
    }

    /// The atoms of `field`, or `None` if the event lacks it.
    #[inline]
    pub(crate) fn field(&self, field: FieldId) -> Option<&[Atom]> {
        let (start, end) = self.spans[field as usize];
        (start != u32::MAX).then(|| &self.atoms[start as usize..end as usize])
    }

    /// The fields the event has, among those the rules read.
    pub(crate) fn present(&self) -> &[FieldId] {
        &self.touched
    }

    /// The text of an atom (empty for null).
    #[inline]
    pub(crate) fn text(&self, atom: &Atom) -> &str {
        &self.arena[atom.start as usize..atom.end as usize]
    }

    /// Every string value of the event, when keyword searches exist.
    pub(crate) fn keyword_texts(&self) -> impl Iterator<Item = &str> {
        self.keyword_texts
            .iter()
            .flatten()
            .map(|&(s, e)| &self.arena[s as usize..e as usize])
    }

    /// Starts recording the values of `field`; returns the mark to pass to [`Self::end_field`].
    pub(crate) fn begin_field(&self) -> u32 {
        self.atoms.len() as u32
    }

    /// Finishes recording `field`'s values pushed since `mark`. A repeated field keeps its
    /// last values, like [`crate::event::Fields::insert`].
    pub(crate) fn end_field(&mut self, field: FieldId, mark: u32) {
        if self.spans[field as usize] == ABSENT {
            self.touched.push(field);
        }
        self.spans[field as usize] = (mark, self.atoms.len() as u32);
    }

    /// Records a string value of the current field (or, with `field_known` false, only for
    /// keyword searches).
    pub(crate) fn push_str(&mut self, text: &str, field_known: bool) {
        let start = self.arena.len() as u32;
        self.arena.push_str(text);
        let end = self.arena.len() as u32;
        if let Some(k) = &mut self.keyword_texts {
            k.push((start, end));
        }
        if field_known {
            self.atoms.push(Atom {
                kind: Kind::Str,
                start,
                end,
            });
        }
    }

    /// Records an integer value of the current field.
    pub(crate) fn push_int(&mut self, i: i64) {
        let start = self.arena.len() as u32;
        self.arena.push_str(itoa::Buffer::new().format(i));
        self.push_atom(Kind::Int(i), start);
    }

    /// Records a float value of the current field.
    pub(crate) fn push_float(&mut self, f: f64) {
        use std::fmt::Write;
        let start = self.arena.len() as u32;
        let _ = write!(self.arena, "{f}");
        self.push_atom(Kind::Float(f), start);
    }

    /// Records a boolean value of the current field.
    pub(crate) fn push_bool(&mut self, b: bool) {
        let start = self.arena.len() as u32;
        self.arena.push_str(if b { "true" } else { "false" });
        self.push_atom(Kind::Bool, start);
    }

    /// Records a null value of the current field.
    pub(crate) fn push_null(&mut self) {
        let start = self.arena.len() as u32;
        self.push_atom(Kind::Null, start);
    }

    fn push_atom(&mut self, kind: Kind, start: u32) {
        let end = self.arena.len() as u32;
        self.atoms.push(Atom { kind, start, end });
    }

    /// Projects an event (clearing the previous one).
    pub(crate) fn load_event(&mut self, table: &FieldTable, event: &Event) {
        self.clear();
        for (name, value) in event.fields.iter() {
            match table.get(name) {
                Some(field) => {
                    let mark = self.begin_field();
                    self.push_value(value, true);
                    self.end_field(field, mark);
                }
                None if self.wants_keywords() => self.push_value(value, false),
                None => {}
            }
        }
    }

    fn push_value(&mut self, value: &Value, field_known: bool) {
        match value {
            Value::String(s) => self.push_str(s, field_known),
            _ if !field_known => {
                if let Value::List(items) = value {
                    items.iter().for_each(|v| self.push_value(v, false));
                }
            }
            Value::Null => self.push_null(),
            Value::Bool(b) => self.push_bool(*b),
            Value::Int(i) => self.push_int(*i),
            Value::Float(f) => self.push_float(*f),
            Value::List(items) => items.iter().for_each(|v| self.push_value(v, true)),
        }
    }

    /// The value of `field` as an event [`Value`] (a list when it has several atoms).
    pub(crate) fn value_of(&self, field: FieldId) -> Option<Value> {
        let atoms = self.field(field)?;
        let one = |a: &Atom| match a.kind {
            Kind::Str => Value::String(self.text(a).to_string()),
            Kind::Int(i) => Value::Int(i),
            Kind::Float(f) => Value::Float(f),
            Kind::Bool => Value::Bool(self.text(a) == "true"),
            Kind::Null => Value::Null,
        };
        Some(match atoms {
            [single] => one(single),
            many => Value::List(many.iter().map(one).collect()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Fields;

    #[test]
    fn projects_known_fields_and_keywords() {
        let mut table = FieldTable::default();
        let ip = table.intern("source.ip");
        let eid = table.intern("EventID");
        let tags = table.intern("tags");
        let missing = table.intern("nope");
        let fields: Fields = [
            ("source.ip", Value::from("10.0.0.1")),
            ("EventID", Value::from(4688)),
            ("tags", Value::from(vec!["a", "b"])),
            ("other", Value::from("secret")),
        ]
        .into_iter()
        .collect();
        let mut p = Projection::new(table.len(), true);
        p.load_event(&table, &Event::new(fields));
        assert_eq!(p.text(&p.field(ip).unwrap()[0]), "10.0.0.1");
        assert_eq!(p.text(&p.field(eid).unwrap()[0]), "4688");
        assert_eq!(p.field(eid).unwrap()[0].number(&p), Some(4688.0));
        assert_eq!(p.field(tags).unwrap().len(), 2);
        assert!(p.field(missing).is_none());
        assert_eq!(
            p.keyword_texts().collect::<Vec<_>>(),
            vec!["10.0.0.1", "a", "b", "secret"]
        );
        assert_eq!(p.value_of(tags), Some(Value::from(vec!["a", "b"])));
        p.clear();
        assert!(p.field(ip).is_none());
    }
}
