//! Named entities of a text: people, organisations and places, found by capitalisation,
//! titles and honorifics, organisation suffixes and acronyms, and a gazetteer of countries,
//! capitals, US states and large cities (`data/gazetteer.tsv`, generated from GeoNames by
//! `scripts/gazetteer.sh`; licence in `data/GAZETTEER-LICENSE.md`). No model is downloaded.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::sentences::split_sentences;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Organisation,
    Place,
}

/// One entity as a text names it, with how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub kind: EntityKind,
    /// Its fullest name in the text ("Ines Carvalho", where "Carvalho" also appears).
    pub name: String,
    pub mentions: usize,
}

fn gazetteer() -> &'static HashMap<&'static str, &'static str> {
    static PLACES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    PLACES.get_or_init(|| {
        include_str!("../data/gazetteer.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(kind, name)| (name, kind))
            .collect()
    })
}

/// Whether a name is a place the gazetteer knows.
pub fn is_known_place(name: &str) -> bool {
    gazetteer().contains_key(name)
}

/// Titles and honorifics before a person's name.
const PERSON_TITLES: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Prof",
    "Professor",
    "President",
    "Prime",
    "Minister",
    "Mayor",
    "Governor",
    "Gov",
    "Senator",
    "Sen",
    "Rep",
    "Representative",
    "Judge",
    "Justice",
    "Chief",
    "Secretary",
    "General",
    "Gen",
    "Colonel",
    "Col",
    "Captain",
    "Capt",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Pope",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Sheikh",
    "Rabbi",
    "Father",
    "Bishop",
    "Archbishop",
    "Chancellor",
    "Speaker",
    "Ambassador",
    "Commissioner",
    "Director",
    "Coach",
    "Detective",
    "Officer",
    "Sergeant",
    "Sgt",
    "Lt",
    "Lieutenant",
    "Admiral",
    "Adm",
    "Herr",
    "Frau",
    "Madame",
    "Monsieur",
    "Señor",
    "Señora",
    "Don",
    "Doña",
];

/// Lower-case words before a name that make it a person's: "striker Leon Varga".
const PERSON_ROLES: &[&str] = &[
    "minister",
    "mayor",
    "president",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "executive",
    "director",
    "coach",
    "striker",
    "player",
    "actor",
    "actress",
    "singer",
    "author",
    "lawyer",
    "attorney",
    "judge",
    "senator",
    "governor",
    "secretary",
    "chairman",
    "chairwoman",
    "founder",
    "ceo",
    "officer",
    "professor",
    "scientist",
    "resident",
    "pensioner",
    "owner",
    "captain",
    "manager",
    "analyst",
    "economist",
    "said",
    "says",
    "told",
    "according",
    "by",
];

/// Capitalised titles that may stand inside a longer run before a name.
const INNER_TITLES: &[&str] = &[
    "Leader",
    "Minister",
    "Secretary",
    "Attorney",
    "General",
    "Director",
    "Chief",
    "Justice",
    "Congressman",
    "Congresswoman",
    "Spokesman",
    "Spokeswoman",
    "Chairman",
    "Chairwoman",
    "Commander",
    "Prince",
    "Princess",
    "Senator",
    "President",
    "Governor",
    "Mayor",
    "Judge",
    "Ambassador",
    "Speaker",
    "Whip",
    "Envoy",
];

/// Last words of names that are none of people, organisations or places.
const NOT_ENTITY_SUFFIXES: &[&str] = &[
    "Act",
    "Acts",
    "Agreement",
    "Treaty",
    "Amendment",
    "Clause",
    "Deal",
    "Accord",
    "Pact",
    "Law",
    "Bill",
    "War",
    "II",
    "Depression",
    "Day",
    "Award",
    "Awards",
    "Prize",
    "Cup",
    "Star",
    "Recession",
    "Crisis",
    "Plan",
    "Program",
    "Programme",
    "Initiative",
    "Doctrine",
];

/// Last words of a place's name.
const PLACE_SUFFIXES: &[&str] = &[
    "Street",
    "Avenue",
    "Road",
    "Square",
    "Bridge",
    "Hill",
    "County",
    "River",
    "Island",
    "Islands",
    "Bay",
    "Valley",
    "Park",
    "Coast",
    "Base",
    "Mountains",
    "Mountain",
    "Lake",
    "Province",
    "District",
    "Strait",
    "Sea",
    "Ocean",
    "Airport",
    "Harbour",
    "Harbor",
    "Port",
];

