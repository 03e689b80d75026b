//! One event, many reports: the rule that decides that a newly coded event
//! mention reports an event already stored, though its words (and so its
//! exact code, actors or date) differ.
//!
//! Every mention first merges by its event id, a hash of date, source,
//! code and target ([`pulse_code::event_id`]): the same coded content is the
//! same event. A mention of an act on the ground (QuadClass 2, material
//! cooperation, or 4, material conflict: an attack, a protest, an arrest,
//! an aid delivery) whose id is new also merges into a stored event when
//! all of these hold:
//!
//! * **code**: the same CAMEO root ("attacked" 190 and "shelled" 195 are
//!   both 19);
//! * **date**: the same day, or one date holds the other and is at least a
//!   month ("in August" holds 2019-08-05); a year alone is too coarse;
//! * **actors**: source and target each compatible: the same code, or one
//!   side unknown (`---`, or no target named), or the same country with one
//!   side naming no role, or the same role with one side naming no country
//!   (`AFG` / `AFGMIL`, `REB` / `AFGREB`); the roles of armed groups outside
//!   a state's forces (rebels, insurgents, unaffiliated armed forces,
//!   separatists) count as one, since reports call the same gunmen by each;
//! * **place**: the same place, or one contains the other (Kandahar city
//!   in Kandahar province, a town in its country), or one report names no
//!   place. Two different towns are two events;
//! * **evidence**: of the three sides (source, target, place), at least two
//!   are named in both reports and agree. An unknown doer, a missing target
//!   or a missing place contradicts nothing, so on their own they would let
//!   any two acts of one kind on one day merge.
//!
//! Of several stored events that qualify, the one that agrees most (same
//! full code, same actors, same place) wins, then the first stored.
//! Statements, appeals, threats and accusations (QuadClass 1 and 3) merge
//! by id only: two different statements by the same speaker on the same
//! day are common, two different attacks by the same group on the same
//! town on the same day are not.

use crate::sql::{vals, Conn, Row};
use crate::StoreError;
use pulse_code::Event;

/// A stored event that a new mention might report.
struct Candidate {
    id: String,
    cameo: String,
    source_code: String,
    source_country: Option<String>,
    source_sector: Option<String>,
    target_code: Option<String>,
    target_country: Option<String>,
    target_sector: Option<String>,
    place: StoredPlace,
}

/// An actor's code, country and role as the store keeps them.
struct Side<'a> {
    code: &'a str,
    country: Option<&'a str>,
    sector: Option<&'a str>,
}

/// CAMEO's roles for armed groups outside a state's forces: rebels,
/// insurgents, unaffiliated armed forces, separatists. Reports name the same
/// gunmen with any of them ("militants", "insurgents", "rebels").
const ARMED_GROUPS: [&str; 4] = ["REB", "INS", "UAF", "SEP"];

/// Whether a role (the part of a code after its country) starts with one of
/// the [`ARMED_GROUPS`].
fn armed_group(role: &str) -> bool {
    ARMED_GROUPS.iter().any(|g| role.starts_with(g))
}

/// Whether two actors can be the same party reported in other words.
fn compatible(a: &Side<'_>, b: &Side<'_>) -> bool {
    if a.code == b.code || a.code == "---" || b.code == "---" {
        return true;
    }
    let country = match (a.country, b.country) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    let sector = match (a.sector, b.sector) {
        (Some(x), Some(y)) => {
            x.starts_with(y) || y.starts_with(x) || (armed_group(x) && armed_group(y))
        }
        _ => true,
    };
    // at least one of the two says something: a country or a role
    let said = a.country.is_some() || a.sector.is_some();
    let other_said = b.country.is_some() || b.sector.is_some();
    country && sector && said && other_said
}

/// Whether two dates can be the same event's: the same, or the coarser one
/// (a month at least) holds the finer one.
pub(crate) fn dates_compatible(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long
        || (short.len() >= 7 && long.starts_with(short) && long[short.len()..].starts_with('-'))
}

