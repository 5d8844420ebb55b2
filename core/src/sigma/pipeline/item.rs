//! One processing item: a transformation and the conditions under which it applies.

use super::conditions::{
    ConditionSet, DetectionItemCondition, FieldNameCondition, RuleCondition, RuleView,
};
use super::params::Params;
use super::state::State;
use super::transform::Transformation;
use crate::sigma::ast::{Document, FieldItem, LogSource, Matcher};
use yaml_rust2::Yaml;

/// One entry of a pipeline's `transformations`: what to do, and to which rules, detection items
/// and fields.
#[derive(Debug, Clone)]
pub struct ProcessingItem {
    /// The item's `id`, which `processing_item_applied` conditions refer to.
    pub id: Option<String>,
    transformation: Transformation,
    rule_conditions: ConditionSet<RuleCondition>,
    detection_item_conditions: ConditionSet<DetectionItemCondition>,
    field_name_conditions: ConditionSet<FieldNameCondition>,
}

impl ProcessingItem {
    /// The transformation's pySigma type name, for example `field_name_mapping`.
    pub fn kind(&self) -> &'static str {
        self.transformation.kind()
    }

    /// Reads an item from its YAML mapping.
    pub(crate) fn parse(value: &Yaml) -> Result<ProcessingItem, String> {
        let p = Params::new(value, "transformation")?;
        let id = p.text("id")?;
        let at = |e: String| match &id {
            Some(id) => format!("(id '{id}'): {e}"),
            None => e,
        };
        let kind = p
            .text("type")
            .map_err(at)?
            .ok_or_else(|| at("a transformation needs a 'type'".into()))?;
        let item = ProcessingItem {
            rule_conditions: ConditionSet::parse(
                &p,
                [
                    "rule_conditions",
                    "rule_cond_op",
                    "rule_cond_not",
                    "rule_cond_expr",
                ],
                RuleCondition::parse,
            )
            .map_err(at)?,
            detection_item_conditions: ConditionSet::parse(
                &p,
                [
                    "detection_item_conditions",
                    "detection_item_cond_op",
                    "detection_item_cond_not",
                    "detection_item_cond_expr",
                ],
                DetectionItemCondition::parse,
            )
            .map_err(at)?,
            field_name_conditions: ConditionSet::parse(
                &p,
                [
                    "field_name_conditions",
                    "field_name_cond_op",
                    "field_name_cond_not",
                    "field_name_cond_expr",
                ],
                FieldNameCondition::parse,
            )
            .map_err(at)?,
            transformation: Transformation::parse(&kind, &p)
                .map_err(|e| at(format!("{kind}: {e}")))?,
            id: id.clone(),
        };
        p.finish().map_err(|e| at(format!("{kind}: {e}")))?;
        Ok(item)
    }

    /// Applies the item to `doc` if its rule conditions hold; records it as applied.
    pub(crate) fn apply(
        &self,
        doc: &mut Document,
        referenced: &[LogSource],
        state: &mut State,
    ) -> Result<(), String> {
        let view = RuleView::new(doc, referenced, state);
        if !self.rule_conditions.holds(|c| c.holds(&view)) {
            return Ok(());
        }
        self.transformation.apply(self, doc, referenced, state)?;
        if let Some(id) = &self.id {
            state.mark_rule_applied(id);
        }
        Ok(())
    }

    /// Whether a detection item is selected: its detection item conditions hold, and its field
    /// name conditions hold for its field or for a field one of its values refers to.
    pub(crate) fn applies_to_item(&self, item: &FieldItem, state: &State) -> bool {
        self.detection_item_conditions
            .holds(|c| c.holds(item, state))
            && (self.field_name_conditions.is_empty()
                || self.field_name_conditions.holds(|c| {
                    c.holds(item.field.as_deref(), state)
                        || field_refs(&item.matchers).any(|f| c.holds(Some(f), state))
                }))
    }

    /// Whether the field name conditions hold for `field`.
    pub(crate) fn applies_to_field(&self, field: Option<&str>, state: &State) -> bool {
        self.field_name_conditions.holds(|c| c.holds(field, state))
    }
}

/// The fields that `fieldref` values of an item refer to.
fn field_refs(matchers: &[Matcher]) -> impl Iterator<Item = &str> {
    matchers.iter().filter_map(|m| {
        let mut m = m;
        while let Matcher::Not(inner) = m {
            m = inner;
        }
        match m {
            Matcher::FieldRef { field, .. } => Some(field.as_str()),
            _ => None,
        }
    })
}
