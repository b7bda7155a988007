//! The site as a reader uses it, in headless Chromium driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`): the README's demo command is started, and the test
//! opens the front page, follows a story, switches its versions on a phone-sized window,
//! searches with a filter, checks the coverage chart and "Read also", and toggles the theme.
//! Screenshots of the front page and a story, wide and narrow, are saved under the test
//! output (`$CARGO_TARGET_TMPDIR/screenshots`).
//!
//! Without Chromium the test says so and passes, unless `REQUIRE_BROWSER_TESTS` is set
//! (as `.ci/run` sets it, after installing both packages).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_tool(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Starts `parallax demo` and returns it with the site's address, once it serves.
fn start_demo(data_dir: &Path) -> (Running, String) {
    let errors = data_dir.join("demo-stderr.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["demo", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&errors).expect("a file for the demo's errors"))
        .spawn()
        .expect("the parallax binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("is serving ").nth(1) {
                let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_string());
            }
        }
    });
    let running = Running(child);
    let url = rx
        .recv_timeout(Duration::from_secs(300))
        .unwrap_or_else(|e| {
            panic!(
                "the demo did not serve ({e}); it said: {}",
                std::fs::read_to_string(&errors).unwrap_or_default()
            )
        });
    (running, url)
}

async fn start_browser(chromium: &Path, driver: &Path) -> (Running, Client) {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let running = Running(child);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--hide-scrollbars", "--window-size=1280,900",
            ],
        }),
    );
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (running, client),
            Err(e) if started.elapsed() > Duration::from_secs(30) => {
                panic!("no WebDriver session within 30 s: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

async fn screenshot(client: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name} is not a PNG");
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn script(client: &Client, js: &str) -> Value {
    client.execute(js, vec![]).await.unwrap()
}

/// Whether the page is wider than the window: a reader would have to scroll sideways.
async fn overflows(client: &Client) -> bool {
    script(
        client,
        "return document.documentElement.scrollWidth > window.innerWidth + 1;",
    )
    .await
    .as_bool()
    .unwrap()
}

/// Text that fails WCAG AA contrast against what is drawn behind it (4.5:1, or 3:1 for
/// large text), each as "tag.class "text" ratio".
const LOW_CONTRAST: &str = r#"
const channels = s => { const m = s.match(/rgba?\(([^)]+)\)/); return m ? m[1].split(/[ ,\/]+/).filter(Boolean).map(Number) : null; };
const luminance = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const behind = el => { for (let e = el; e; e = e.parentElement) { const c = channels(getComputedStyle(e).backgroundColor); if (c && (c.length < 4 || c[3] > 0.5)) return c.slice(0, 3); } return channels(getComputedStyle(document.documentElement).backgroundColor) || [255, 255, 255]; };
const bad = [];
for (const el of document.querySelectorAll("body *")) {
  if (!el.offsetParent) continue;
  if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
  const st = getComputedStyle(el);
  if (st.visibility === "hidden" || st.clip === "rect(0px, 0px, 0px, 0px)") continue;
  const a = luminance(channels(st.color).slice(0, 3)), b = luminance(behind(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight) >= 700;
  if (ratio < (size >= 24 || (bold && size >= 18.66) ? 3 : 4.5)) {
    bad.push(el.tagName.toLowerCase() + "." + el.className + " \"" + el.textContent.trim().slice(0, 40) + "\" " + ratio.toFixed(2));
  }
}
return bad;
"#;

async fn low_contrast(client: &Client) -> Vec<String> {
    serde_json::from_value(script(client, LOW_CONTRAST).await).unwrap()
}

/// Landmarks, one h1, alt text on every image: what a screen reader needs to find its way.
async fn check_semantics(client: &Client, page: &str) {
    for landmark in ["header", "main", "footer", "nav"] {
        assert!(
            !client
                .find_all(Locator::Css(landmark))
                .await
                .unwrap()
                .is_empty(),
            "{page} has no <{landmark}>"
        );
    }
    assert_eq!(
        client.find_all(Locator::Css("h1")).await.unwrap().len(),
        1,
        "{page}: one h1"
    );
    assert!(
        client
            .find_all(Locator::Css("img:not([alt])"))
            .await
            .unwrap()
            .is_empty(),
        "{page}: an image without alt text"
    );
    assert_eq!(
        client
            .find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap()
            .as_deref(),
        Some("en")
    );
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_follows_a_story_switches_versions_searches_and_changes_theme() {
    let required = std::env::var_os("REQUIRE_BROWSER_TESTS").is_some();
    let tools = (
        find_tool("CHROMIUM", &["chromium", "chromium-browser"]),
        find_tool("CHROMEDRIVER", &["chromedriver"]),
    );
    let (Some(chromium), Some(driver)) = tools else {
        assert!(
            !required,
            "REQUIRE_BROWSER_TESTS is set but chromium or chromedriver is missing: {tools:?}"
        );
        eprintln!(
            "SKIPPED: browser tests need Debian's chromium and chromium-driver \
             (apt-get install chromium chromium-driver); .ci/run installs them"
        );
        return;
    };
    let data = tempfile::tempdir().unwrap();
    // An editor's password, set as the README says, before the demo opens the same data.
    let mut set = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["admin", "set-password"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the parallax binary starts");
    {
        use std::io::Write;
        let mut stdin = set.stdin.take().expect("piped stdin");
        writeln!(stdin, "correct horse battery").unwrap();
    }
    assert!(set.wait().unwrap().success(), "set-password failed");
    let (_demo, base) = start_demo(data.path());
    let (_driver, client) = start_browser(&chromium, &driver).await;

    // The front page: ranked stories, each with its outlets and a coverage bar.
    client.goto(&base).await.unwrap();
    assert_eq!(client.title().await.unwrap(), "Parallax");
    let cards = client
        .find_all(Locator::Css("#top + ol .story-card"))
        .await
        .unwrap();
    assert!(
        cards.len() >= 10,
        "{} stories on the front page",
        cards.len()
    );
    let bars = client
        .find_all(Locator::Css("#top + ol .story-card .coverage[role=img]"))
        .await
        .unwrap();
    assert_eq!(bars.len(), cards.len(), "every story has a coverage bar");
    let counts = texts(&client, "#top + ol .story-card .count").await;
    let outlets: Vec<u32> = counts
        .iter()
        .map(|c| c.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(
        outlets[0] >= outlets[outlets.len() - 1],
        "the broadest stories lead: {outlets:?}"
    );
    check_semantics(&client, "the front page").await;
    assert_eq!(
        low_contrast(&client).await,
        Vec::<String>::new(),
        "front page, light"
    );
    // The keyboard: the first Tab reaches the link that skips to the content.
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    assert_eq!(
        client.active_element().await.unwrap().text().await.unwrap(),
        "Skip to content"
    );
    screenshot(&client, "front-wide").await;

    // Follow the top story.
    let first = client
        .find(Locator::Css("#top + ol .story-card h2 a"))
        .await
        .unwrap();
    let headline = first.text().await.unwrap();
    first.click().await.unwrap();
    let h1 = client.wait().for_element(Locator::Css("h1")).await.unwrap();
    assert_eq!(h1.text().await.unwrap(), headline);
    let versions = client
        .find_all(Locator::Css(".versions > .version"))
        .await
        .unwrap();
    assert!(versions.len() >= 3, "{} versions", versions.len());
    for v in &versions {
        let text = v.text().await.unwrap();
        assert!(
            text.contains("Published at "),
            "unattributed version: {text}"
        );
    }
    // Side by side on a wide screen: the first two versions share a row.
    let (x0, y0, _, _) = versions[0].rectangle().await.unwrap();
    let (x1, y1, _, _) = versions[1].rectangle().await.unwrap();
    assert!(
        x1 > x0 && (y1 - y0).abs() < 1.0,
        "columns: {x0},{y0} {x1},{y1}"
    );
    // The coverage chart: a bar per leaning, and the countries.
    let chart = client
        .find(Locator::Css("figure.coverage-chart svg[role=img]"))
        .await
        .unwrap();
    let summary = chart
        .find(Locator::Css("title"))
        .await
        .unwrap()
        .html(true)
        .await
        .unwrap();
    assert!(summary.contains("by country"), "{summary}");
    let filled = client
        .find_all(Locator::Css("figure.coverage-chart rect[class^=lean-]"))
        .await
        .unwrap();
    assert!(filled.len() >= 2, "the top story spans leanings");
    // "Read also" links to other stories, and they open.
    let related = client
        .find_all(Locator::Css("aside.related li a"))
        .await
        .unwrap();
    assert!(!related.is_empty(), "no Read also");
    let related_title = related[0].text().await.unwrap();
    assert_ne!(related_title, headline);
    assert!(
        client.source().await.unwrap().contains("Editorial policy"),
        "the policy is at the foot"
    );
    check_semantics(&client, "a story page").await;
    assert_eq!(
        low_contrast(&client).await,
        Vec::<String>::new(),
        "story page, light"
    );
    for v in &versions {
        assert!(
            v.attr("lang").await.unwrap().is_some(),
            "a version without lang"
        );
    }
    screenshot(&client, "story-wide").await;
    let story_url = client.current_url().await.unwrap();

    // A phone: versions become tabs, one shown at a time.
    client.set_window_size(375, 800).await.unwrap();
    client.goto(story_url.as_str()).await.unwrap();
    let tabs = client
        .wait()
        .for_element(Locator::Css(".version-tabs [role=tab]"))
        .await
        .unwrap();
    assert!(tabs.is_displayed().await.unwrap());
    let tabs = client
        .find_all(Locator::Css(".version-tabs [role=tab]"))
        .await
        .unwrap();
    assert_eq!(tabs.len(), versions.len());
    let shown = |client: Client| async move {
        let mut shown = Vec::new();
        for (i, v) in client
            .find_all(Locator::Css(".versions > .version"))
            .await
            .unwrap()
            .iter()
            .enumerate()
        {
            if v.is_displayed().await.unwrap() {
                shown.push(i);
            }
        }
        shown
    };
    assert_eq!(shown(client.clone()).await, [0]);
    tabs[1].click().await.unwrap();
    assert_eq!(shown(client.clone()).await, [1]);
    assert_eq!(
        tabs[1].attr("aria-selected").await.unwrap().as_deref(),
        Some("true")
    );
    assert!(
        !overflows(&client).await,
        "the story page scrolls sideways at 375 px"
    );
    screenshot(&client, "story-narrow").await;
    client.set_window_size(320, 700).await.unwrap();
    client.goto(&base).await.unwrap();
    assert!(
        !overflows(&client).await,
        "the front page scrolls sideways at 320 px"
    );
    screenshot(&client, "front-narrow").await;
    client.set_window_size(1280, 900).await.unwrap();

    // Search with a filter: only that leaning's outlets answer.
    client.goto(&format!("{base}/search?q=the")).await.unwrap();
    let all = texts(&client, "ol.results > li").await.len();
    assert!(all > 1, "a common word finds articles");
    let form = client.form(Locator::Css("form.search-page")).await.unwrap();
    client
        .find(Locator::Css("select[name=leaning]"))
        .await
        .unwrap()
        .select_by_value("center")
        .await
        .unwrap();
    form.submit().await.unwrap();
    let started = Instant::now();
    while !client
        .current_url()
        .await
        .unwrap()
        .query()
        .is_some_and(|q| q.contains("leaning=center"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no filtered search"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let badges = texts(&client, "ol.results > li .outlet .badge[class*=lean-]").await;
    assert!(!badges.is_empty(), "no results for the centre");
    assert!(
        badges.iter().all(|b| b == "Centre"),
        "a result from outside the filter: {badges:?}"
    );
    assert!(texts(&client, "ol.results > li").await.len() < all);
    let chosen = client
        .find(Locator::Css("select[name=leaning] option[selected]"))
        .await
        .unwrap();
    assert_eq!(
        chosen.attr("value").await.unwrap().as_deref(),
        Some("center")
    );

    // The theme switch changes the colours, and the choice holds on the next page.
    client.goto(&base).await.unwrap();
    let background = "return getComputedStyle(document.body).backgroundColor;";
    let before = script(&client, background).await;
    let toggle = client.find(Locator::Id("theme-toggle")).await.unwrap();
    assert!(toggle.is_displayed().await.unwrap());
    toggle.click().await.unwrap();
    let after = script(&client, background).await;
    assert_ne!(before, after, "the theme switch changed nothing");
    assert_eq!(
        low_contrast(&client).await,
        Vec::<String>::new(),
        "front page, switched"
    );
    client.goto(story_url.as_str()).await.unwrap();
    assert_eq!(
        low_contrast(&client).await,
        Vec::<String>::new(),
        "story page, switched"
    );
    screenshot(&client, "story-switched-theme").await;
    // Blindspots: the demo's audit story is told by the right alone.
    client.goto(&format!("{base}/blindspots")).await.unwrap();
    let one_side = texts(&client, "#one-side + ol .story-card").await;
    assert!(
        one_side
            .iter()
            .any(|c| c.contains("Only outlets of the right")),
        "{one_side:?}"
    );
    client.goto(&format!("{base}/timeline")).await.unwrap();
    assert_eq!(script(&client, background).await, after);
    assert!(
        !texts(&client, ".days h2").await.is_empty(),
        "the timeline has days"
    );

    // An editor signs in with the form, pins a story with the edit form, and sees it lead.
    client.goto(&format!("{base}/admin/login")).await.unwrap();
    let login = client.form(Locator::Css("form.admin")).await.unwrap();
    client
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys("correct horse battery")
        .await
        .unwrap();
    login.submit().await.unwrap();
    // Only the editors' page has a sign-out form: waiting for it waits out the login page.
    client
        .wait()
        .for_element(Locator::Css("form[action='/admin/logout']"))
        .await
        .expect("signed in");
    screenshot(&client, "admin").await;
    let last_story = client
        .find_all(Locator::Css(
            "table.feeds tbody tr td a[href^='/admin/stories/']",
        ))
        .await
        .unwrap();
    let edit = last_story.last().expect("a story to edit");
    edit.click().await.unwrap();
    client
        .wait()
        .for_element(Locator::Css("input[name=pinned]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let title = client
        .find(Locator::Css("input[name=title]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    client
        .form(Locator::Css("form.admin"))
        .await
        .unwrap()
        .submit()
        .await
        .unwrap();
    // A reader (no cookie) sees the pinned story lead, once the form's answer has landed:
    // asked under a new query each time, as the site serves an answer again for two seconds.
    let started = Instant::now();
    loop {
        let plain = reqwest::get(format!(
            "{base}/?after=pin{}",
            started.elapsed().as_millis()
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
        let first_card = plain.split("class=\"story-card\"").nth(1).unwrap_or("");
        if first_card.contains(&title) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{title} does not lead"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    client.close().await.unwrap();
}
