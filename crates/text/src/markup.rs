//! A forgiving tokenizer of XML and HTML markup: it reads what a well-formed document says,
//! and where a document is not well formed (bare `&`, stray `<`, an unclosed tag or CDATA
//! section, mismatched ends) it says so and goes on, as a person reading it would.

/// One piece of markup or text. Borrowed from the document; nothing is copied until a
/// handler wants it.
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    /// `<name attr="v">`; `empty` for `<name/>`. Attribute values are raw (entities unresolved).
    Start {
        name: &'a str,
        attrs: Vec<(&'a str, &'a str)>,
        empty: bool,
    },
    End(&'a str),
    /// Text without any `&`.
    Text(&'a str),
    /// `&name;` or `&#…;`: the part between `&` and `;`.
    Reference(&'a str),
    /// An `&` that starts no reference.
    BareAmpersand,
    CData(&'a str),
    /// The whole `<!DOCTYPE …>` declaration.
    Doctype(&'a str),
}

/// Tokens of `text`, and whether the text was less than well formed.
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
    /// Why the document is not well-formed XML, for the first problem seen.
    pub problem: Option<String>,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens {
            text,
            pos: 0,
            problem: None,
        }
    }

    fn flag(&mut self, why: impl FnOnce() -> String) {
        if self.problem.is_none() {
            self.problem = Some(why());
        }
    }

    /// Skips the raw text of an HTML element such as `<script>` up to and past its end tag
    /// (matched without regard to case); an element never closed runs to the end.
    pub fn skip_raw_text(&mut self, name: &str) {
        let rest = self.rest().as_bytes();
        let name = name.as_bytes();
        let found = memchr::memmem::find_iter(rest, b"</").find(|&i| {
            let after = rest.get(i + 2 + name.len()).copied();
            rest.get(i + 2..i + 2 + name.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(name))
                && after.is_none_or(|b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
        });
        match found {
            Some(i) => {
                let tail = &rest[i..];
                let end = tail
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(tail.len(), |e| e + 1);
                self.pos += i + end;
            }
            None => self.pos = self.text.len(),
        }
    }

    /// How far into the text the tokens have read, in bytes.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Skips to just past `end`, returning what came before it; an unterminated construct
    /// runs to the end of the document.
    fn until(&mut self, end: &str, what: &str) -> &'a str {
        let rest = self.rest();
        match memchr::memmem::find(rest.as_bytes(), end.as_bytes()) {
            Some(i) => {
                self.pos += i + end.len();
                &rest[..i]
            }
            None => {
                self.flag(|| format!("unterminated {what}"));
                self.pos = self.text.len();
                rest
            }
        }
    }

    fn markup(&mut self) -> Option<Token<'a>> {
        let rest = self.rest();
        if let Some(after) = rest.strip_prefix("<!--") {
            self.pos += 4;
            let _ = after;
            self.until("-->", "comment");
            return None;
        }
        if rest.starts_with("<![CDATA[") {
            self.pos += 9;
            return Some(Token::CData(self.until("]]>", "CDATA section")));
        }
        if rest.len() >= 9 && rest.as_bytes()[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            return Some(Token::Doctype(self.doctype()));
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = if rest.starts_with("<?") { "?>" } else { ">" };
            self.pos += 2;
            self.until(end, "declaration");
            return None;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>');
            let inner = &after[..end.unwrap_or(after.len())];
            self.pos += 2 + inner.len() + usize::from(end.is_some());
            if end.is_none() {
                self.flag(|| "unterminated end tag".into());
            }
            return Some(Token::End(inner.trim()));
        }
        self.start_tag()
    }

    /// `<!DOCTYPE …>` including an internal subset in brackets.
    fn doctype(&mut self) -> &'a str {
        let rest = self.rest();
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[') => depth += 1,
                (None, ']') => depth = depth.saturating_sub(1),
                (None, '>') if depth == 0 => {
                    self.pos += i + 1;
                    return &rest[..=i];
                }
                _ => {}
            }
        }
        self.flag(|| "unterminated DOCTYPE".into());
        self.pos = self.text.len();
        rest
    }

    fn start_tag(&mut self) -> Option<Token<'a>> {
        let rest = self.rest();
        let body = &rest[1..];
        let name_len = body
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(body.len());
        let name = &body[..name_len];
        if name.is_empty()
            || !name
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        {
            // A `<` that opens nothing is text.
            self.flag(|| "a '<' that starts no tag".into());
            self.pos += 1;
            return Some(Token::Text(&rest[..1]));
        }
        let mut i = 1 + name_len;
        let bytes = rest.as_bytes();
        let mut attrs = Vec::new();
        loop {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= bytes.len() {
                self.flag(|| format!("unterminated tag <{name}>"));
                self.pos = self.text.len();
                return Some(Token::Start {
                    name,
                    attrs,
                    empty: true,
                });
            }
            match bytes[i] {
                b'>' => {
                    self.pos += i + 1;
                    return Some(Token::Start {
                        name,
                        attrs,
                        empty: false,
                    });
                }
                b'/' if bytes.get(i + 1) == Some(&b'>') => {
                    self.pos += i + 2;
                    return Some(Token::Start {
                        name,
                        attrs,
                        empty: true,
                    });
                }
                b'/' => i += 1,
                _ => {
                    let start = i;
                    let ends_key = |i: usize| {
                        i >= bytes.len()
                            || bytes[i].is_ascii_whitespace()
                            || matches!(bytes[i], b'=' | b'>')
                            || bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'>')
                    };
                    while !ends_key(i) {
                        i += 1;
                    }
                    let key = &rest[start..i];
                    let mut j = i;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if bytes.get(j) != Some(&b'=') {
                        self.flag(|| format!("attribute {key:?} without a value"));
                        attrs.push((key, key));
                        continue;
                    }
                    j += 1;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    let value = match bytes.get(j) {
                        Some(&q @ (b'"' | b'\'')) => {
                            let from = j + 1;
                            match memchr::memchr(q, &bytes[from..]) {
                                Some(len) => {
                                    i = from + len + 1;
                                    &rest[from..from + len]
                                }
                                None => {
                                    self.flag(|| "unterminated attribute value".into());
                                    self.pos = self.text.len();
                                    attrs.push((key, &rest[from..]));
                                    return Some(Token::Start {
                                        name,
                                        attrs,
                                        empty: true,
                                    });
                                }
                            }
                        }
                        _ => {
                            self.flag(|| format!("unquoted value of attribute {key:?}"));
                            let from = j;
                            i = j;
                            while i < bytes.len()
                                && !bytes[i].is_ascii_whitespace()
                                && bytes[i] != b'>'
                            {
                                i += 1;
                            }
                            &rest[from..i]
                        }
                    };
                    attrs.push((key, value));
                }
            }
        }
    }

    fn reference(&mut self) -> Token<'a> {
        let rest = self.rest();
        let body = &rest[1..];
        let len = body
            .find(|c: char| !(c.is_alphanumeric() || c == '#' || c == '_' || c == '-' || c == '.'))
            .unwrap_or(body.len());
        if len > 0 && body[len..].starts_with(';') {
            self.pos += len + 2;
            Token::Reference(&body[..len])
        } else {
            self.flag(|| "a bare '&'".into());
            self.pos += 1;
            Token::BareAmpersand
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                return None;
            }
            match rest.as_bytes()[0] {
                b'<' => {
                    if let Some(token) = self.markup() {
                        return Some(token);
                    }
                }
                b'&' => return Some(self.reference()),
                _ => {
                    let len = memchr::memchr2(b'<', b'&', rest.as_bytes()).unwrap_or(rest.len());
                    self.pos += len;
                    return Some(Token::Text(&rest[..len]));
                }
            }
        }
    }
}

