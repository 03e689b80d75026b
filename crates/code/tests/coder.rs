//! The linear coder on sentences written for these tests, with the shipped
//! dictionaries.

use pulse_code::{ArticleContext, Coder, Event};
use std::sync::OnceLock;

fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(|| match Coder::embedded() {
        Ok(c) => c,
        Err(e) => panic!("embedded dictionaries do not load: {e}"),
    })
}

fn code(text: &str, published: &str) -> Vec<Event> {
    let doc = pulse_nlp::analyze(text);
    let events = coder().code(
        &doc,
        ArticleContext {
            article_id: "test",
            published: Some(published),
            dates: &[],
        },
    );
    // every span points at the text it claims to cover
    for e in &events {
        assert_eq!(&text[e.start..e.end], e.text);
        assert_eq!(&text[e.source.start..e.source.end], e.source.text);
        assert_eq!(
            &text[e.spans.verb.start..e.spans.verb.end],
            e.spans.verb.text
        );
        if let Some(t) = &e.target {
            assert_eq!(&text[t.start..t.end], t.text);
        }
        assert_eq!(e.date.as_deref(), Some(published));
    }
    events
}

fn summary(events: &[Event]) -> Vec<(String, String, Option<String>)> {
    events
        .iter()
        .map(|e| {
            (
                e.cameo.clone(),
                e.source.code.clone(),
                e.target.as_ref().map(|t| t.code.clone()),
            )
        })
        .collect()
}

#[test]
fn active_sentence_codes_source_verb_target() {
    let ev = code(
        "Pakistani troops attacked Taliban positions near the border on Monday.",
        "2024-05-14",
    );
    assert_eq!(ev.len(), 1, "{:?}", summary(&ev));
    let e = &ev[0];
    assert_eq!(e.root, "19");
    assert_eq!(e.quad_class, 4);
    assert!(e.goldstein < 0.0);
    assert_eq!(e.plover.as_deref(), Some("ASSAULT"));
    assert_eq!(e.source.code, "PAKMIL");
    assert_eq!(e.source.country.as_deref(), Some("PAK"));
    assert_eq!(e.source.sector.as_deref(), Some("MIL"));
    assert_eq!(e.source.text, "Pakistani troops");
    assert_eq!(e.target.as_ref().map(|t| t.code.as_str()), Some("AFGREB"));
    assert_eq!(e.spans.verb.text, "attacked");
}

#[test]
fn negated_verb_is_flagged_not_asserted() {
    let ev = code(
        "Pakistani troops did not attack Taliban positions on Monday.",
        "2024-05-14",
    );
    let attacks: Vec<_> = ev.iter().filter(|e| e.root == "19").collect();
    assert!(!attacks.is_empty(), "{:?}", summary(&ev));
    assert!(
        attacks
            .iter()
            .all(|e| e.mode.as_deref() == Some("negated") && !e.is_asserted()),
        "{:?}",
        summary(&ev)
    );
}

#[test]
fn passive_voice_swaps_source_and_target() {
    let ev = code(
        "The Iraqi embassy in Amman was attacked by Iranian protesters on Friday.",
        "2024-05-14",
    );
    let attack = ev.iter().find(|e| e.root == "19");
    let Some(attack) = attack else {
        panic!("no attack coded: {:?}", summary(&ev));
    };
    assert_eq!(attack.source.country.as_deref(), Some("IRN"));
    assert_eq!(
        attack.target.as_ref().and_then(|t| t.country.as_deref()),
        Some("IRQ")
    );
}

#[test]
fn compound_source_fans_out() {
    let ev = code(
        "France and Germany condemned Russia on Tuesday.",
        "2024-05-14",
    );
    let s = summary(&ev);
    assert!(
        s.contains(&("111".into(), "FRA".into(), Some("RUS".into()))),
        "{s:?}"
    );
    assert!(
        s.contains(&("111".into(), "DEU".into(), Some("RUS".into()))),
        "{s:?}"
    );
}

#[test]
fn date_bounded_codes_follow_the_article_date() {
    let text = "Jens Stoltenberg praised Sweden on Monday.";
    let late = code(text, "2019-05-14");
    let early = code(text, "2008-05-14");
    assert_eq!(
        late.first().map(|e| e.source.code.as_str()),
        Some("IGOWSTNAT")
    );
    assert_eq!(
        early.first().map(|e| e.source.code.as_str()),
        Some("NORGOV")
    );
    // the same words on different days are different events
    assert_ne!(late[0].id, early[0].id);
}

