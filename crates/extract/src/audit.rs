//! A second opinion on HTML that is about to be shown: what in it a browser would run, load
//! from elsewhere, or let restyle the page. It reads the markup with html5ever, the HTML
//! standard's parser, not with the sanitizer's own tokenizer, so a gap in one is not
//! hidden by the same gap in the other. Tests and `parallax eval feeds` use it; the
//! sanitizer, not this, is what keeps pages safe.

use scraper::{Html, Node};

/// Elements that run code, load documents or restyle the page.
const ACTIVE_ELEMENTS: &[&str] = &[
    "applet", "base", "embed", "form", "frame", "frameset", "input", "link", "math", "meta",
    "object", "script", "style", "svg", "template", "textarea", "button", "select",
];

/// Attributes whose value a browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "background",
    "cite",
    "data",
    "formaction",
    "href",
    "longdesc",
    "poster",
    "src",
    "srcset",
    "xlink:href",
];

/// What in `html` (a fragment, or a whole page) could run script or restyle the page,
/// each named with its element; nothing, for safe markup. A sandboxed `<iframe>` of an
/// https page is allowed: the sanitizer keeps video players so.
pub fn unsafe_markup(html: &str) -> Vec<String> {
    let doc = if html
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("<!doctype")
    {
        Html::parse_document(html)
    } else {
        Html::parse_fragment(html)
    };
    let mut found = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        let name = element.name();
        if ACTIVE_ELEMENTS.contains(&name) {
            found.push(format!("<{name}>"));
        }
        for (attr, value) in element.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                found.push(format!("<{name} {attr}>"));
            } else if attr == "style" {
                found.push(format!("<{name} style>"));
            } else if URL_ATTRIBUTES.contains(&attr.as_str()) {
                // A srcset is a list: each candidate's URL, before its width or density.
                let urls: Vec<&str> = if attr == "srcset" {
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .collect()
                } else {
                    vec![value]
                };
                if urls.into_iter().any(runs_script) {
                    found.push(format!("<{name} {attr}={value:?}>"));
                }
            }
        }
        if name == "iframe" {
            let sandboxed = element.attr("sandbox").is_some();
            let https = element
                .attr("src")
                .is_some_and(|src| src.trim().to_ascii_lowercase().starts_with("https://"));
            if !(sandboxed && https) {
                found.push("<iframe> unsandboxed or not https".into());
            }
        }
    }
    found
}

/// A URL a browser would run or render as a document of its own: `javascript:`,
/// `vbscript:` or `data:`, however spaced, cased or split by control characters.
fn runs_script(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sanitize_html;

    #[test]
    fn the_audit_finds_what_runs_and_passes_what_does_not() {
        for dirty in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
            "<p style=\"background:url(x)\">x</p>",
            "<svg><circle/></svg>",
            "<iframe src=\"https://www.youtube.com/embed/a\"></iframe>",
            "<img srcset=\"a.jpg 1x, data:image/svg+xml,<svg onload=alert(1)> 2x\">",
            "<form action=\"/x\"><input></form>",
        ] {
            assert!(!unsafe_markup(dirty).is_empty(), "missed {dirty:?}");
        }
        assert_eq!(
            unsafe_markup(
                "<p>A <a href=\"https://e.example/\">link</a> and <img src=\"/i.jpg\" alt=\"\">,\
                 <iframe src=\"https://www.youtube.com/embed/a\" sandbox=\"allow-scripts\"></iframe></p>"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_attribute_that_mentions_a_handler_is_text() {
        // Fuzz finding (the sanitizer target, 2026-11-30): its own check split tags on
        // spaces and took a title's words for a handler.
        let clean = sanitize_html(
            r#"<img title="feed['info'] contains onm!useout=" src="https://e.example/i.jpg">"#,
            None,
        );
        assert!(clean.contains("onm!useout="), "{clean}");
        assert_eq!(unsafe_markup(&clean), Vec::<String>::new(), "{clean}");
    }

    #[test]
    fn a_scheme_inside_a_url_is_not_its_scheme() {
        // Fuzz finding (the sanitizer target, 2026-11-30): a relative URL with ",data:" in
        // its path, resolved against the page, was taken for a srcset candidate.
        let clean = sanitize_html(
            r#"<img src="htt&amp;&amp;,data:&amp;x">"#,
            Some(&url::Url::parse("https://outlet.example/news/").unwrap()),
        );
        assert!(clean.contains(",data:"), "{clean}");
        assert_eq!(unsafe_markup(&clean), Vec::<String>::new(), "{clean}");
        assert!(!unsafe_markup("<img srcset=\"a.jpg 1x,data:x 2x\">").is_empty());
    }

    #[test]
    fn classic_xss_vectors_leave_the_sanitizer_safe_by_the_standards_parser() {
        // The classic filter-evasion vectors (after OWASP's cheat sheet), written here.
        let vectors = [
            "<IMG SRC=JaVaScRiPt:alert('XSS')>",
            "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
            "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
            "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
            "<IMG SRC=# onmouseover=\"alert('xxs')\">",
            "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
            "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
            "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
            "<IMG SRC=\"jav\tascript:alert('XSS');\">",
            "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
            "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
            "<SCRIPT/XSS SRC=\"http://xss.example/xss.js\"></SCRIPT>",
            "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
            "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
            "<SCRIPT SRC=http://xss.example/xss.js?< B >",
            "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
            "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
            "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
            "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
            "<IMG DYNSRC=\"javascript:alert('XSS')\">",
            "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
            "<svg/onload=alert('XSS')>",
            "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
            "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
            "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
            "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
            "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TD BACKGROUND=\"javascript:alert('XSS')\">",
            "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
            "<DIV STYLE=\"width: expression(alert('XSS'));\">",
            "<BASE HREF=\"javascript:alert('XSS');//\">",
            "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.example/scriptlet.html\"></OBJECT>",
            "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv\" AllowScriptAccess=\"always\"></EMBED>",
            "<a href=\"javascript&colon;alert(1)\">x</a>",
            "<a href=\"&#x6a;avascript:alert(1)\">x</a>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
            "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<video><source onerror=\"alert(1)\"></video>",
            "<details open ontoggle=alert(1)>",
            "<button formaction=javascript:alert(1)>x</button>",
            "<img srcset=\",,,,,javascript:alert(1)\">",
            "<xmp><p title=\"</xmp><svg/onload=alert(1)>\">",
            "<template><script>alert(1)</script></template>",
        ];
        for v in vectors {
            let clean = sanitize_html(v, None);
            let found = unsafe_markup(&clean);
            assert!(found.is_empty(), "{v:?} became {clean:?}: {found:?}");
        }
    }
}
