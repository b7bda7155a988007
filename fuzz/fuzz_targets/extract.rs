//! The extractor on any bytes: an answer or an error, never a panic, a hang or a stack
//! overflow; with and without a site's rules.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 replaced, as the pipeline's decoding does.
    let html = String::from_utf8_lossy(data);
    let url = url::Url::parse("https://outlet.example/news/article").ok();
    let _ = parallax_extract::extract(&html, url.as_ref());
    let (rules, _) = parallax_extract::SiteConfig::parse(
        "body: //article | //div[contains(@class,'content')]\nstrip: //aside\ntitle: //h1\n\
         author: //a[@rel='author']\ndate: //time/@datetime\nreplace_string(<br><br>): </p><p>\n",
    );
    let _ = parallax_extract::extract_with(&html, url.as_ref(), Some(&rules));
});
