//! Quantities on sentences written for these tests, by word order only
//! (`pulse_nlp::analyze` gives tokens without tags or parse).

use pulse_code::{find_quantities, Quantity, QuantityKind};

fn quantities(text: &str) -> Vec<Quantity> {
    let doc = pulse_nlp::analyze(text);
    let found = find_quantities(&doc);
    for q in &found {
        assert_eq!(&text[q.start..q.end], q.text);
    }
    found
}

fn one(text: &str) -> Quantity {
    let found = quantities(text);
    assert_eq!(found.len(), 1, "{text}: {found:#?}");
    match found.into_iter().next() {
        Some(q) => q,
        None => unreachable!(),
    }
}

#[test]
fn digits_with_separators_and_scales() {
    let q = one("Gunmen killed 1,500 villagers near the river.");
    assert_eq!(q.count, Some(1500));
    assert_eq!(q.unit.as_deref(), Some("villagers"));
    assert_eq!(q.kind, Some(QuantityKind::Fatalities));
    assert_eq!(q.text, "1,500");
    let q = one("The march drew 14,000 protesters downtown.");
    assert_eq!(q.count, Some(14_000));
    assert_eq!(q.kind, Some(QuantityKind::Size));
    let q = one("The floods displaced 2.5 million residents.");
    assert_eq!(q.count, Some(2_500_000));
    assert_eq!(q.kind, Some(QuantityKind::Displaced));
}

#[test]
fn number_words_and_vague_plurals() {
    let q = one("Twelve fishermen were killed when the boat sank.");
    assert_eq!(q.count, Some(12));
    assert_eq!(q.kind, Some(QuantityKind::Fatalities));
    assert_eq!(q.unit.as_deref(), Some("fishermen"));
    assert_eq!(one("Police detained two dozen students.").count, Some(24));
    let q = one("Dozens of farmers were arrested at dawn.");
    assert_eq!(q.count, Some(12));
    assert_eq!(q.kind, Some(QuantityKind::Arrests));
    assert_eq!(
        one("Hundreds of families fled the valley.").count,
        Some(100)
    );
    let q = one("The storm displaced thousands in the east.");
    assert_eq!(q.count, Some(1000));
    assert_eq!(q.kind, Some(QuantityKind::Displaced));
    assert_eq!(one("Scores of miners were injured.").count, Some(20));
    assert_eq!(
        one("Scores of miners were injured.").kind,
        Some(QuantityKind::Injuries)
    );
    assert_eq!(one("Twenty-five sailors died at sea.").count, Some(25));
}

#[test]
fn fractions_have_no_count() {
    let q = one("Half the town was flooded.");
    assert_eq!(q.count, None);
    assert_eq!(q.value, Some(0.5));
    let q = one("A third of the herd died.");
    assert_eq!(q.count, None);
}

#[test]
fn ranges_take_the_lower_bound() {
    let q = one("The army sent between 8,000 and 9,000 troops to the border.");
    assert_eq!(
        (q.min, q.max, q.count),
        (Some(8000.0), Some(9000.0), Some(8000))
    );
    assert_eq!(q.kind, Some(QuantityKind::Size));
    assert_eq!(q.text, "between 8,000 and 9,000");
    let q = one("The army sent 8,000 to 9,000 troops.");
    assert_eq!(
        (q.min, q.max, q.count),
        (Some(8000.0), Some(9000.0), Some(8000))
    );
    let q = one("The army sent 8,000-9,000 troops.");
    assert_eq!(
        (q.min, q.max, q.count),
        (Some(8000.0), Some(9000.0), Some(8000))
    );
}

#[test]
fn hedges_and_bounds() {
    let cases = [
        ("Raiders killed upward of 40 herders.", "upward_of", 40),
        ("Raiders killed more than 40 herders.", "more_than", 40),
        ("Raiders killed at least 40 herders.", "at_least", 40),
        ("Raiders killed roughly 40 herders.", "about", 40),
        ("Raiders killed some 40 herders.", "about", 40),
        ("Raiders killed about 40 herders.", "about", 40),
        ("Raiders killed around 40 herders.", "about", 40),
        ("Raiders killed over 40 herders.", "over", 40),
        ("Raiders killed up to 40 herders.", "up_to", 40),
        ("Raiders killed nearly 40 herders.", "nearly", 39),
        ("Raiders killed almost 40 herders.", "nearly", 39),
        ("Raiders killed fewer than 40 herders.", "fewer_than", 39),
    ];
    for (text, qualifier, count) in cases {
        let q = one(text);
        assert_eq!(q.qualifier.as_deref(), Some(qualifier), "{text}");
        assert_eq!(q.count, Some(count), "{text}");
        assert_eq!(q.kind, Some(QuantityKind::Fatalities), "{text}");
        assert!(q.text.ends_with("40"), "{text}: {}", q.text);
    }
}

#[test]
fn the_event_word_decides_the_kind() {
    let text = "Rebels killed 12 soldiers and wounded 30 others.";
    let found = quantities(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].kind, Some(QuantityKind::Fatalities));
    assert_eq!(found[1].kind, Some(QuantityKind::Injuries));
    let doc = pulse_nlp::analyze(text);
    let killed = found[0].head.and_then(|h| doc.sentences[0].tokens.get(h));
    assert_eq!(killed.map(|t| t.lower.as_str()), Some("killed"));
    let q = one("Casualties have risen to upward of 1,500 in July.");
    assert_eq!(q.kind, Some(QuantityKind::Casualties));
    assert_eq!(q.count, Some(1500));
    let q = one("Officers arrested 52 members of the group.");
    assert_eq!(q.kind, Some(QuantityKind::Arrests));
    assert_eq!(q.unit.as_deref(), Some("members"));
}

#[test]
fn years_dates_money_and_percentages_are_not_counts() {
    assert!(quantities("The war began in 2019 and ended in 2021.").is_empty());
    assert!(quantities("The ceasefire started on March 3 last year.").is_empty());
    let q = one("The contract is worth $40 billion.");
    assert_eq!(q.unit.as_deref(), Some("money"));
    assert_eq!(q.count, None);
    assert_eq!(q.kind, Some(QuantityKind::Other));
    let q = one("Turnout reached 90 percent in the capital.");
    assert_eq!(q.unit.as_deref(), Some("percent"));
    assert_eq!(q.count, None);
    let q = one("The siege lasted 60 days.");
    assert_eq!((q.unit.as_deref(), q.count), (Some("days"), None));
    assert!(quantities("The bridge will open by 2031 as planned.").is_empty());
    let q = one("Prices rose 12% in a month.");
    assert_eq!(q.unit.as_deref(), Some("percent"));
}

#[test]
fn bad_input_is_bounded() {
    assert!(quantities("").is_empty());
    let huge = format!("Officials counted {} ballots.", "9".repeat(400));
    for q in quantities(&huge) {
        assert_eq!(q.count, None);
    }
    for q in quantities("The code was 1,2,3,4 on the door.") {
        assert_ne!(q.count, Some(1234));
    }
    let long = "and seven hundred thousand million billion dozen ".repeat(500);
    let _ = quantities(&long);
}