/// Last words of an organisation's name.
const ORG_SUFFIXES: &[&str] = &[
    "Inc",
    "Corp",
    "Corporation",
    "Ltd",
    "LLC",
    "plc",
    "AG",
    "GmbH",
    "SA",
    "Co",
    "Company",
    "Group",
    "Party",
    "Union",
    "Alliance",
    "Ministry",
    "Department",
    "Council",
    "Court",
    "University",
    "College",
    "School",
    "Bank",
    "Agency",
    "Committee",
    "Association",
    "Foundation",
    "Institute",
    "Commission",
    "Parliament",
    "Senate",
    "Congress",
    "Assembly",
    "Police",
    "Army",
    "Navy",
    "Force",
    "FC",
    "United",
    "Airlines",
    "Airways",
    "Air",
    "News",
    "Times",
    "Post",
    "Herald",
    "Gazette",
    "Daily",
    "Wire",
    "Courier",
    "Press",
    "Review",
    "Board",
    "Service",
    "Office",
    "Authority",
    "Fund",
    "Museum",
    "Hospital",
    "Railway",
    "Railways",
    "Shipping",
    "Coal",
    "Church",
    "Club",
    "League",
    "Federation",
    "Organisation",
    "Organization",
    "Network",
    "Bureau",
    "Guard",
    "Administration",
    "Reserve",
    "Exchange",
    "House",
    "Energy",
    "Consortium",
    "Observatory",
    "Laboratory",
    "Laboratories",
    "Center",
    "Centre",
    "Society",
    "Trust",
    "Academy",
    "Institution",
    "Partners",
    "Holdings",
    "Security",
    "Services",
    "Caucus",
    "State",
    "International",
];

/// First words of an organisation's name: "Ministry of Health", "Bank of Veloria".
const ORG_PREFIXES: &[&str] = &[
    "Ministry",
    "Department",
    "University",
    "Bank",
    "Council",
    "Court",
    "Institute",
    "Office",
    "Board",
    "Federation",
    "Union",
    "Museum",
    "Church",
    "House",
];

/// Capitalised words that begin sentences or name times, never an entity by themselves.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "Its",
    "In",
    "On",
    "At",
    "For",
    "From",
    "By",
    "With",
    "But",
    "And",
    "Or",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "So",
    "Yet",
    "Still",
    "Meanwhile",
    "However",
    "Also",
    "Later",
    "Earlier",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Some",
    "Many",
    "Most",
    "All",
    "No",
    "Not",
    "There",
    "Here",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "According",
    "Under",
    "Over",
    "About",
    "Since",
    "Until",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Officials",
    "Police",
    "Residents",
    "Engineers",
    "Rescuers",
];

const PARTICLES: &[&str] = &[
    "of", "de", "van", "von", "der", "al", "bin", "da", "del", "di", "la", "le",
];

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn bare(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’')
        .trim_end_matches("'s")
        .trim_end_matches("’s")
}

/// A word in capitals, longer than most acronyms.
fn is_acronym_like(w: &str) -> bool {
    w.chars().count() > 6 && w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
}

fn is_acronym(w: &str) -> bool {
    let n = w.chars().count();
    (2..=6).contains(&n) && w.chars().all(|c| c.is_ascii_uppercase())
}

