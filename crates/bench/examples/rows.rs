use airview_engine::{Center, Dataset, Policy};
use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string("/tmp/export-1m.json").unwrap();
    let mut data = Dataset::new();
    airview_import::load(&mut data, "x.json", &text, None).unwrap();
    drop(text);
    let (policy, _) = Policy::parse_json(include_str!("../../../web/sample/policy.json")).unwrap();
    let now = data.newest().unwrap();
    let center = Center::new(data, policy, now);
    for _ in 0..60 {
        let t = Instant::now();
        let rows = center.rows();
        println!(
            "rows {:.1} ms ({} pending, {} history)",
            t.elapsed().as_secs_f64() * 1e3,
            rows.pending.len(),
            rows.history.len()
        );
    }
}
