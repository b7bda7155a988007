//! Where feedparser-rs reads less than Universal Feed Parser does, the gap is closed here,
//! on the parse result, before anything else looks at it.

use feedparser_rs as fp;

/// Entities XML itself defines; the parser has already resolved them.
const XML_ENTITIES: &[&str] = &["lt", "gt", "amp", "quot", "apos"];

/// Resolves HTML's named entities (`&aacute;`, `&nbsp;`) that XML does not define and the
/// parser therefore left as text. Feeds use them all the time without declaring them.
pub(crate) fn resolve_html_entities(s: &str) -> Option<String> {
    if !s.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut changed = false;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let name_len = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - 1);
        let name = &rest[1..1 + name_len];
        let terminated = rest[1 + name_len..].starts_with(';');
        if terminated && !name.is_empty() && !XML_ENTITIES.contains(&name) {
            let entity = &rest[..name_len + 2];
            let decoded = html_escape::decode_html_entities(entity);
            if decoded != entity {
                out.push_str(&decoded);
                rest = &rest[entity.len()..];
                changed = true;
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

fn fix_text(s: &mut String) {
    if let Some(fixed) = resolve_html_entities(s) {
        *s = fixed;
    }
}

fn fix_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        fix_text(s);
    }
}

fn fix_detail(d: &mut Option<fp::TextConstruct>) {
    if let Some(d) = d {
        fix_text(&mut d.value);
    }
}

/// "Jane Doe (jane@example.com)" and "jane@example.com (Jane Doe)", as RSS writes authors.
pub(crate) fn split_rss_author(raw: &str) -> Option<(Option<String>, Option<String>)> {
    let raw = raw.trim();
    let (outer, inner) = match (raw.find('('), raw.rfind(')')) {
        (Some(open), Some(close)) if close > open => (
            format!("{}{}", &raw[..open], &raw[close + 1..]),
            raw[open + 1..close].to_string(),
        ),
        _ => (raw.to_string(), String::new()),
    };
    let outer = outer.trim().to_string();
    let inner = inner.trim().to_string();
    let is_email = |s: &str| s.contains('@') && !s.contains(' ');
    let (name, email) = if is_email(&outer) {
        (
            Some(inner).filter(|s| !s.is_empty()),
            Some(outer.trim_start_matches("mailto:").to_string()),
        )
    } else if is_email(&inner) {
        (
            Some(outer).filter(|s| !s.is_empty()),
            Some(inner.trim_start_matches("mailto:").to_string()),
        )
    } else {
        return None;
    };
    Some((name, email))
}

fn fix_person(p: &mut fp::Person) {
    // feedparser-rs reads "Name (email)" the wrong way round: the name as email and the
    // address as name. An email without "@" and a name with one are swapped back.
    let name_is_address = p
        .name
        .as_deref()
        .is_some_and(|n| n.contains('@') && !n.contains(' '));
    let email_is_name = p.email.as_deref().is_some_and(|e| !e.contains('@'));
    if name_is_address && email_is_name {
        let address = p.name.take().map(|n| n.to_string());
        let name = p.email.take().map(|e| e.to_string());
        p.name = name.map(Into::into);
        p.email = address.map(Into::into);
    }
    if p.email.is_none() {
        if let Some(name) = p.name.as_deref() {
            if let Some((n, e)) = split_rss_author(name) {
                p.name = n.map(Into::into);
                p.email = e.map(Into::into);
            }
        }
    }
    if let Some(name) = p.name.as_mut() {
        if let Some(fixed) = resolve_html_entities(name) {
            *name = fixed.into();
        }
    }
}

pub(crate) fn fix(feed: &mut fp::ParsedFeed) {
    let f = &mut feed.feed;
    fix_opt(&mut f.title);
    fix_detail(&mut f.title_detail);
    fix_opt(&mut f.subtitle);
    fix_detail(&mut f.subtitle_detail);
    fix_opt(&mut f.summary);
    fix_detail(&mut f.summary_detail);
    fix_opt(&mut f.rights);
    fix_detail(&mut f.rights_detail);
    for p in f
        .authors
        .iter_mut()
        .chain(f.contributors.iter_mut())
        .chain(f.author_detail.iter_mut())
        .chain(f.publisher_detail.iter_mut())
    {
        fix_person(p);
    }
    for e in &mut feed.entries {
        fix_opt(&mut e.title);
        fix_detail(&mut e.title_detail);
        fix_opt(&mut e.summary);
        fix_detail(&mut e.summary_detail);
        fix_opt(&mut e.rights);
        fix_detail(&mut e.rights_detail);
        for c in &mut e.content {
            fix_text(&mut c.value);
        }
        for p in e
            .authors
            .iter_mut()
            .chain(e.contributors.iter_mut())
            .chain(e.author_detail.iter_mut())
            .chain(e.publisher_detail.iter_mut())
        {
            fix_person(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_entities_resolve_and_xml_ones_stay() {
        assert_eq!(
            resolve_html_entities("caf&eacute; &amp; &lt;b&gt; &nbsp;x").as_deref(),
            Some("café &amp; &lt;b&gt; \u{a0}x")
        );
        assert_eq!(resolve_html_entities("AT&T; &unknownthing; & done"), None);
    }

    #[test]
    fn name_and_address_read_the_wrong_way_round_are_swapped_back() {
        let mut p = fp::Person {
            name: Some("me@example.com".into()),
            email: Some("Example editor".into()),
            ..fp::Person::default()
        };
        fix_person(&mut p);
        assert_eq!(p.name.as_deref(), Some("Example editor"));
        assert_eq!(p.email.as_deref(), Some("me@example.com"));
    }

    #[test]
    fn rss_authors_split_into_name_and_email() {
        assert_eq!(
            split_rss_author("Jane Doe (jane@example.com)"),
            Some((Some("Jane Doe".into()), Some("jane@example.com".into())))
        );
        assert_eq!(
            split_rss_author("jane@example.com (Jane Doe)"),
            Some((Some("Jane Doe".into()), Some("jane@example.com".into())))
        );
        assert_eq!(
            split_rss_author("jane@example.com"),
            Some((None, Some("jane@example.com".into())))
        );
        assert_eq!(split_rss_author("Jane Doe"), None);
    }
}