/// The entities of `text`, most mentioned first (ties by name).
pub fn find_entities(text: &str) -> Vec<Entity> {
    // Words the text also writes in lower case are ordinary words, even capitalised at the
    // start of a sentence ("Then Schiff said", "Following President Trump").
    let lowercase: std::collections::HashSet<String> = text
        .split_whitespace()
        .map(bare)
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .map(str::to_string)
        .collect();
    let mut found: Vec<(EntityKind, String)> = Vec::new();
    for sentence in split_sentences(text) {
        let words: Vec<&str> = sentence.text.split_whitespace().collect();
        let mut i = 0;
        while i < words.len() {
            let w = bare(words[i]);
            if !is_capitalised(w) || NOT_NAMES.contains(&w) && !is_title(w) {
                i += 1;
                continue;
            }
            // A run of capitalised words, with particles inside it, up to a break.
            let mut end = i + 1;
            let mut stop = words[i].ends_with([',', '.', ';', ':', ')', '"', '”']);
            while end < words.len() && !stop {
                let next = bare(words[end]);
                let particle = PARTICLES.contains(&next)
                    && words.get(end + 1).is_some_and(|n| is_capitalised(bare(n)));
                if !(is_capitalised(next) && !NOT_NAMES.contains(&next) || particle) {
                    break;
                }
                stop = words[end].ends_with([',', '.', ';', ':', ')', '"', '”']);
                end += 1;
            }
            let mut run: Vec<&str> = words[i..end].iter().map(|w| bare(w)).collect();
            if i == 0 && run.len() > 1 && lowercase.contains(&run[0].to_lowercase()) {
                run.remove(0);
            }
            // Page residue: shouting ("JUST WATCHED"), credits with slashes.
            let junk = words[i..end].iter().any(|w| w.contains('/'))
                || run.len() > 1
                    && run
                        .iter()
                        .filter(|w| w.len() > 3 && is_acronym_like(w))
                        .count()
                        > 0;
            if junk {
                i = end;
                continue;
            }
            let before = i.checked_sub(1).map(|p| bare(words[p]).to_lowercase());
            let after = words.get(end).map(|w| bare(w).to_lowercase());
            if let Some((kind, name)) = classify(&run, before.as_deref(), after.as_deref(), i == 0)
            {
                found.push((kind, name));
            }
            i = end;
        }
    }
    merge(found)
}

fn is_title(w: &str) -> bool {
    PERSON_TITLES.contains(&w.trim_end_matches('.'))
}

/// What a run of capitalised words names, and its name without titles.
fn classify(
    run: &[&str],
    before: Option<&str>,
    after: Option<&str>,
    starts_sentence: bool,
) -> Option<(EntityKind, String)> {
    // Leading titles make a person ("Mayor Ines Carvalho", "Sen. Mitch McConnell"), and so
    // does a role opening the sentence ("Striker Leon Varga").
    let role_first = run.len() > 1 && PERSON_ROLES.contains(&run[0].to_lowercase().as_str());
    let titles = run
        .iter()
        .take_while(|w| is_title(w))
        .count()
        .max(usize::from(role_first));
    let mut name: Vec<&str> = run[titles..].to_vec();
    // A title inside the run ends what comes before it: "Japanese Prime Minister Shinzo
    // Abe", "Senate Majority Leader Mitch McConnell", "Secretary of State John Kerry".
    let mut titled = titles > 0;
    if let Some(last) = run
        .iter()
        .rposition(|w| is_title(w) || INNER_TITLES.contains(w))
    {
        let mut rest = last + 1;
        // "Secretary of State John Kerry", "Director of National Intelligence Joseph
        // Maguire": after "of" comes the office; the name is the last two words, three with
        // an initial ("Rex W Tillerson").
        if run.get(rest) == Some(&"of") {
            let initial = run.len() >= 3 && run[run.len() - 2].chars().count() == 1;
            rest = run
                .len()
                .saturating_sub(if initial { 3 } else { 2 })
                .max(rest + 2);
        }
        if rest < run.len() && !ORG_SUFFIXES.contains(run.last()?) {
            name = run[rest..].to_vec();
            titled = true;
        }
    }
    // "Amy Klobuchar of Minnesota": a person of a place.
    if let Some(of) = name.iter().position(|w| *w == "of") {
        let (who, place) = (&name[..of], &name[of + 1..]);
        let organisation = who
            .last()
            .is_some_and(|w| ORG_SUFFIXES.contains(w) || ORG_PREFIXES.contains(&who[0]));
        if (2..=3).contains(&who.len())
            && !organisation
            && gazetteer().contains_key(place.join(" ").as_str())
        {
            name = who.to_vec();
            titled = true;
        }
    }
    if name.is_empty() {
        return None;
    }
    let joined = name.join(" ");
    let last = *name.last()?;
    // Laws, treaties, wars and eras are named like people but are none of the three.
    if NOT_ENTITY_SUFFIXES.contains(&last) {
        return None;
    }
    if PLACE_SUFFIXES.contains(&last) && name.len() > 1 {
        return Some((EntityKind::Place, joined));
    }
    // Peoples and nationalities ("South Koreans", "Americans").
    if last.ends_with("ans") || last.ends_with("ese") && name.len() == 1 {
        return None;
    }
    if titled && !ORG_SUFFIXES.contains(&last) {
        return Some((EntityKind::Person, joined));
    }
    if gazetteer().contains_key(joined.as_str()) {
        return Some((EntityKind::Place, joined));
    }
    if ORG_SUFFIXES.contains(&last)
        || ORG_PREFIXES.contains(&name[0]) && name.len() > 1
        || name.len() == 1 && is_acronym(last)
    {
        return Some((EntityKind::Organisation, joined));
    }
    // A place's name inside a longer run ("Port Aldane harbour" is not one; "Corvallo
    // General Hospital" is an organisation above).
    if name.len() == 1 {
        // A group named by its trade ("Forecasters said") is no one person.
        if ["ers", "ists", "ysts", "ians", "ors"]
            .iter()
            .any(|s| last.ends_with(s))
        {
            return None;
        }
        // A lone capitalised word opening a sentence is any word, unless it says something
        // ("Carvalho said").
        if starts_sentence {
            let speaks = after.is_some_and(|a| matches!(a, "said" | "says" | "told" | "added"));
            return speaks.then_some((EntityKind::Person, joined));
        }
        // "said Carvalho", but not "said Ilvana could be…", where the word starts a
        // reported clause.
        let clause = after.is_some_and(|a| {
            matches!(
                a,
                "could"
                    | "would"
                    | "was"
                    | "is"
                    | "had"
                    | "has"
                    | "will"
                    | "may"
                    | "might"
                    | "should"
                    | "were"
                    | "are"
                    | "can"
            )
        });
        let role = before.is_some_and(|b| PERSON_ROLES.contains(&b)) && !clause;
        return Some((
            if role {
                EntityKind::Person
            } else {
                EntityKind::Place
            },
            joined,
        ))
        .filter(|_| {
            role || before.is_some_and(|b| matches!(b, "in" | "at" | "from" | "near" | "to"))
        });
    }
    // Two to four capitalised words: a person's name, unless a place word says otherwise.
    if (2..=4).contains(&name.len()) && !name.iter().any(|w| PARTICLES.contains(w)) {
        let place_cue = before.is_some_and(|b| matches!(b, "in" | "at" | "near" | "from"));
        return Some((
            if place_cue {
                EntityKind::Place
            } else {
                EntityKind::Person
            },
            joined,
        ));
    }
    Some((EntityKind::Organisation, joined))
}