/// Where a stored event is, as `events` keeps it.
struct StoredPlace {
    id: Option<i64>,
    country: Option<String>,
    admin1: Option<String>,
    name: Option<String>,
    level: Option<String>,
}

/// Whether a place at `outer_level` named `outer_name` holds one at
/// `inner_level` in the admin1 unit `inner_admin1` (same country assumed).
fn holds(outer_level: &str, outer_name: &str, inner_level: &str, inner_admin1: &str) -> bool {
    match outer_level {
        "country" => inner_level != "country",
        "admin1" => matches!(inner_level, "admin2" | "city") && outer_name == inner_admin1,
        _ => false,
    }
}

/// 1 when `ev` is placed where the stored event is, 0 when one of them is
/// unplaced or one place holds the other, `None` when they are apart.
fn place_agreement(ev: &Event, stored: &StoredPlace) -> Option<u32> {
    let (Some(p), Some(id)) = (&ev.place, stored.id) else {
        return Some(0);
    };
    if i64::from(p.place.geonameid) == id {
        return Some(1);
    }
    let country = stored.country.as_deref().unwrap_or("");
    let admin1 = stored.admin1.as_deref().unwrap_or("");
    let name = stored.name.as_deref().unwrap_or("");
    let level = stored.level.as_deref().unwrap_or("");
    let new_level = p.place.level.as_str();
    let same_country = p.place.country == country && !country.is_empty();
    let nested = same_country
        && (holds(level, name, new_level, &p.place.admin1)
            || holds(new_level, &p.place.name, level, admin1));
    nested.then_some(0)
}

/// How well a stored event agrees with a new mention (higher is better);
/// `None` when they cannot be the same event.
fn agreement(ev: &Event, c: &Candidate) -> Option<u32> {
    let source = Side {
        code: &ev.source.code,
        country: ev.source.country.as_deref(),
        sector: ev.source.sector.as_deref(),
    };
    let stored_source = Side {
        code: &c.source_code,
        country: c.source_country.as_deref(),
        sector: c.source_sector.as_deref(),
    };
    if !compatible(&source, &stored_source) {
        return None;
    }
    let known = |code: &str| !code.is_empty() && code != "---";
    // what positively agrees, beyond not contradicting: both sources
    // named, both targets named, both placed
    let mut evidence = u32::from(known(&ev.source.code) && known(&c.source_code));
    let targets = match (&ev.target, &c.target_code) {
        (Some(t), Some(code)) => {
            let new = Side {
                code: &t.code,
                country: t.country.as_deref(),
                sector: t.sector.as_deref(),
            };
            let stored = Side {
                code,
                country: c.target_country.as_deref(),
                sector: c.target_sector.as_deref(),
            };
            if !compatible(&new, &stored) {
                return None;
            }
            evidence += u32::from(known(&t.code) && known(code));
            u32::from(t.code == *code)
        }
        _ => 0,
    };
    let place = place_agreement(ev, &c.place)?;
    evidence += u32::from(ev.place.is_some() && c.place.id.is_some());
    // two of the three must agree: an unknown doer, a missing target and a
    // missing place match anything, so alone they prove nothing
    if evidence < 2 {
        return None;
    }
    Some(
        u32::from(ev.cameo == c.cameo) * 4
            + u32::from(ev.source.code == c.source_code) * 2
            + targets
            + place,
    )
}

/// The id under which `ev` is stored: its own id, unless a stored event
/// with that id is placed somewhere that neither holds nor lies in `ev`'s
/// place (the same group attacking two towns on one day is two events),
/// in which case the id is made distinct by the place.
pub(crate) fn own_id(conn: &dyn Conn, ev: &Event) -> Result<Option<String>, StoreError> {
    let row = conn.row(
        "SELECT place_id, place_country, place_admin1, place_name, place_level
         FROM events WHERE id = ?1",
        &vals![&ev.id],
    )?;
    let Some(row) = row else {
        return Ok(None);
    };
    let stored = stored_place(&row, 0)?;
    Ok(Some(match (&ev.place, place_agreement(ev, &stored)) {
        (Some(p), None) => format!("{}@{}", ev.id, p.place.geonameid),
        _ => ev.id.clone(),
    }))
}

