//! Event ids and times are the same whichever way an event is read: straight from its JSON
//! line (the hunting fast path) or through its parsed fields (ingest), on real events.

use finmark::event::{identify_line, parse_line};
use std::path::Path;

#[test]
fn every_real_event_gets_the_same_identity_both_ways() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/events/windows-attack-samples.ndjson");
    let text = std::fs::read(path).expect("the shared Windows events");
    let mut checked = 0;
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let event = parse_line(line).expect("a valid event");
        let (id, time) = identify_line(line).expect("a flat JSON object");
        assert_eq!(
            (id.as_str(), time),
            (event.id.as_str(), event.time),
            "{}",
            String::from_utf8_lossy(line)
        );
        checked += 1;
    }
    assert_eq!(checked, 24_883);
}