/// Counts mentions; a surname alone counts for the fuller name it ends ("Carvalho" for
/// "Ines Carvalho").
fn merge(found: Vec<(EntityKind, String)>) -> Vec<Entity> {
    let mut counts: HashMap<(EntityKind, String), usize> = HashMap::new();
    for (kind, name) in &found {
        *counts.entry((*kind, name.clone())).or_default() += 1;
    }
    let names = Names::of(counts.keys());
    let mut merged: HashMap<(EntityKind, String), usize> = HashMap::new();
    for ((kind, name), n) in counts {
        *merged.entry(names.canonical(kind, name)).or_default() += n;
    }
    let mut out: Vec<Entity> = merged
        .into_iter()
        .map(|((kind, name), mentions)| Entity {
            kind,
            name,
            mentions,
        })
        .collect();
    out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
    out
}

/// The names found, for telling which of them are one entity: in one text, or across the
/// versions of a story.
pub struct Names {
    /// People named with more than one word.
    people: Vec<String>,
    places: std::collections::HashSet<String>,
}

impl Names {
    pub fn of<'a>(found: impl Iterator<Item = &'a (EntityKind, String)>) -> Names {
        let mut names = Names {
            people: Vec::new(),
            places: Default::default(),
        };
        for (kind, name) in found {
            match kind {
                EntityKind::Person if name.contains(' ') => names.people.push(name.clone()),
                EntityKind::Place => {
                    names.places.insert(name.clone());
                }
                _ => {}
            }
        }
        names
    }

    /// The entity a (kind, name) found stands for: a name read as a place anywhere ("in
    /// Port Aldane") is that place everywhere, since the two-word rule only guessed it was
    /// a person; a single word that ends a fuller person's name ("Carvalho") is that
    /// person.
    pub fn canonical(&self, kind: EntityKind, name: String) -> (EntityKind, String) {
        let kind = if kind == EntityKind::Person && self.places.contains(&name) {
            EntityKind::Place
        } else {
            kind
        };
        let fuller = (!name.contains(' '))
            .then(|| {
                self.people
                    .iter()
                    .filter(|p| p.rsplit(' ').next() == Some(name.as_str()))
                    // Longest, and among equals the first by name: the people were
                    // gathered from a hash map, whose order changes from run to run.
                    .max_by(|a, b| a.len().cmp(&b.len()).then(b.cmp(a)))
            })
            .flatten();
        match fuller {
            Some(p) => (EntityKind::Person, p.clone()),
            None => (kind, name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<(EntityKind, &'static str, usize)> {
        let mut out: Vec<(EntityKind, &'static str, usize)> = find_entities(text)
            .into_iter()
            .map(|e| (e.kind, &*Box::leak(e.name.into_boxed_str()), e.mentions))
            .collect();
        out.sort_by(|a, b| a.1.cmp(b.1));
        out
    }

    #[test]
    fn people_organisations_and_places() {
        let found = of(
            "Mayor Ines Carvalho met the Central Bank of Veloria in Lisbon on Monday. \
             Carvalho said NATO and Norlight Inc would help. Striker Leon Varga was in Paris.",
        );
        assert!(
            found.contains(&(EntityKind::Person, "Ines Carvalho", 2)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Organisation, "Central Bank of Veloria", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Place, "Lisbon", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Place, "Paris", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Organisation, "NATO", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Organisation, "Norlight Inc", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Person, "Leon Varga", 1)),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|e| e.1 == "Monday" || e.1 == "Striker"),
            "{found:?}"
        );
    }

    #[test]
    fn titles_inside_names_and_things_that_are_no_one() {
        let found = of(
            "Japanese Prime Minister Shinzo Abe met Secretary of State John Kerry at the White \
             House. The Affordable Care Act and the Paris Agreement were discussed near Capitol \
             Hill. Then Schiff spoke, and then South Koreans cheered. JUST WATCHED Trump speaks.",
        );
        assert!(
            found.contains(&(EntityKind::Person, "Shinzo Abe", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Person, "John Kerry", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Organisation, "White House", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Place, "Capitol Hill", 1)),
            "{found:?}"
        );
        for wrong in [
            "Affordable Care Act",
            "Paris Agreement",
            "South Koreans",
            "Then Schiff",
        ] {
            assert!(!found.iter().any(|e| e.1 == wrong), "{wrong}: {found:?}");
        }
        assert!(!found.iter().any(|e| e.1.contains("WATCHED")), "{found:?}");
    }

    #[test]
    fn offices_people_of_places_organisations_and_groups() {
        let more =
            of("Director of National Intelligence Joseph Maguire met Amy Klobuchar of Minnesota.");
        assert!(
            more.contains(&(EntityKind::Person, "Joseph Maguire", 1)),
            "{more:?}"
        );
        assert!(
            more.contains(&(EntityKind::Person, "Amy Klobuchar", 1)),
            "{more:?}"
        );
        let bank = of("The Central Bank of Brazil cut rates.");
        assert!(
            bank.contains(&(EntityKind::Organisation, "Central Bank of Brazil", 1)),
            "{bank:?}"
        );
        let space = of("The International Space Consortium said Ilvana could be a planet's core.");
        assert!(
            space.contains(&(
                EntityKind::Organisation,
                "International Space Consortium",
                1
            )),
            "{space:?}"
        );
        assert!(!space.iter().any(|e| e.1 == "Ilvana"), "{space:?}");
        let port = of(
            "Port Aldane flooded. The wall of Port Aldane fell in Port Aldane. \
             Forecasters said so. Analysts said so too.",
        );
        assert_eq!(port, [(EntityKind::Place, "Port Aldane", 3)]);
        // Two people of one surname and one length: the surname alone counts for the same
        // one on every run.
        for _ in 0..8 {
            let both = of("Edward Gallagher and Andrea Gallagher spoke. Gallagher said no.");
            assert!(
                both.contains(&(EntityKind::Person, "Andrea Gallagher", 2)),
                "{both:?}"
            );
        }
    }

    #[test]
    fn the_gazetteer_knows_countries_and_cities() {
        for place in [
            "France",
            "Germany",
            "Tokyo",
            "Nairobi",
            "California",
            "Lisbon",
        ] {
            assert!(is_known_place(place), "{place}");
        }
        assert!(!is_known_place("Port Aldane"));
    }

    #[test]
    fn odd_text_does_not_panic() {
        for text in [
            "",
            "A",
            "Mr.",
            "THE END",
            "Of Of Of",
            "— Mr. —",
            "São Paulo’s",
        ] {
            let _ = find_entities(text);
        }
    }
}
