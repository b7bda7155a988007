//! The XPath that site configs are written in, read into CSS selectors. Site configs use a
//! small part of XPath 1.0 (paths of element names with attribute and class tests, unions,
//! a final `@attribute` or `text()`), and all of it has a CSS equivalent that the page's
//! parser already evaluates; anything else is refused with a reason, never guessed.

use scraper::Selector;

/// A compiled expression: the elements it selects, and what of them it reads.
#[derive(Debug, Clone)]
pub struct XPath {
    pub selector: Selector,
    pub reads: Reads,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// The elements themselves.
    Elements,
    /// Their text (`…/text()`).
    Text,
    /// An attribute of theirs (`…/@content`).
    Attribute(String),
}

/// Reads an XPath expression; the error says what part of XPath it uses that has no CSS
/// equivalent.
pub fn compile(expr: &str) -> Result<XPath, String> {
    let mut parser = Parser {
        chars: expr.trim().chars().collect(),
        at: 0,
    };
    let mut paths = Vec::new();
    let mut reads = None;
    loop {
        let (css, read) = parser.path()?;
        if reads.as_ref().is_some_and(|r| *r != read) {
            return Err("a union of paths that read different things".into());
        }
        reads = Some(read);
        paths.push(css);
        parser.skip_space();
        if !parser.eat("|") {
            break;
        }
    }
    parser.skip_space();
    if parser.at < parser.chars.len() {
        return Err(format!(
            "unsupported XPath from {:?}",
            parser.chars[parser.at..].iter().collect::<String>()
        ));
    }
    let css = paths.join(", ");
    let selector =
        Selector::parse(&css).map_err(|e| format!("no CSS equivalent ({css:?}: {e})"))?;
    Ok(XPath {
        selector,
        reads: reads.unwrap_or(Reads::Elements),
    })
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn rest_starts_with(&self, s: &str) -> bool {
        (self.at..)
            .zip(s.chars())
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest_starts_with(s) {
            self.at += s.chars().count();
            true
        } else {
            false
        }
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn expect(&mut self, s: &str) -> Result<(), String> {
        self.skip_space();
        if self.eat(s) {
            Ok(())
        } else {
            Err(format!("expected {s:?} at {}", self.at))
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        {
            self.at += 1;
        }
        if start == self.at {
            return Err(format!("expected a name at {start}"));
        }
        Ok(self.chars[start..self.at].iter().collect())
    }

    fn literal(&mut self) -> Result<String, String> {
        self.skip_space();
        let quote = self.peek().filter(|c| matches!(c, '\'' | '"'));
        let Some(quote) = quote else {
            return Err(format!("expected a quoted string at {}", self.at));
        };
        self.at += 1;
        let start = self.at;
        while self.peek().is_some_and(|c| c != quote) {
            self.at += 1;
        }
        if self.peek().is_none() {
            return Err("an unterminated string".into());
        }
        let value = self.chars[start..self.at].iter().collect();
        self.at += 1;
        Ok(value)
    }

    /// One path: steps joined by `/` (child) or `//` (descendant).
    fn path(&mut self) -> Result<(String, Reads), String> {
        self.skip_space();
        let mut css = String::new();
        let mut first = true;
        loop {
            let combinator = if self.eat("//") {
                " "
            } else if self.eat("/") {
                // The first `/` is the document: its child is the root element.
                if first {
                    ""
                } else {
                    " > "
                }
            } else if first {
                // A relative path from the document reads like `//`.
                ""
            } else {
                break;
            };
            if self.eat("@") {
                let name = self.name()?;
                return finish(css, Reads::Attribute(name.to_ascii_lowercase()));
            }
            if self.eat("text()") {
                return finish(css, Reads::Text);
            }
            if !first {
                css.push_str(combinator);
            }
            css.push_str(&self.step()?);
            first = false;
        }
        finish(css, Reads::Elements)
    }

    /// An element test and its predicates.
    fn step(&mut self) -> Result<String, String> {
        let name = if self.eat("*") {
            "*".to_string()
        } else {
            self.name()?.to_ascii_lowercase()
        };
        if name.contains("::") || name.ends_with("()") {
            return Err(format!("the XPath axis or function {name:?}"));
        }
        let mut css = name.clone();
        loop {
            self.skip_space();
            if !self.eat("[") {
                break;
            }
            css.push_str(&self.predicate(&name)?);
            self.expect("]")?;
        }
        Ok(css)
    }

    fn predicate(&mut self, name: &str) -> Result<String, String> {
        self.skip_space();
        // A position: `[1]`, `[last()]`.
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        if self.at > start {
            let n: String = self.chars[start..self.at].iter().collect();
            return Ok(if name == "*" {
                format!(":nth-child({n})")
            } else {
                format!(":nth-of-type({n})")
            });
        }
        if self.eat("last()") {
            return Ok(if name == "*" {
                ":last-child".into()
            } else {
                ":last-of-type".into()
            });
        }
        self.or_expr()
    }

    fn or_expr(&mut self) -> Result<String, String> {
        let mut alternatives = vec![self.and_expr()?];
        loop {
            self.skip_space();
            if !self.eat("or ") {
                break;
            }
            alternatives.push(self.and_expr()?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            format!(":is({})", alternatives.join(", "))
        })
    }

    fn and_expr(&mut self) -> Result<String, String> {
        let mut css = self.condition()?;
        loop {
            self.skip_space();
            if !self.eat("and ") {
                break;
            }
            css.push_str(&self.condition()?);
        }
        Ok(css)
    }

    fn condition(&mut self) -> Result<String, String> {
        self.skip_space();
        if self.eat("(") {
            let inner = self.or_expr()?;
            self.expect(")")?;
            return Ok(format!(":is({inner})"));
        }
        if self.eat("not(") {
            let inner = self.or_expr()?;
            self.expect(")")?;
            return Ok(format!(":not({inner})"));
        }
        if self.eat("contains(") {
            self.skip_space();
            let css = if self.eat("concat(") {
                // contains(concat(' ', normalize-space(@class), ' '), ' word '): a class word.
                self.literal()?;
                self.expect(",")?;
                self.skip_space();
                let attr = self.normalized_attribute()?;
                self.expect(",")?;
                self.literal()?;
                self.expect(")")?;
                self.expect(",")?;
                let word = self.literal()?;
                let word = word.trim();
                if word.contains(char::is_whitespace) || word.is_empty() {
                    return Err("contains() of several class words".into());
                }
                format!("[{attr}~={}]", quoted(word))
            } else {
                let attr = self.normalized_attribute()?;
                self.expect(",")?;
                let value = self.literal()?;
                format!("[{attr}*={}]", quoted(&value))
            };
            self.expect(")")?;
            return Ok(css);
        }
        if self.eat("starts-with(") {
            self.skip_space();
            let attr = self.normalized_attribute()?;
            self.expect(",")?;
            let value = self.literal()?;
            self.expect(")")?;
            return Ok(format!("[{attr}^={}]", quoted(&value)));
        }
        if self.eat("@") {
            let attr = self.name()?.to_ascii_lowercase();
            self.skip_space();
            if self.eat("!=") {
                let value = self.literal()?;
                return Ok(format!(":not([{attr}={}])", quoted(&value)));
            }
            if self.eat("=") {
                let value = self.literal()?;
                return Ok(format!("[{attr}={}]", quoted(&value)));
            }
            return Ok(format!("[{attr}]"));
        }
        Err(format!(
            "unsupported test from {:?}",
            self.chars[self.at..].iter().collect::<String>()
        ))
    }

    /// `@name` or `normalize-space(@name)`: the attribute's name.
    fn normalized_attribute(&mut self) -> Result<String, String> {
        if self.eat("normalize-space(") {
            self.skip_space();
            let attr = self.normalized_attribute()?;
            self.expect(")")?;
            return Ok(attr);
        }
        if self.eat("@") {
            return Ok(self.name()?.to_ascii_lowercase());
        }
        Err(format!(
            "only attributes can be tested, not {:?}",
            self.chars[self.at..].iter().collect::<String>()
        ))
    }
}

fn finish(css: String, reads: Reads) -> Result<(String, Reads), String> {
    if css.is_empty() {
        return Err("a path with no element".into());
    }
    Ok((css, reads))
}

/// A CSS string literal.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    const PAGE: &str = r#"<html><head><meta property="article:published_time" content="2026-11-02T08:00:00Z"></head>
        <body><div id="main"><div class="story-body main"><p>One</p><p class="ad-note">Ad</p><p>Two</p></div>
        <div class="storyline"><p>Not it</p></div><span class="byline author">Ann Lee</span></div>
        <ul><li>a</li><li>b</li></ul></body></html>"#;

    /// The texts of what `expr` selects in `PAGE`, or the value it reads.
    fn select(expr: &str) -> Vec<String> {
        let x = compile(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let doc = Html::parse_document(PAGE);
        doc.select(&x.selector)
            .map(|e| match &x.reads {
                Reads::Attribute(a) => e.attr(a).unwrap_or_default().to_string(),
                _ => e.text().collect::<String>(),
            })
            .collect()
    }

    #[test]
    fn site_config_expressions_select_what_xpath_would() {
        let cases: &[(&str, &[&str])] = &[
            (
                "//div[@id='main']//p[not(@class)]",
                &["One", "Two", "Not it"],
            ),
            (
                "//div[contains(concat(' ',normalize-space(@class),' '),' story-body ')]/p[1]",
                &["One"],
            ),
            ("//div[contains(@class, 'story')]", &["OneAdTwo", "Not it"]),
            (
                "//div[@class='storyline']/p | //span[@class='byline author']",
                &["Not it", "Ann Lee"],
            ),
            (
                "//meta[@property=\"article:published_time\"]/@content",
                &["2026-11-02T08:00:00Z"],
            ),
            ("//span[starts-with(@class, 'byline')]/text()", &["Ann Lee"]),
            ("//ul/li[last()]", &["b"]),
            ("//p[@class='ad-note' or @class='none']", &["Ad"]),
            ("//*[@id='main']/span", &["Ann Lee"]),
            ("/html/body/ul/li[2]", &["b"]),
        ];
        for (expr, want) in cases {
            assert_eq!(select(expr), *want, "{expr}");
        }
    }

    #[test]
    fn what_css_cannot_say_is_refused() {
        for expr in [
            "//p[contains(text(), 'Read more')]",
            "substring-after(//title, '|')",
            "//div[@id='main']/following-sibling::div",
            "//p[",
            "//meta/@content | //p",
        ] {
            assert!(compile(expr).is_err(), "{expr}");
        }
    }
}
