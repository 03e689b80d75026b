//! Counts on events: the quantities of a sentence that belong to an event's
//! verb or event noun become the event's ACLED-style fatality, injury and
//! group-size fields.
//!
//! A quantity belongs to an event when the word it counts for (its
//! [`Quantity::head`]: "killed" in "killed 12 soldiers") is the event's verb,
//! or depends on it in the parse ("attacked the camp, killing 156 people":
//! "killing" hangs on "attacked"; "attacks that killed 12": "killed" hangs
//! on "attacks"). Counts of one kind that belong to one event add up
//! ("killed 12 soldiers and 3 civilians" is 15). Casualties (killed or
//! wounded, not told apart), arrests and displacement stay in the
//! quantities and fill no event field: ACLED's fatalities are deaths only.

use crate::quantity::{Quantity, QuantityKind};
use crate::types::Event;
use pulse_nlp::{Doc, Sentence};

/// The indices (in its sentence) of the tokens of an event's verb or event
/// noun, for reading what hangs on it in the parse.
pub fn verb_tokens(s: &Sentence, e: &Event) -> Vec<usize> {
    s.tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.start >= e.spans.verb.start && t.end <= e.spans.verb.end)
        .map(|(i, _)| i)
        .collect()
}

/// Fill the counts of `events` from the `quantities` of the same document.
pub fn attach_counts(doc: &Doc, quantities: &[Quantity], events: &mut [Event]) {
    // by sentence (a stable sort keeps their order within one), so each
    // event looks only at its own sentence's quantities
    let mut by_sentence: Vec<&Quantity> = quantities.iter().collect();
    by_sentence.sort_by_key(|q| q.sentence);
    for e in events.iter_mut() {
        let Some(s) = doc.sentences.get(e.sentence) else {
            continue;
        };
        let verb = verb_tokens(s, e);
        let on_verb = |h: usize| {
            verb.contains(&h)
                || s.tokens
                    .get(h)
                    .and_then(|t| t.head)
                    .is_some_and(|hh| verb.contains(&hh))
        };
        let first = by_sentence.partition_point(|q| q.sentence < e.sentence);
        for q in by_sentence[first..]
            .iter()
            .take_while(|q| q.sentence == e.sentence)
        {
            let (Some(head), Some(n), Some(kind)) = (q.head, q.count, q.kind) else {
                continue;
            };
            if !on_verb(head) {
                continue;
            }
            let field = match kind {
                QuantityKind::Fatalities => &mut e.counts.fatalities,
                QuantityKind::Injuries => &mut e.counts.injuries,
                QuantityKind::Size => &mut e.counts.size,
                _ => continue,
            };
            *field = Some(field.unwrap_or(0).saturating_add(n));
        }
    }
}