#[test]
fn agents_combine_with_countries() {
    let ev = code("The Afghan government condemned the bombing.", "2024-05-14");
    assert_eq!(ev.first().map(|e| e.source.code.as_str()), Some("AFGGOV"));
    let ev = code(
        "The government of Kenya accused Somalia of harbouring militants.",
        "2024-05-14",
    );
    assert_eq!(ev.first().map(|e| e.source.code.as_str()), Some("KENGOV"));
}

#[test]
fn a_coded_actor_keeps_its_role_under_a_generic_title() {
    let ev = code("A Taliban official condemned the bombing.", "2024-05-14");
    assert_eq!(ev.first().map(|e| e.source.code.as_str()), Some("AFGREB"));
}

#[test]
fn sports_discards_drop_the_sentence() {
    let ev = code(
        "Nigeria beat Ghana in the African Nations Cup final.",
        "2024-05-14",
    );
    assert!(ev.is_empty(), "{:?}", summary(&ev));
}

#[test]
fn lower_case_us_is_a_pronoun() {
    let ev = code(
        "They told us that Russian forces attacked Ukraine.",
        "2024-05-14",
    );
    assert!(ev
        .iter()
        .all(|e| e.source.code != "USA" && e.target.as_ref().is_none_or(|t| t.code != "USA")));
    assert!(ev
        .iter()
        .any(|e| e.source.code == "RUSMIL" && e.root == "19"));
}

#[test]
fn refusal_codes_the_refusal_not_the_refused_act() {
    let ev = code("Kenya refused to negotiate with the rebels.", "2024-05-14");
    assert!(ev.iter().any(|e| e.root == "12"), "{:?}", summary(&ev));
    assert!(ev.iter().all(|e| e.root != "04"), "{:?}", summary(&ev));
}

#[test]
fn same_event_has_the_same_id_wherever_it_is_reported() {
    let a = code(
        "Pakistani troops attacked Taliban positions on Monday.",
        "2024-05-14",
    );
    let b = code(
        "Officials confirmed it. Pakistani troops attacked Taliban positions near Chaman.",
        "2024-05-14",
    );
    let ida: Vec<&str> = a
        .iter()
        .filter(|e| e.root == "19")
        .map(|e| e.id.as_str())
        .collect();
    let idb: Vec<&str> = b
        .iter()
        .filter(|e| e.root == "19")
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(ida.len(), 1);
    assert_eq!(ida, idb);
}

#[test]
fn nouns_are_not_verbs() {
    // "talks" and "attacks" after a determiner or adjective are nouns here
    let ev = code("The talks ended without a deal.", "2024-05-14");
    assert!(ev.is_empty(), "{:?}", summary(&ev));
}

#[test]
fn empty_and_odd_input_codes_nothing() {
    for text in ["", "   ", "\n\n", "“”—…", "1,500 8,000-9,000"] {
        assert!(code(text, "2024-05-14").is_empty());
    }
}

#[test]
fn random_word_salad_never_panics() {
    // words that exercise actors, agents, verbs, negation, passives and names
    const WORDS: [&str; 40] = [
        "the",
        "The",
        "Afghan",
        "government",
        "of",
        "Kenya",
        "and",
        "France",
        "attacked",
        "was",
        "by",
        "not",
        "did",
        "to",
        "refused",
        "negotiate",
        "Minister",
        "Tom",
        "King",
        "officials",
        "said",
        "that",
        "U.S.",
        "US",
        "us",
        ",",
        ";",
        "“",
        "”",
        "—",
        "Taliban",
        "forces",
        "in",
        "urged",
        "will",
        "visit",
        "Zürich",
        "1,500",
        "'s",
        ".",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut text = String::new();
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = (state >> 59) as usize + 1;
        for _ in 0..len {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(WORDS[(state >> 33) as usize % WORDS.len()]);
            text.push(' ');
        }
        code(&text, "2024-05-14");
    }
}

#[test]
fn hypothetical_acts_are_not_coded_as_facts() {
    let ev = code(
        "Kenyan officials said the government would cut aid to Somalia.",
        "2024-05-14",
    );
    assert!(ev.iter().all(|e| e.root != "16"), "{:?}", summary(&ev));
    assert!(ev.iter().any(|e| e.cameo == "010"), "{:?}", summary(&ev));
}