/// The five place columns of `row` from `first` on: id, country, admin1,
/// name, level.
fn stored_place(row: &Row, first: usize) -> Result<StoredPlace, StoreError> {
    Ok(StoredPlace {
        id: row.opt_int(first)?,
        country: row.opt_text(first + 1)?,
        admin1: row.opt_text(first + 2)?,
        name: row.opt_text(first + 3)?,
        level: row.opt_text(first + 4)?,
    })
}

/// The id of a stored event that `ev` reports in other words, by the rule
/// of this module; `None` when there is none (or `ev` merges by id only).
pub(crate) fn find_match(conn: &dyn Conn, ev: &Event) -> Result<Option<String>, StoreError> {
    let Some(date) = ev.date.as_deref() else {
        return Ok(None);
    };
    if !matches!(ev.quad_class, 2 | 4) || date.len() < 7 {
        return Ok(None);
    }
    // dates that can hold or be held by `date`: the same, its month, and
    // (for a month) its days ('.' sorts after '-' and before digits); indexed
    // by (date, id)
    let month = date.get(..7).unwrap_or(date);
    let rows = conn.rows(
        "SELECT id, cameo, source_code, source_country, source_sector, target_code,
                target_country, target_sector, place_id, place_country, place_admin1,
                place_name, place_level, date
         FROM events
         WHERE date >= ?1 AND date < ?2 AND root = ?3
         ORDER BY gid
         LIMIT 200",
        &vals![month, format!("{month}."), &ev.root],
    )?;
    let mut best: Option<(u32, String)> = None;
    for row in rows {
        let c = Candidate {
            id: row.text(0)?,
            cameo: row.text(1)?,
            source_code: row.text(2)?,
            source_country: row.opt_text(3)?,
            source_sector: row.opt_text(4)?,
            target_code: row.opt_text(5)?,
            target_country: row.opt_text(6)?,
            target_sector: row.opt_text(7)?,
            place: stored_place(&row, 8)?,
        };
        let stored_date = row.opt_text(13)?;
        if !stored_date
            .as_deref()
            .is_some_and(|d| dates_compatible(d, date))
        {
            continue;
        }
        if let Some(score) = agreement(ev, &c) {
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, c.id));
            }
        }
    }
    Ok(best.map(|(_, id)| id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_hold_each_other_down_to_a_month() {
        assert!(dates_compatible("2019-08-05", "2019-08-05"));
        assert!(dates_compatible("2019-08", "2019-08-05"));
        assert!(dates_compatible("2019-08-05", "2019-08"));
        assert!(!dates_compatible("2019", "2019-08-05"));
        assert!(!dates_compatible("2019-08-05", "2019-08-06"));
        assert!(!dates_compatible("2019-01", "2019-11-02"));
    }

    #[test]
    fn actors_are_compatible_when_one_says_less() {
        let side = |code, country, sector| Side {
            code,
            country,
            sector,
        };
        let afg_mil = side("AFGMIL", Some("AFG"), Some("MIL"));
        assert!(compatible(&afg_mil, &side("AFG", Some("AFG"), None)));
        assert!(compatible(&afg_mil, &side("MIL", None, Some("MIL"))));
        assert!(compatible(&afg_mil, &side("---", None, None)));
        assert!(!compatible(
            &afg_mil,
            &side("PAKMIL", Some("PAK"), Some("MIL"))
        ));
        assert!(!compatible(
            &afg_mil,
            &side("AFGREB", Some("AFG"), Some("REB"))
        ));
    }
}
