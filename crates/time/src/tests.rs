//! Tests on sentences written for them, tagged by the shipped tagger.

use super::*;

fn tagger() -> pulse_nlp::tagger::Tagger {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/models/tagger.bin");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    pulse_nlp::tagger::Tagger::from_bytes(&bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn run(text: &str, dct: Option<&str>) -> Vec<Timex> {
    let mut doc = pulse_nlp::analyze(text);
    tagger().tag_doc(&mut doc);
    find(&doc, dct)
}

/// (text, value) of each timex found.
fn values(text: &str) -> Vec<(String, String)> {
    run(text, Some("2019-08-07"))
        .into_iter()
        .map(|t| (t.text, t.value))
        .collect()
}

fn has(text: &str, span: &str, value: &str) {
    let v = values(text);
    assert!(
        v.iter().any(|(t, x)| t == span && x == value),
        "{text:?}: wanted {span:?} = {value}, got {v:?}"
    );
}

#[test]
fn weekdays_follow_the_tense() {
    // the finite verb on the left governs, not the purpose infinitive after the date
    has(
        "Thousands marched through the capital on Thursday to protest the tax.",
        "Thursday",
        "2019-08-01",
    );
    has(
        "The minister told the AP on Tuesday that talks had stalled.",
        "Tuesday",
        "2019-08-06",
    );
    has(
        "The two leaders will meet on Tuesday in Geneva.",
        "Tuesday",
        "2019-08-13",
    );
    has(
        "Officials said on Wednesday the border was closed.",
        "Wednesday",
        "2019-08-07",
    );
}

#[test]
fn absolute_dates() {
    has(
        "The company said on August 6 that it would cut jobs.",
        "August 6",
        "2019-08-06",
    );
    has(
        "The firm must repay the loan by September 1, the board said.",
        "September 1",
        "2019-09-01",
    );
    has(
        "The plant opened on Aug. 6, 2019 near the river.",
        "Aug. 6, 2019",
        "2019-08-06",
    );
    has(
        "The plant opened on 6 August 2019 near the river.",
        "6 August 2019",
        "2019-08-06",
    );
    has(
        "The filing is dated 2019-08-06 in the record.",
        "2019-08-06",
        "2019-08-06",
    );
    has(
        "Sales fell in May 2017 after the strike.",
        "May 2017",
        "2017-05",
    );
    has("The bridge was finished in 2001.", "2001", "2001");
    has("Prices rose sharply in the 1990s.", "1990s", "199");
    has("Revenue for fiscal 2019 was flat.", "fiscal 2019", "FY2019");
    has(
        "Profit rose in Q3 2019, the bank said.",
        "Q3 2019",
        "2019-Q3",
    );
}

#[test]
fn months_without_a_year() {
    has(
        "Exports fell in July, the ministry said.",
        "July",
        "2019-07",
    );
    has(
        "The new law takes effect in October and will cost millions.",
        "October",
        "2019-10",
    );
    has(
        "Fighting has continued since May 2017.",
        "May 2017",
        "2017-05",
    );
    let t = run("Fighting has continued since May 2017.", Some("2019-08-07"));
    assert_eq!(
        t.first().and_then(|t| t.modifier.clone()).as_deref(),
        Some("ON_OR_AFTER")
    );
    has(
        "Troops arrived in mid-July to secure the port.",
        "mid-July",
        "2019-07",
    );
}

#[test]
fn relative_dates() {
    has(
        "Prices rose this week across the region.",
        "this week",
        "2019-W32",
    );
    has(
        "Prices rose last week across the region.",
        "last week",
        "2019-W31",
    );
    has(
        "The vote is due next month, aides said.",
        "next month",
        "2019-09",
    );
    has(
        "He resigned yesterday after the report.",
        "yesterday",
        "2019-08-06",
    );
    has("Markets are calm today.", "today", "2019-08-07");
    has(
        "The talks resume tomorrow in Oslo.",
        "tomorrow",
        "2019-08-08",
    );
    has(
        "The firm was fined two days ago.",
        "two days ago",
        "2019-08-05",
    );
    has(
        "Output fell last year and rose this year.",
        "last year",
        "2018",
    );
    has(
        "Output fell last year and rose this year.",
        "this year",
        "2019",
    );
    has(
        "Rents fell earlier this month, agents said.",
        "earlier this month",
        "2019-08",
    );
    has(
        "The plan will be ready by the end of the year.",
        "the end of the year",
        "2019",
    );
    has(
        "Profit rose in the third quarter, the bank said.",
        "the third quarter",
        "2019-Q3",
    );
    has(
        "He left the company almost a year ago.",
        "almost a year ago",
        "2018",
    );
}

