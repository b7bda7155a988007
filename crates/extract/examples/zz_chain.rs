fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).unwrap();
    let html = String::from_utf8_lossy(&bytes);
    let doc = parallax_extract::parse_page(&html).unwrap();
    for node in doc.tree.nodes() {
        if let scraper::Node::Text(t) = node.value() {
            if t.contains(args[2].as_str()) {
                let chain: Vec<String> = node
                    .ancestors()
                    .filter_map(scraper::ElementRef::wrap)
                    .map(|e| {
                        format!(
                            "{}.{}",
                            e.value().name(),
                            e.value().attr("class").unwrap_or("")
                        )
                    })
                    .collect();
                println!("{} {}", chain.len(), chain.join(" < "));
            }
        }
    }
}