#[test]
fn codes_split_into_country_and_role() {
    let countries = &coder().dictionaries().countries;
    let split = |c: &str| pulse_code::coder::split_code(c, countries);
    assert_eq!(split("AFGGOV"), (Some("AFG".into()), Some("GOV".into())));
    assert_eq!(split("USA"), (Some("USA".into()), None));
    assert_eq!(split("IGOUNO"), (Some("IGO".into()), Some("UNO".into())));
    // a state within a state: the inner one is the country
    assert_eq!(split("SCGSRB"), (Some("SRB".into()), None));
    assert_eq!(split("SCGSRBGOV"), (Some("SRB".into()), Some("GOV".into())));
    // a bare role has no country
    assert_eq!(split("GOV"), (None, Some("GOV".into())));
}

#[test]
fn announced_acts_are_intents_or_threats() {
    let ev = code(
        "Norway will send food aid to Yemen next month.",
        "2024-05-14",
    );
    assert!(
        ev.iter().any(|e| e.root == "03" && e.source.code == "NOR"),
        "{:?}",
        summary(&ev)
    );
    assert!(ev.iter().all(|e| e.root != "07"), "{:?}", summary(&ev));
    // the announcement is as specific as the act: a conventional attack
    // (19) announced is a threat of conventional attack (1384), a release
    // (084) announced an intent to release (0353)
    let ev = code("Russia is ready to attack Ukrainian ports.", "2024-05-14");
    assert!(ev.iter().any(|e| e.cameo == "1384"), "{:?}", summary(&ev));
    let ev = code(
        "Ukraine said it will release the Russian soldiers.",
        "2024-05-14",
    );
    assert!(
        ev.iter()
            .any(|e| e.cameo == "0353" && e.source.code == "UKR"),
        "{:?}",
        summary(&ev)
    );
}

#[test]
fn a_statement_that_someone_must_act_is_a_demand() {
    let ev = code(
        "Kenya said on Monday that Somalia must withdraw its troops.",
        "2024-05-14",
    );
    assert!(
        ev.iter().any(|e| e.cameo == "100"
            && e.source.code == "KEN"
            && e.target.as_ref().is_some_and(|t| t.code == "SOM")),
        "{:?}",
        summary(&ev)
    );
}

#[test]
fn reported_speech_speaker_is_the_subject_of_its_pronoun() {
    let ev = code(
        "Iraq said on Monday that it would allow the return of Kuwaiti prisoners.",
        "2024-05-14",
    );
    assert!(
        ev.iter().any(|e| e.root == "03" && e.source.code == "IRQ"),
        "{:?}",
        summary(&ev)
    );
    // a condition is not a report: "would" there stays hypothetical
    let ev = code(
        "Egypt said that if talks failed it would attack Sudanese positions.",
        "2024-05-14",
    );
    assert!(
        ev.iter().all(|e| e.root != "19" && e.root != "13"),
        "{:?}",
        summary(&ev)
    );
}

#[test]
fn attribution_is_not_an_event_but_granting_is() {
    let ev = code(
        "Two soldiers died in the blast, according to Kenyan police.",
        "2024-05-14",
    );
    assert!(ev.is_empty(), "{:?}", summary(&ev));
    let ev = code(
        "Uganda has granted political asylum to three Rwandan rebels.",
        "2024-05-14",
    );
    assert!(
        ev.iter().any(|e| e.source.code == "UGA" && e.root == "07"),
        "{:?}",
        summary(&ev)
    );
}

#[test]
fn run_on_text_without_sentence_ends_is_not_coded() {
    // a list or table flattened into one "sentence" of 600 tokens
    let text = vec!["France attacked Germany and Russia"; 120].join(", ");
    assert!(code(&text, "2024-05-14").is_empty());
    // the same words as real sentences are coded, once per sentence
    let text = vec!["France attacked Germany on Monday"; 50].join(". ");
    let ev = code(&text, "2024-05-14");
    assert_eq!(ev.len(), 50);
    assert!(ev.iter().all(|e| e.id == ev[0].id));
}

#[test]
fn undated_events_merge_only_within_their_article() {
    let doc = pulse_nlp::analyze("Russia attacked Ukraine.");
    let id_in = |article: &str, published: Option<&str>| {
        coder().code(
            &doc,
            ArticleContext {
                article_id: article,
                published,
                dates: &[],
            },
        )[0]
        .id
        .clone()
    };
    assert_ne!(id_in("a", None), id_in("b", None));
    assert_eq!(
        id_in("a", Some("2024-05-14")),
        id_in("b", Some("2024-05-14"))
    );
}