#[test]
fn durations_and_sets() {
    has("The strike lasted three days.", "three days", "P3D");
    has("The loan runs for 18 months.", "18 months", "P18M");
    has("The loan runs for a year.", "a year", "P1Y");
    has("The siege lasted almost a year.", "almost a year", "P1Y");
    has("The meeting took two hours.", "two hours", "PT2H");
    has("The council meets every week.", "every week", "P1W");
    has("The fee is paid annually.", "annually", "P1Y");
    has("The plant builds 15 a year.", "a year", "P1Y");
    let t = run("The plant builds 15 a year.", Some("2019-08-07"));
    assert_eq!(t.first().map(|t| t.kind), Some(TimexType::Set));
    has(
        "Sales fell in the fiscal second quarter of 2019.",
        "the fiscal second quarter of 2019",
        "FY2019-Q2",
    );
    let t = run("The siege lasted almost a year.", Some("2019-08-07"));
    assert_eq!(t.first().map(|t| t.kind), Some(TimexType::Duration));
    assert_eq!(
        t.first().and_then(|t| t.modifier.clone()).as_deref(),
        Some("LESS_THAN")
    );
}

#[test]
fn times_of_day() {
    has(
        "The plane landed at 6:40 p.m. after a long delay.",
        "6:40 p.m.",
        "2019-08-07T18:40",
    );
    has(
        "Talks ended on Friday afternoon without a deal.",
        "Friday afternoon",
        "2019-08-02TAF",
    );
    has(
        "The strike began on August 1. It ended at 16:15 UTC.",
        "16:15 UTC",
        "2019-08-01T16:15Z",
    );
    has(
        "Markets close at 0800 GMT Monday in Asia.",
        "0800 GMT Monday",
        "2019-08-05T08:00Z",
    );
}

#[test]
fn the_day_is_the_day_named_last() {
    has(
        "Shares fell on Monday. The index lost 3 % on the day.",
        "the day",
        "2019-08-05",
    );
    has("The index lost 3 % on the day.", "the day", "2019-08-07");
}

#[test]
fn without_a_dct_values_stay_open() {
    let t = run("Exports fell in July.", None);
    assert_eq!(t.first().map(|t| t.value.as_str()), Some("XXXX-07"));
    let t = run("He resigned yesterday.", None);
    assert_eq!(t.first().map(|t| t.value.as_str()), Some("XXXX-XX-XX"));
}

#[test]
fn offsets_are_bytes_of_the_text() {
    let text = "Le président a parlé on Tuesday, reports said.";
    let t = run(text, Some("2019-08-07"));
    let first = t.first().unwrap_or_else(|| panic!("no timex"));
    assert_eq!(text.get(first.start..first.end), Some("Tuesday"));
    assert_eq!(precision(first), "day");
}

#[test]
fn bad_input_is_harmless() {
    assert!(run("", Some("2019-08-07")).is_empty());
    assert!(run(
        "It happened on February 30 in the city.",
        Some("2019-08-07")
    )
    .iter()
    .all(|t| t.value != "2019-02-30"));
    let long = format!("It lasted {} days.", "9".repeat(400));
    let _ = run(&long, Some("2019-08-07"));
    let _ = run(
        "In the year 99999 and 100000000 years ago, nothing.",
        Some("2019-08-07"),
    );
    let _ = run("Last week, 5000000 days ago.", Some("bad date"));
    let t = run("He left 4000 years ago.", Some("0001-01-01"));
    assert!(t.iter().all(|t| !t.value.starts_with('-')));
    assert!(parse_dct("2019-02-30").is_err());
    // long runs of words that start expressions: bounded depth and work
    let runs = "the ".repeat(5000)
        + &"the end of ".repeat(2000)
        + &"last ".repeat(3000)
        + &"fiscal ".repeat(5000);
    let _ = run(&runs, Some("2019-08-07"));
    let t = run(
        "In the year 99999 and in 2019-13-45 prices fell.",
        Some("2019-08-07"),
    );
    assert!(t
        .iter()
        .all(|t| !t.value.contains("99999") && !t.value.contains("-13-")));
}