/// The entities a DOCTYPE declares with a plain value, as Universal Feed Parser keeps them
/// (anything that could expand into markup or other entities is left out).
pub fn declared_entities(doctype: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = doctype;
    while let Some(i) = rest.find("<!ENTITY") {
        rest = &rest[i + 8..];
        let mut words = rest.trim_start().splitn(2, char::is_whitespace);
        let (Some(name), Some(after)) = (words.next(), words.next()) else {
            break;
        };
        let after = after.trim_start();
        let Some(value) = after.strip_prefix('"') else {
            continue;
        };
        let Some(end) = value.find('"') else { break };
        let value = &value[..end];
        let plain = !value.contains('&')
            || (value.starts_with("&#") && value.ends_with(';') && value.matches('&').count() == 1);
        if plain && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            out.push((name.to_string(), value.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_markup_is_read_without_complaint() {
        let mut t = Tokens::new(
            "<?xml version='1.0'?><!-- c --><a x=\"1\" y='2'>t &amp; <![CDATA[<b>]]><e/></a>",
        );
        let tokens: Vec<_> = t.by_ref().collect();
        assert_eq!(
            tokens,
            [
                Token::Start {
                    name: "a",
                    attrs: vec![("x", "1"), ("y", "2")],
                    empty: false
                },
                Token::Text("t "),
                Token::Reference("amp"),
                Token::Text(" "),
                Token::CData("<b>"),
                Token::Start {
                    name: "e",
                    attrs: vec![],
                    empty: true
                },
                Token::End("a"),
            ]
        );
        assert_eq!(t.problem, None);
    }

    #[test]
    fn broken_markup_is_flagged_and_read_on() {
        let mut t = Tokens::new("<a>1 < 2 & 3 <b x=y>");
        let tokens: Vec<_> = t.by_ref().collect();
        assert!(tokens.contains(&Token::BareAmpersand));
        assert!(tokens.contains(&Token::Text("<")));
        assert!(tokens.contains(&Token::Start {
            name: "b",
            attrs: vec![("x", "y")],
            empty: false
        }));
        assert!(t.problem.is_some());
        // Never stuck, never out of bounds, whatever the input ends with.
        for cut in [
            "<",
            "<a",
            "<a x",
            "<a x=",
            "<a x='",
            "&",
            "&a",
            "<!--",
            "<![CDATA[",
            "</a",
        ] {
            let _ = Tokens::new(cut).count();
        }
        // Multi-byte text right after markup of every kind.
        for doc in [
            "<ñ>",
            "<!ñ>",
            "<!DOCTYPñ",
            "&ñ;",
            "<a ñ=ñ>",
            "</ñ",
            "<?ñ",
            "<a\u{a0}b='é'>",
        ] {
            let _ = Tokens::new(doc).count();
        }
    }

    #[test]
    fn only_plain_entity_declarations_are_kept() {
        let d = r#"<!DOCTYPE rss [<!ENTITY copy "&#169;"> <!ENTITY x "plain"> <!ENTITY bad "&y;&z;">]>"#;
        assert_eq!(
            declared_entities(d),
            [
                ("copy".to_string(), "&#169;".to_string()),
                ("x".to_string(), "plain".to_string())
            ]
        );
    }
}