#[test]
fn with_tags_the_tagger_decides_verb_or_noun() {
    let tagger =
        pulse_nlp::tagger::Tagger::from_bytes(include_bytes!("../../../data/models/tagger.bin"))
            .unwrap_or_else(|e| panic!("shipped tagger model does not load: {e}"));
    let tagged = |text: &str| {
        let mut doc = pulse_nlp::analyze(text);
        tagger.tag_doc(&mut doc);
        coder().code(
            &doc,
            ArticleContext {
                article_id: "t",
                published: Some("2024-05-14"),
                dates: &[],
            },
        )
    };
    let ev = tagged("Pakistani troops attacked Taliban positions near the border on Monday.");
    assert!(
        ev.iter()
            .any(|e| e.root == "19" && e.source.code == "PAKMIL"),
        "{:?}",
        summary(&ev)
    );
    // "attacks" and "talks" are nouns here
    let ev = tagged("Kenya and Somalia discussed the attacks during the talks.");
    assert!(ev.iter().all(|e| e.root != "19"), "{:?}", summary(&ev));
    // an event noun right after its actor is coded, the actor as source
    let ev = tagged("UN monitors counted more Taliban attacks against Afghan troops in July.");
    assert!(
        ev.iter().any(|e| e.root == "19"
            && e.source.code == "AFGREB"
            && e.target.as_ref().is_some_and(|t| t.code == "AFGMIL")),
        "{:?}",
        summary(&ev)
    );
}

#[test]
fn a_measure_hitting_a_record_is_no_attack() {
    let ev = code(
        "Civilian casualties hit a record high in July.",
        "2024-05-14",
    );
    assert!(ev.iter().all(|e| e.root != "19"), "{:?}", summary(&ev));
    let ev = code("Russian forces hit a school in Kharkiv.", "2024-05-14");
    assert!(
        ev.iter()
            .any(|e| e.root == "19" && e.source.code == "RUSMIL"),
        "{:?}",
        summary(&ev)
    );
}

#[test]
fn a_country_inside_a_persons_name_is_not_the_country() {
    let text = "Jordan Peterson criticized Canada on Monday.";
    let ctx = ArticleContext {
        article_id: "test",
        published: Some("2024-05-14"),
        dates: &[],
    };
    let mut doc = pulse_nlp::analyze(text);
    let before = coder().code(&doc, ctx);
    assert!(
        before.iter().any(|e| e.source.code == "JOR"),
        "{:?}",
        summary(&before)
    );
    // the entity tagger's span says "Jordan Peterson" is one person
    if let Some(s) = doc.sentences.first_mut() {
        s.entities = vec![pulse_nlp::Entity {
            start: 0,
            end: 2,
            kind: "PER".to_string(),
        }];
    }
    let after = coder().code(&doc, ctx);
    assert!(
        after.iter().all(|e| e.source.code != "JOR"),
        "{:?}",
        summary(&after)
    );
}

#[test]
fn an_event_takes_the_date_its_sentence_gives() {
    let text = "Kenya accused Somalia in July of sheltering rebels.";
    let at = text.find("July").unwrap_or(0);
    let dates = [pulse_code::TextDate {
        sentence: 0,
        start: at,
        end: at + 4,
        value: "2019-07".to_string(),
    }];
    let doc = pulse_nlp::analyze(text);
    let ctx = ArticleContext {
        article_id: "test",
        published: Some("2019-08-07"),
        dates: &dates,
    };
    let events = coder().code(&doc, ctx);
    let e = events
        .iter()
        .find(|e| e.root == "11")
        .unwrap_or_else(|| panic!("{:?}", summary(&events)));
    assert_eq!(e.date.as_deref(), Some("2019-07"));
    assert_eq!(e.date_precision.as_deref(), Some("month"));
    assert_eq!(e.date_source.as_deref(), Some("text"));
    // a reference with no calendar value dates nothing: the publication date stands
    let vague = [pulse_code::TextDate {
        value: "PAST_REF".to_string(),
        ..dates[0].clone()
    }];
    let events = coder().code(
        &doc,
        ArticleContext {
            dates: &vague,
            ..ctx
        },
    );
    let e = events
        .iter()
        .find(|e| e.root == "11")
        .unwrap_or_else(|| panic!("{:?}", summary(&events)));
    assert_eq!(e.date.as_deref(), Some("2019-08-07"));
    assert_eq!(e.date_source.as_deref(), Some("published"));
}
